import assert from "node:assert/strict";
import { test } from "node:test";
import { expectedDimension, expectedVersions } from "../../../scripts/simulator/expectedStats";
import { dimensionRules, nearestRank, snapshotsOf } from "../../../scripts/simulator/referenceModel";
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
