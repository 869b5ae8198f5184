import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InvocationContext } from "@azure/functions";
import { dimensions } from "../../shared/aggregation/dimensions";
import { storageNames } from "../../shared/config";
import { isoWeekOf, type IsoWeek } from "../../shared/isoWeek";
import { rebuildWeek } from "../../shared/operations/rebuildWeeks";
import { MANIFEST_PATH, weekFilePath } from "../../shared/publishing/publishedDatasetStore";
import { toPublishedRows } from "../../shared/publishing/publishedRows";
import type { DimensionStats } from "../../shared/query/dimensionStats";
import { publishWeeklyDimensions } from "../../functions/publishWeeklyDimensions";
import { makeDimensionDocuments } from "../../devkit/usageDocuments";
import { post, QUERY_KEY, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { asParquetRow, DATASET_COLUMNS, inRowOrder, readParquet } from "../support/duckParquet";

async function getJson(t: TestRuntime, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY } });
  assert.equal(response.status, 200, path);
  return (await response.json()) as Record<string, unknown>;
}

// Through the local runtime over Azurite: HTTP submit, the aggregation trigger, then the
// publish trigger called on the week (the queued request would wait its 60 s delay); the
// file is read back by DuckDB and compared with every dimension route.
describe("the weekly Parquet dataset through ingestion, aggregation and publishing", { timeout: 240_000 }, () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime({ STATS_MIN_HIERARCHIES: "2" });
  });
  after(async () => t.close());

  const context = new InvocationContext({ invocationId: "t", functionName: "publishWeeklyDimensions" });
  const deps = () => ({ reader: t.runtime.services.statsReader, table: t.runtime.services.weeklyDimensions, dataset: t.runtime.services.weeklyDataset, minHierarchies: 2 });
  const container = () => t.runtime.services.clients.blobService.getContainerClient(storageNames.datasetsContainer);
  const download = async (path: string) => {
    const response = await container().getBlockBlobClient(path).download();
    const chunks: Buffer[] = [];
    for await (const chunk of response.readableStreamBody ?? []) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  };
  /** Every dimension route of the week, as the rows its file should hold. */
  const routeRows = async (week: IsoWeek) => {
    const rows: Record<string, unknown>[] = [];
    for (const dimension of dimensions) {
      const stats = (await getJson(t, `/api/v1/stats/dimensions/${dimension.name}?week=${week}`)) as unknown as DimensionStats;
      rows.push(...toPublishedRows(stats).map((row) => asParquetRow(week, row)));
    }
    return inRowOrder(rows);
  };
  const manifestEntry = async (week: IsoWeek) => {
    const manifest = JSON.parse((await download(MANIFEST_PATH)).toString("utf8")) as { weeks: Record<string, unknown>[] };
    return manifest.weeks.find((w) => w["week"] === week);
  };

  test("a published week's file says value for value what every dimension route says; an emptied week publishes its zeros", async () => {
    const documents = makeDimensionDocuments().map((d) => d.document);
    const week = isoWeekOf(new Date(documents[0]!.collectedAt));
    for (const document of documents) assert.equal((await post(t.url, submitPath(document.docId, "usage", String(document.schemaVersion)), JSON.stringify(document))).status, 202);
    while ((await getJson(t, `/api/v1/stats/versions?week=${week}`))["hierarchies"] !== documents.length) await new Promise((r) => setTimeout(r, 200));

    await publishWeeklyDimensions({ v: 1, week }, context, deps());
    const file = await readParquet(await download(weekFilePath(week)));
    assert.deepEqual(file.types.map(([name]) => name), DATASET_COLUMNS);
    assert.deepEqual(Object.fromEntries(file.types.filter(([name]) => ["hierarchies", "clients", "count", "sum", "p99"].includes(name))), {
      hierarchies: "INT64", clients: "INT64", count: "INT64", sum: "DOUBLE", p99: "DOUBLE",
    });
    const expected = await routeRows(week);
    assert.deepEqual(inRowOrder(file.rows), expected);
    assert.ok(expected.some((r) => r["value"] === "(fewer than 2)"), "folding is exercised");
    assert.ok(new Set(file.rows.map((r) => r["dimension"])).size >= dimensions.filter((d) => d.kind === "distribution").length, "every dimension with data is in the file");
    const summary = (await t.runtime.services.weeklyDimensions.readWeek(week)).summary;
    assert.deepEqual(await manifestEntry(week), { week, asOf: summary?.asOf.toISOString(), hierarchies: documents.length, path: weekFilePath(week) });

    // Emptied: its raw documents gone, a forced rebuild clears the week, and the publish shows that.
    const raw = t.runtime.services.clients.blobService.getContainerClient(storageNames.rawContainer);
    for await (const blob of raw.listBlobsFlat()) await raw.deleteBlob(blob.name);
    await rebuildWeek(week, t.runtime.services, { force: true });
    assert.equal((await getJson(t, `/api/v1/stats/versions?week=${week}`))["hierarchies"], 0);
    await publishWeeklyDimensions({ v: 1, week }, context, deps());
    const emptied = await readParquet(await download(weekFilePath(week)));
    assert.deepEqual(inRowOrder(emptied.rows), await routeRows(week));
    assert.ok(emptied.rows.every((r) => r["kind"] === "distribution" && r["hierarchies"] === 0n && r["p50"] === null), "no value is left of the week");
    assert.equal((await manifestEntry(week))?.["hierarchies"], 0);
  });
});
