import assert from "node:assert/strict";
import { test } from "node:test";
import { expectedDimension, expectedVersions } from "../../../scripts/simulator/expectedStats";
import { dimensionRules, nearestRank, sinceVersionOf, snapshotsOf } from "../../../scripts/simulator/referenceModel";
import { makeUsageDocument } from "../../../devkit/usageDocuments";

const hierarchyId = "hHQZZy6UB0moQc4nYJKM2JyfK3VwlbdSnL60ptbX9EQ=";
const doc = (docId: string, collectedAt: string, version: string) => makeUsageDocument({ docId, hierarchyId, collectedAt, product: { version, build: "5.00.9132.1000", branch: "current" } });

test("a hierarchy's week counts its latest collectedAt, ties to the greater docId, in whatever order they came", () => {
  const early = doc("00000000-0000-4000-8000-000000000001", "2026-11-16T03:00:00.000Z", "2403");
  const late = doc("00000000-0000-4000-8000-000000000002", "2026-11-18T03:00:00.000Z", "2409");
  const tie = doc("00000000-0000-4000-8000-000000000003", "2026-11-18T03:00:00.000Z", "2503");
  for (const order of [[early, late, tie], [tie, late, early], [late, tie, early]]) {
    const snapshots = snapshotsOf(order.map((document) => ({ week: "2026-W47", document })));
    assert.equal(snapshots.get("2026-W47")?.get(hierarchyId), tie);
  }
  const versions = expectedVersions("2026-W47", snapshotsOf([early, late].map((document) => ({ week: "2026-W47", document }))).get("2026-W47")!);
  assert.deepEqual(versions.versions.map((v) => v.version), ["2409"]);
  assert.equal(versions.hierarchies, 1);
});

test("dimensions at level full do not apply below it; every contract dimension has a rule", () => {
  const full = makeUsageDocument({ level: "full" });
  const enhanced = makeUsageDocument({ level: "enhanced" });
  const snapshots = new Map([[full.hierarchyId, full], [enhanced.hierarchyId, enhanced]]);
  const rule = dimensionRules.find((r) => r.name === "scanSuccessPercent")!;
  assert.deepEqual(expectedDimension(rule, snapshots), { kind: "distribution", hierarchies: 1, numbers: [full.compliance!.scanSuccessPercent] });
  assert.equal(dimensionRules.length, 38, "the contract's 25 dimensions of version 1 and 13 of version 2");
});

test("nearest rank is the value at rank ⌈p·n⌉", () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  assert.deepEqual([50, 90, 99].map((p) => nearestRank(ten, p)), [5, 9, 10]);
  assert.equal(nearestRank([], 50), null);
  assert.equal(nearestRank([7], 1), 7);
});

test("a hierarchy that moves from v1 to v2 within a week: its latest document is the snapshot, and version 2's dimensions count only it", () => {
  const v1 = doc("00000000-0000-4000-8000-000000000011", "2026-11-16T03:00:00.000Z", "2403");
  const v2 = {
    ...doc("00000000-0000-4000-8000-000000000012", "2026-11-18T03:00:00.000Z", "2409"),
    schemaVersion: 2 as const,
    cloud: { cmgCount: 2, cmgRegions: ["westeurope"], tenantAttached: true },
  };
  const other = makeUsageDocument({ collectedAt: "2026-11-17T03:00:00.000Z" });
  const cmgCount = dimensionRules.find((r) => r.name === "cmgCount")!;
  const version = dimensionRules.find((r) => r.name === "version")!;
  for (const order of [[v1, v2, other], [v2, other, v1]]) {
    const week = snapshotsOf(order.map((document) => ({ week: "2026-W47", document }))).get("2026-W47")!;
    assert.equal(week.get(hierarchyId), v2);
    // Counted by the v1 dimensions as a v1 document would be, and alone in the v2 one.
    assert.equal(expectedDimension(version, week).hierarchies, 2);
    assert.deepEqual(expectedDimension(cmgCount, week), { kind: "distribution", hierarchies: 1, numbers: [2] });
  }
  // Moved back (a later v1 document): the v2 dimension has nothing to count.
  const back = doc("00000000-0000-4000-8000-000000000013", "2026-11-19T03:00:00.000Z", "2403");
  const week = snapshotsOf([v1, v2, back].map((document) => ({ week: "2026-W47", document }))).get("2026-W47")!;
  assert.equal(expectedDimension(cmgCount, week).hierarchies, 0);
  assert.equal(sinceVersionOf("cmgCount"), 2);
  assert.equal(sinceVersionOf("os"), 1);
});
