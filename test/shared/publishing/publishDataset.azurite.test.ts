import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ContainerClient } from "@azure/storage-blob";
import type { DimensionRollup } from "../../../shared/aggregation/dimensionRollup";
import { storageNames } from "../../../shared/config";
import type { IsoWeek } from "../../../shared/isoWeek";
import { publishDataset, withWeek } from "../../../shared/publishing/publishDataset";
import { MANIFEST_PATH, weekFilePath } from "../../../shared/publishing/publishedDatasetStore";
import type { PublishedRow } from "../../../shared/publishing/publishedRows";
import { publishWeek, type PublishWeekDeps } from "../../../shared/publishing/publishWeek";
import { ensureStorage } from "../../../shared/storage/ensureStorage";
import { createStorageClients } from "../../../shared/storage/storageClients";
import { WeeklyDimensionsDataset } from "../../../shared/storage/weeklyDimensionsDataset";
import { WeeklyDimensionsTable } from "../../../shared/storage/weeklyDimensionsTable";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";
import { categoricalRollup, distributionRollup, FixedRollupReader } from "../../support/dimensionRollups";
import { asParquetRow, DATASET_COLUMNS, inRowOrder, readParquet } from "../../support/duckParquet";
import { expectedRows } from "../../support/expectedPublishedRows";

function weekRollups(osNames: string[]): Map<string, DimensionRollup> {
  return new Map<string, DimensionRollup>([
    ["version", categoricalRollup("hierarchy", { hierarchies: 4, clients: 400 }, [["2409", 3, 300, 0], ["2403", 1, 100, 0]])],
    ["siteType", categoricalRollup("set", { hierarchies: 4, clients: 400 }, [["primary", 4, 0, 9], ["cas", 1, 0, 1]])],
    ["os", categoricalRollup("clients", { hierarchies: 4, clients: 400 }, osNames.map((name, i) => [name, 1 + (i % 4), 10 * i, 0]))],
    ["clients", distributionRollup([0, 50, 150, 200], 400)],
  ]);
}

const awkward = ["Windows 11", "a/b", "a\\b", "#1", "why?", "tab\there", "__proto__", "x".repeat(2000), "", "日本語 ✓"];

const asRead = (week: IsoWeek, rows: PublishedRow[]) => inRowOrder(rows.map((row) => asParquetRow(week, row)));

interface Manifest {
  weeks: { week: string; asOf: string; hierarchies: number; path: string }[];
}

