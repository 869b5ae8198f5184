import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { aggregateDocument } from "../../../shared/aggregation/aggregateDocument";
import { toHierarchyKey } from "../../../shared/aggregation/hierarchyKey";
import { weeksBetween } from "../../../shared/isoWeek";
import { rebuildWeeks } from "../../../shared/operations/rebuildWeeks";
import { rowKeys } from "../../../shared/storage/weeklyStatsTable";
import type { UsageV1 } from "../../../shared/validation/usageV1";
import { AggregationHarness, assertMatchesModel } from "../../support/aggregationHarness";
import { referenceModel } from "../../support/referenceModel";
import { base64Sha256Of, makeUsageDocument } from "../../support/usageDocuments";

let harness: AggregationHarness;

/** Documents over two weeks and four hierarchies, with a replacement and a tie on collectedAt. */
function scenario(label: string, year = 2026): UsageV1[] {
  const h = [0, 1, 2, 3].map((i) => base64Sha256Of(`${label} ${i}`));
  // Mid-November Mondays fall in weeks 46 and 47 in both 2025 and 2026.
  return [
    makeUsageDocument({ hierarchyId: h[0]!, collectedAt: `${year}-11-17T03:00:00Z` }),
    makeUsageDocument({ hierarchyId: h[0]!, collectedAt: `${year}-11-19T03:00:00Z`, level: "full" }),
    makeUsageDocument({ hierarchyId: h[1]!, collectedAt: `${year}-11-18T03:00:00Z`, level: "basic" }),
    makeUsageDocument({ hierarchyId: h[1]!, collectedAt: `${year}-11-18T03:00:00Z`, level: "basic" }),
    makeUsageDocument({ hierarchyId: h[2]!, collectedAt: `${year}-11-10T03:00:00Z` }),
    makeUsageDocument({ hierarchyId: h[3]!, collectedAt: `${year}-11-11T03:00:00Z`, level: "full" }),
  ];
}

