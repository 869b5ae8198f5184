import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as pause } from "node:timers/promises";
import { dimensions } from "../../shared/aggregation/dimensions";
import { isoWeekOf } from "../../shared/isoWeek";
import { toPublishedRows, type PublishedRow } from "../../shared/publishing/publishedRows";
import type { DimensionStats } from "../../shared/query/dimensionStats";
import { publishedRowKey } from "../../shared/publishing/publishedRowKey";
import { post, QUERY_KEY, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { makeDimensionDocuments } from "../../devkit/usageDocuments";

async function getJson(t: TestRuntime, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY } });
  assert.equal(response.status, 200, path);
  return (await response.json()) as Record<string, unknown>;
}

const byKey = (rows: readonly PublishedRow[]) => new Map(rows.map((row) => [publishedRowKey(row), row]));

// Through the local runtime as `npm start` runs it, with the real publish delay (60 s): the
// contract promises the published rows within 2 minutes of the last change to a week.
describe("WeeklyDimensions through the local runtime", { timeout: 240_000 }, () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime({ STATS_MIN_HIERARCHIES: "2" });
  });
  after(async () => t.close());

  test("within 2 minutes of the last change, a week's published rows say what every dimension route says", async () => {
    const documents = makeDimensionDocuments().map((d) => d.document);
    const week = isoWeekOf(new Date(documents[0]!.collectedAt));
    for (const document of documents) {
      assert.equal(isoWeekOf(new Date(document.collectedAt)), week);
      assert.equal((await post(t.url, submitPath(document.docId, "usage", String(document.schemaVersion)), JSON.stringify(document))).status, 202);
    }
    const lastChange = Date.now();
    for (;;) {
      const versions = await getJson(t, `/api/v1/stats/versions?week=${week}`);
      if (versions["hierarchies"] === documents.length) break;
      await pause(200);
    }
    const expected = new Map<string, PublishedRow>();
    for (const dimension of dimensions) {
      const stats = (await getJson(t, `/api/v1/stats/dimensions/${dimension.name}?week=${week}`)) as unknown as DimensionStats;
      for (const [key, row] of byKey(toPublishedRows(stats))) expected.set(key, row);
    }
    assert.ok([...expected.values()].some((row) => "value" in row && row.value === "(fewer than 2)"), "folding is exercised");

    let published = await t.runtime.services.weeklyDimensions.readWeek(week);
    while (published.summary === undefined && Date.now() - lastChange < 120_000) {
      await pause(1_000);
      published = await t.runtime.services.weeklyDimensions.readWeek(week);
    }
    assert.ok(published.summary !== undefined, "published within 2 minutes of the last change");
    assert.deepEqual(byKey(published.rows), expected);
    assert.equal(published.summary.hierarchies, documents.length);
    assert.equal(published.summary.minHierarchies, 2);
  });
});
