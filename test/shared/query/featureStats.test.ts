import assert from "node:assert/strict";
import { test } from "node:test";
import { addContribution, contributionOf, emptyRollup } from "../../../shared/aggregation/weekRollup";
import { toFeatureStats, toFeatureStatsCsv } from "../../../shared/query/featureStats";
import type { Feature, Level } from "../../../shared/validation/usageV1";
import { makeUsageDocument } from "../../../devkit/usageDocuments";

function rollupOf(snapshots: { level: Level; features?: Record<string, Feature> }[]) {
  const rollup = emptyRollup();
  for (const s of snapshots) addContribution(rollup, contributionOf(makeUsageDocument({ level: s.level, features: s.features })));
  return rollup;
}

test("most enabled first, then by name; uses summed with a missing uses as 0", () => {
  const stats = toFeatureStats(
    "2026-W47",
    rollupOf([
      { level: "enhanced", features: { peerCache: { enabled: true, uses: 3 }, cmPivot: { enabled: true }, tenantAttach: { enabled: false, uses: 9 } } },
      { level: "full", features: { cmPivot: { enabled: true, uses: 4 }, coManagement: { enabled: true, uses: 1 }, tenantAttach: { enabled: false } } },
      { level: "enhanced", features: {} },
    ]),
  );
  assert.deepEqual(stats, {
    week: "2026-W47",
    hierarchies: 3,
    features: [
      { name: "cmPivot", enabledHierarchies: 2, uses: 4 },
      { name: "coManagement", enabledHierarchies: 1, uses: 1 },
      { name: "peerCache", enabledHierarchies: 1, uses: 3 },
      { name: "tenantAttach", enabledHierarchies: 0, uses: 9 },
    ],
  });
});

test("basic snapshots count neither in hierarchies nor in features", () => {
  const stats = toFeatureStats("2026-W47", rollupOf([{ level: "basic", features: undefined }, { level: "enhanced", features: { cmPivot: { enabled: true, uses: 1 } } }]));
  assert.equal(stats.hierarchies, 1);
  assert.deepEqual(stats.features, [{ name: "cmPivot", enabledHierarchies: 1, uses: 1 }]);
});

test("ties, table-driven", () => {
  const cases: { name: string; features: [string, number][]; order: string[] }[] = [
    { name: "name breaks ties by code unit", features: [["peerCache", 1], ["cmPivot", 1], ["coManagement", 1]], order: ["cmPivot", "coManagement", "peerCache"] },
    // `M` (0x4D) sorts before `n` (0x6E): code units, not a case-insensitive collation.
    { name: "upper case before lower case", features: [["constructor", 1], ["coManagement", 1]], order: ["coManagement", "constructor"] },
    { name: "enabled count first", features: [["a", 1], ["z", 5], ["m", 0]], order: ["z", "a", "m"] },
  ];
  for (const c of cases) {
    const rollup = emptyRollup();
    for (const [name, enabled] of c.features) rollup.features.set(name, { enabledHierarchies: enabled, uses: 0, named: Math.max(enabled, 1) });
    assert.deepEqual(toFeatureStats("2026-W47", rollup).features.map((f) => f.name), c.order, c.name);
  }
});

test("constructor and hasOwnProperty are feature names like any other", () => {
  const features: Record<string, Feature> = Object.fromEntries([
    ["constructor", { enabled: true, uses: 2 }],
    ["hasOwnProperty", { enabled: false, uses: 5 }],
    ["toString", { enabled: true }],
  ]);
  const stats = toFeatureStats("2026-W47", rollupOf([{ level: "full", features }]));
  assert.deepEqual(stats.features, [
    { name: "constructor", enabledHierarchies: 1, uses: 2 },
    { name: "toString", enabledHierarchies: 1, uses: 0 },
    { name: "hasOwnProperty", enabledHierarchies: 0, uses: 5 },
  ]);
  assert.deepEqual(toFeatureStatsCsv(stats).rows, [["constructor", 1, 2], ["toString", 1, 0], ["hasOwnProperty", 0, 5]]);
});

test("an empty week gives zero hierarchies and no features", () => {
  assert.deepEqual(toFeatureStats("2026-W47", emptyRollup()), { week: "2026-W47", hierarchies: 0, features: [] });
});

test("a feature no snapshot names any more is not listed", () => {
  const rollup = emptyRollup();
  rollup.features.set("gone", { enabledHierarchies: 0, uses: 0, named: 0 });
  rollup.features.set("here", { enabledHierarchies: 0, uses: 0, named: 1 });
  assert.deepEqual(toFeatureStats("2026-W47", rollup).features.map((f) => f.name), ["here"]);
});