describe("the weekly Parquet dataset against Azurite, read back with DuckDB", () => {
  let azurite: EmbeddedAzurite;
  let container: ContainerClient;
  let dataset: WeeklyDimensionsDataset;
  let table: WeeklyDimensionsTable;

  before(async () => {
    azurite = await startAzurite();
    const clients = createStorageClients({ kind: "connectionString", connectionString: azurite.connectionString });
    await ensureStorage(clients);
    container = clients.blobService.getContainerClient(storageNames.datasetsContainer);
    dataset = new WeeklyDimensionsDataset(container);
    table = new WeeklyDimensionsTable(clients.table(storageNames.weeklyDimensionsTable));
  });
  after(async () => azurite.close());

  const deps = (reader: FixedRollupReader, minHierarchies = 1): PublishWeekDeps => ({ reader, table, dataset, minHierarchies });
  // One GET of the whole blob: what the contract promises is whole. (downloadToBuffer reads
  // the size, then ranges without an ETag condition, so it can mix two versions of a blob.)
  const download = async (path: string) => {
    const response = await container.getBlockBlobClient(path).download();
    const chunks: Buffer[] = [];
    for await (const chunk of response.readableStreamBody ?? []) chunks.push(Buffer.from(chunk as Buffer));
    return new Uint8Array(Buffer.concat(chunks));
  };
  const manifest = async () => JSON.parse(Buffer.from(await download(MANIFEST_PATH)).toString("utf8")) as Manifest;

  test("a week's file holds the table's rows, one each: the contract's columns, counts INT64, figures DOUBLE, null where the kind has none", async () => {
    const week = "2026-W10";
    const rollups = weekRollups(awkward);
    const asOf = new Date("2026-03-05T06:07:08.000Z");
    await publishWeek(week, deps(new FixedRollupReader(new Map([[week, rollups]])), 2), { now: () => asOf });
    const file = await readParquet(await download(weekFilePath(week)));
    assert.deepEqual(file.types, [
      ["week", "BYTE_ARRAY"], ["dimension", "BYTE_ARRAY"], ["kind", "BYTE_ARRAY"], ["value", "BYTE_ARRAY"],
      ["hierarchies", "INT64"], ["clients", "INT64"], ["count", "INT64"],
      ["sum", "DOUBLE"], ["mean", "DOUBLE"], ["min", "DOUBLE"], ["max", "DOUBLE"], ["p50", "DOUBLE"], ["p90", "DOUBLE"], ["p99", "DOUBLE"],
    ]);
    assert.deepEqual(file.types.map(([name]) => name), DATASET_COLUMNS);
    assert.deepEqual(inRowOrder(file.rows), asRead(week, expectedRows(week, rollups, 2)));
    // The same rows as the table, so the two cannot disagree.
    assert.deepEqual(inRowOrder(file.rows), asRead(week, (await table.readWeek(week)).rows));
    assert.ok(file.rows.some((r) => r["value"] === "(fewer than 2)"), "folding is in the file too");
    const empty = file.rows.find((r) => r["dimension"] === "sites");
    assert.deepEqual([empty?.["hierarchies"], empty?.["p50"], empty?.["value"], empty?.["clients"]], [0n, null, null, null]);
    assert.deepEqual(file.metadata, { ...file.metadata, asOf: asOf.toISOString(), minHierarchies: "2" });
    assert.deepEqual((await manifest()).weeks.find((w) => w.week === week), { week, asOf: asOf.toISOString(), hierarchies: 4, path: weekFilePath(week) });
  });

  test("replaced whole: a reader fetching while publishes alternate always reads one whole state, never a missing or partial file", async () => {
    const week = "2026-W11";
    const states = [weekRollups(["a", "b"]), weekRollups(Array.from({ length: 3000 }, (_, i) => `os ${i}`))];
    const reader = new FixedRollupReader(new Map([[week, states[0]!]]));
    await publishWeek(week, deps(reader));
    const whole = states.map((s) => JSON.stringify(asRead(week, expectedRows(week, s, 1)), (_, v: unknown) => (typeof v === "bigint" ? String(v) : v)));
    let publishing = true;
    const publishes = (async () => {
      for (let i = 1; i <= 6; i++) {
        reader.weeks.set(week, states[i % 2]!);
        await publishWeek(week, deps(reader));
      }
      publishing = false;
    })();
    let reads = 0;
    try {
      while (publishing) {
        const file = await readParquet(await download(weekFilePath(week)));
        const seen = JSON.stringify(inRowOrder(file.rows), (_, v: unknown) => (typeof v === "bigint" ? String(v) : v));
        assert.ok(whole.includes(seen), `read ${reads}: the file is one whole published state`);
        reads++;
      }
    } finally {
      await publishes;
    }
    assert.ok(reads > 0);
  });

  test("a slower publish of an older state leaves the newer file and manifest entry alone", async () => {
    const week = "2026-W12";
    const newer = expectedRows(week, weekRollups(["new"]), 1);
    const older = expectedRows(week, weekRollups(["old"]), 1);
    const newAsOf = new Date("2026-03-20T10:00:00.000Z");
    await publishDataset(week, newer, { asOf: newAsOf, hierarchies: 4, minHierarchies: 1 }, dataset);
    const late = await publishDataset(week, older, { asOf: new Date("2026-03-20T09:59:00.000Z"), hierarchies: 3, minHierarchies: 1 }, dataset);
    assert.deepEqual(late, { file: "stale", manifest: "stale" });
    assert.deepEqual(inRowOrder((await readParquet(await download(weekFilePath(week)))).rows), asRead(week, newer));
    assert.deepEqual((await manifest()).weeks.find((w) => w.week === week), { week, asOf: newAsOf.toISOString(), hierarchies: 4, path: weekFilePath(week) });
  });

  test("a write under an ETag another publish has replaced is a conflict, not an overwrite", async () => {
    const week = "2026-W13";
    const rows = expectedRows(week, weekRollups(["x"]), 1);
    const summary = { asOf: new Date("2026-03-27T00:00:00.000Z"), hierarchies: 4, minHierarchies: 1 };
    assert.equal(await dataset.writeWeekFile(week, rows, summary, undefined), "written");
    const read = await dataset.readWeekFile(week);
    assert.deepEqual(read.asOf, summary.asOf);
    assert.equal(await dataset.writeWeekFile(week, rows, summary, undefined), "conflict", "created meanwhile");
    assert.equal(await dataset.writeWeekFile(week, rows, summary, read.etag), "written");
    assert.equal(await dataset.writeWeekFile(week, rows, summary, read.etag), "conflict", "replaced meanwhile");
    const current = await dataset.readManifest();
    assert.equal(await dataset.writeManifest(current.manifest, `"0x0"`), "conflict");
  });

  test("publishes of eight weeks at once all land in _published.json, oldest week first", async () => {
    const weeks = Array.from({ length: 8 }, (_, i): IsoWeek => `2026-W${String(20 + i).padStart(2, "0")}`);
    const asOf = new Date("2026-06-01T00:00:00.000Z");
    await Promise.all(weeks.map((week, i) => publishDataset(week, expectedRows(week, weekRollups(["w"]), 1), { asOf, hierarchies: i, minHierarchies: 1 }, dataset)));
    const listed = (await manifest()).weeks;
    for (const [i, week] of weeks.entries()) assert.deepEqual(listed.find((w) => w.week === week), { week, asOf: asOf.toISOString(), hierarchies: i, path: weekFilePath(week) });
    assert.deepEqual(listed.map((w) => w.week), [...listed.map((w) => w.week)].sort());
  });

  test("a week emptied of its data publishes its empty state: no values, distributions with zero hierarchies and null figures", async () => {
    const week = "2026-W14";
    const reader = new FixedRollupReader(new Map([[week, weekRollups(["gone"])]]));
    await publishWeek(week, deps(reader));
    reader.weeks.delete(week);
    const result = await publishWeek(week, deps(reader));
    const file = await readParquet(await download(weekFilePath(week)));
    assert.deepEqual(inRowOrder(file.rows), asRead(week, expectedRows(week, new Map(), 1)));
    assert.ok(file.rows.length > 0 && file.rows.every((r) => r["kind"] === "distribution" && r["hierarchies"] === 0n && r["p50"] === null));
    assert.deepEqual((await manifest()).weeks.find((w) => w.week === week), { week, asOf: result.asOf.toISOString(), hierarchies: 0, path: weekFilePath(week) });
  });

  test("withWeek replaces the week's entry and keeps order; an entry of a later state wins", () => {
    const entry = (week: IsoWeek, asOf: string, hierarchies = 1) => ({ week, asOf: new Date(asOf), hierarchies, path: weekFilePath(week) });
    const manifest = { weeks: [entry("2026-W01", "2026-01-10T00:00:00Z"), entry("2026-W03", "2026-01-24T00:00:00Z")] };
    assert.deepEqual(withWeek(manifest, entry("2026-W02", "2026-01-17T00:00:00Z"))?.weeks.map((w) => w.week), ["2026-W01", "2026-W02", "2026-W03"]);
    assert.deepEqual(withWeek(manifest, entry("2026-W03", "2026-01-25T00:00:00Z", 7))?.weeks[1], entry("2026-W03", "2026-01-25T00:00:00Z", 7));
    assert.equal(withWeek(manifest, entry("2026-W03", "2026-01-23T00:00:00Z")), undefined);
  });
});
