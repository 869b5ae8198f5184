import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { snapshotOf } from "../../../shared/aggregation/aggregateDocument";
import { shardOf } from "../../../shared/aggregation/hierarchyKey";
import { addContribution, contributionOf, emptyRollup, OTHER_NAME } from "../../../shared/aggregation/weekRollup";
import { toJsonProperties } from "../../../shared/storage/jsonProperties";
import { entitySize, tableLimits } from "../../../shared/storage/tableLimits";
import { rollupRowBudget, rowKeys } from "../../../shared/storage/weeklyStatsTable";
import { AggregationHarness } from "../../support/aggregationHarness";
import { makeUsageDocument, makeWorstCaseUsageDocument } from "../../support/usageDocuments";

let harness: AggregationHarness;

describe("WeeklyStatsTable rows against Azurite", () => {
  before(async () => {
    harness = await AggregationHarness.start();
  });
  after(async () => harness.close());

  test("a rollup row filled to its budget with worst-case names and 2,000 versions is written, within 1 MiB, its versions in one property", async () => {
    const { weeklyStats } = await harness.freshTables();
    const rollup = emptyRollup();
    for (let variant = 0; variant < 4; variant++) addContribution(rollup, contributionOf(makeWorstCaseUsageDocument(variant)), rollupRowBudget);
    for (let v = 0; v < 2000; v++) {
      const version = String(v).padStart(4, "0");
      addContribution(rollup, contributionOf(makeUsageDocument({ product: { version, build: "5.00.9132.1000", branch: "current" } })), rollupRowBudget);
    }
    const snapshot = { ...snapshotOf(makeUsageDocument({ collectedAt: "2026-12-31T03:00:00Z" })), placement: { version: false, os: [], features: [] } };
    const shard = shardOf(snapshot.hierarchyKey);
    assert.equal(await weeklyStats.commit(snapshot, undefined, shard, rollup, undefined), "committed");

    const row = await weeklyStats.table.getEntity(snapshot.week, rowKeys.rollup(shard));
    const size = entitySize(row);
    assert.ok(size <= tableLimits.maxEntityBytes && size > 0.75 * tableLimits.maxEntityBytes, `the row is ${size} bytes`);
    assert.equal(row["versions_1"], undefined, "the versions list needs a second property");
    const summary = await weeklyStats.readSummary(snapshot.week);
    assert.deepEqual(summary.versions, (await weeklyStats.readRollup(snapshot.week)).versions);
    assert.ok(summary.versions.has(OTHER_NAME));
  });

  test("a worst-case snapshot whose every entry was folded fits one row, and its placement reads back by name", async () => {
    const { weeklyStats } = await harness.freshTables();
    const made = snapshotOf(makeWorstCaseUsageDocument(7, { collectedAt: "2026-12-30T03:00:00Z" }));
    const snapshot = { ...made, placement: { version: true, os: [...made.contribution.os.keys()], features: [...made.contribution.features.keys()] } };
    const rollup = emptyRollup();
    assert.equal(await weeklyStats.commit(snapshot, undefined, shardOf(snapshot.hierarchyKey), rollup, undefined), "committed");
    const row = await weeklyStats.table.getEntity(snapshot.week, rowKeys.snapshot(snapshot.hierarchyKey));
    assert.ok(entitySize(row) <= tableLimits.maxEntityBytes, `the row is ${entitySize(row)} bytes`);
    const [read] = await weeklyStats.listSnapshots(snapshot.week);
    assert.deepEqual(read?.placement, snapshot.placement);
  });

  test("a snapshot row written before placement was kept by index (names in `folded`) still reads back", async () => {
    const { weeklyStats } = await harness.freshTables();
    const doc = makeUsageDocument({ collectedAt: "2026-12-29T03:00:00Z" });
    const made = snapshotOf(doc);
    const osNames = [...made.contribution.os.keys()];
    const snapshot = { ...made, placement: { version: false, os: [osNames[1]!, osNames[3]!], features: [] } };
    await weeklyStats.commit(snapshot, undefined, shardOf(snapshot.hierarchyKey), emptyRollup(), undefined);
    // The old encoding, written the way the code before it wrote it.
    await weeklyStats.table.updateEntity(
      { partitionKey: snapshot.week, rowKey: rowKeys.snapshot(snapshot.hierarchyKey), ...toJsonProperties("folded", snapshot.placement) },
      "Merge",
    );
    const [read] = await weeklyStats.listSnapshots(snapshot.week);
    assert.deepEqual(read?.placement, snapshot.placement);
  });
});