describe("npm run reaggregate (rebuildWeeks) against Azurite", () => {
  before(async () => {
    harness = await AggregationHarness.start();
  });
  after(async () => harness.close());

  test("weeksBetween walks ISO weeks across a year end", () => {
    assert.deepEqual(weeksBetween("2026-W52", "2027-W02"), ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]);
    assert.deepEqual(weeksBetween("2026-W47", "2026-W47"), ["2026-W47"]);
    assert.deepEqual(weeksBetween("2026-W48", "2026-W47"), []);
  });

  test("a rebuild repairs damaged statistics and gives the same tables as live aggregation", async () => {
    const docs = scenario("rebuild");
    const tables = await harness.freshTables();
    const deps = harness.deps(tables);
    const claims = await Promise.all(docs.map((d) => harness.archive(d)));
    for (const claim of claims) await aggregateDocument(claim, deps);
    const model = referenceModel(docs);
    await assertMatchesModel(tables, model);

    // Damage: a rollup row that lies, a snapshot of a document that is not in the archive,
    // and a history row pointing at the wrong document.
    await tables.weeklyStats.table.updateEntity({ partitionKey: "2026-W47", rowKey: rowKeys.rollup(3), hierarchies: 999 }, "Merge");
    const stray = makeUsageDocument({ hierarchyId: base64Sha256Of("stray"), collectedAt: "2026-11-18T04:00:00Z" });
    await aggregateDocument(await harness.archive(stray), deps);
    await harness.rawArchive.remove(`usage/v1/${stray.docId}.json`);
    const first = docs[0]!;
    await tables.hierarchyWeeks.table.updateEntity({ partitionKey: toHierarchyKey(first.hierarchyId), rowKey: "2026-W47", docId: "wrong" }, "Merge");

    const progress: string[] = [];
    const results = await rebuildWeeks("2026-W46", "2026-W47", deps, {}, (r) => progress.push(r.week));
    assert.deepEqual(progress, ["2026-W46", "2026-W47"]);
    assert.deepEqual(results.map((r) => [r.week, r.status, r.documents]), [["2026-W46", "rebuilt", 2], ["2026-W47", "rebuilt", 4]]);
    await assertMatchesModel(tables, model);
    assert.equal((await tables.hierarchyWeeks.list(toHierarchyKey(stray.hierarchyId))).length, 0, "the stray history row survived");
    const state = await tables.weeklyStats.readForUpdate("2026-W47", toHierarchyKey(first.hierarchyId), 0);
    assert.equal(state.rebuilding, false, "the week was left locked");

    // Idempotent: a second run changes nothing.
    await rebuildWeeks("2026-W46", "2026-W47", deps);
    await assertMatchesModel(tables, model);
  });

  test("a rebuild into empty tables (a backfill) equals live aggregation", async () => {
    // 2025, so that no other test's documents share these weeks of the raw archive.
    const docs = scenario("backfill", 2025);
    const tables = await harness.freshTables();
    await Promise.all(docs.map((d) => harness.archive(d)));
    const results = await rebuildWeeks("2025-W46", "2025-W47", harness.deps(tables));
    assert.deepEqual(results.map((r) => [r.week, r.documents, r.snapshots, r.previousSnapshots]), [["2025-W46", 2, 2, 0], ["2025-W47", 4, 2, 0]]);
    await assertMatchesModel(tables, referenceModel(docs));
  });

  test("live aggregation during a rebuild: deferred messages delivered afterwards end in the same tables as one pass", async () => {
    const tables = await harness.freshTables();
    const deps = harness.deps(tables);
    const hierarchies = Array.from({ length: 12 }, (_, i) => base64Sha256Of(`during rebuild ${i}`));
    const first = hierarchies.map((hierarchyId) => makeUsageDocument({ hierarchyId, collectedAt: "2024-05-14T03:00:00Z" }));
    for (const doc of first) await aggregateDocument(await harness.archive(doc), deps);
    // Later documents for half the hierarchies, and first ones for new hierarchies, arrive during the rebuild.
    const during = [
      ...hierarchies.slice(0, 6).map((hierarchyId) => makeUsageDocument({ hierarchyId, collectedAt: "2024-05-15T03:00:00Z" })),
      ...Array.from({ length: 6 }, (_, i) => makeUsageDocument({ hierarchyId: base64Sha256Of(`new during rebuild ${i}`), collectedAt: "2024-05-16T03:00:00Z" })),
    ];
    const claims = await Promise.all(during.map((doc) => harness.archive(doc)));
    const live = claims.map(async (claim, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 3));
      return { claim, status: (await aggregateDocument(claim, harness.deps(tables))).status };
    });
    const [rebuilt, ...outcomes] = await Promise.all([rebuildWeeks("2024-W20", "2024-W20", deps), ...live]);
    assert.equal(rebuilt[0]?.status, "rebuilt");
    // The queue would deliver the deferred messages again after their delay: do it now.
    for (const { claim, status } of outcomes) if (status === "deferred") await aggregateDocument(claim, harness.deps(tables));
    assert.ok(outcomes.some((o) => o.status === "deferred"), "no message met the lock: the test did not exercise deferral");
    await assertMatchesModel(tables, referenceModel([...first, ...during]));
  });

  test("a week whose raw documents are gone is skipped unless --force; --dry-run changes nothing", async () => {
    const tables = await harness.freshTables();
    const deps = harness.deps(tables);
    const doc = makeUsageDocument({ collectedAt: "2024-03-06T03:00:00Z" }); // 2024-W10
    const claim = await harness.archive(doc);
    await aggregateDocument(claim, deps);
    await harness.rawArchive.remove(claim.blobName);

    const dry = await rebuildWeeks("2024-W10", "2024-W10", deps, { dryRun: true, force: true });
    assert.deepEqual(dry.map((r) => [r.status, r.documents, r.previousSnapshots]), [["dry-run", 0, 1]]);
    const skipped = await rebuildWeeks("2024-W10", "2024-W10", deps);
    assert.equal(skipped[0]?.status, "skipped-no-raw");
    assert.equal((await tables.weeklyStats.readRollup("2024-W10")).hierarchies, 1);
    const forced = await rebuildWeeks("2024-W10", "2024-W10", deps, { force: true });
    assert.equal(forced[0]?.status, "rebuilt");
    assert.equal((await tables.weeklyStats.readRollup("2024-W10")).hierarchies, 0);
    assert.equal((await tables.hierarchyWeeks.list(toHierarchyKey(doc.hierarchyId))).length, 0);
  });
});
