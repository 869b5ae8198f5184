import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyDimensionRollup, type DimensionRollup } from "../../../shared/aggregation/dimensionRollup";
import { bucketBoundsOf, bucketIndexOf } from "../../../shared/aggregation/logBuckets";
import { toCsv } from "../../../shared/http/csv";
import { toDimensionStats, toDimensionStatsCsv, type DimensionStats } from "../../../shared/query/dimensionStats";
import { categoricalRollup, dimension, distributionRollup } from "../../support/dimensionRollups";

const week = "2026-W10";

interface Case {
  name: string;
  dimension: string;
  rollup: DimensionRollup;
  k?: number;
  expected: DimensionStats;
}

const cases: Case[] = [
  {
    name: "hierarchy, empty week: zeros and an empty list",
    dimension: "version",
    rollup: emptyDimensionRollup("hierarchy"),
    expected: { week, dimension: "version", kind: "hierarchy", hierarchies: 0, clients: 0, values: [] },
  },
  {
    name: "hierarchy, one hierarchy",
    dimension: "sqlVersion",
    rollup: categoricalRollup("hierarchy", { hierarchies: 1, clients: 50 }, [["15.0", 1, 50, 0]]),
    expected: { week, dimension: "sqlVersion", kind: "hierarchy", hierarchies: 1, clients: 50, values: [{ value: "15.0", hierarchies: 1, clients: 50 }] },
  },
  {
    name: "hierarchy: most hierarchies first, then value by code unit",
    dimension: "version",
    rollup: categoricalRollup("hierarchy", { hierarchies: 6, clients: 60 }, [["2403", 1, 10, 0], ["2409", 3, 30, 0], ["2309", 1, 5, 0], ["2303", 1, 15, 0]]),
    expected: {
      week,
      dimension: "version",
      kind: "hierarchy",
      hierarchies: 6,
      clients: 60,
      values: [
        { value: "2409", hierarchies: 3, clients: 30 },
        { value: "2303", hierarchies: 1, clients: 15 },
        { value: "2309", hierarchies: 1, clients: 5 },
        { value: "2403", hierarchies: 1, clients: 10 },
      ],
    },
  },
  {
    name: "hierarchy, k = 2 with exactly one small value: the last of the rest is folded with it, totals unchanged",
    dimension: "sqlEdition",
    k: 2,
    rollup: categoricalRollup("hierarchy", { hierarchies: 10, clients: 100 }, [["standard", 5, 50, 0], ["enterprise", 4, 40, 0], ["express", 1, 10, 0]]),
    expected: {
      week,
      dimension: "sqlEdition",
      kind: "hierarchy",
      hierarchies: 10,
      clients: 100,
      values: [
        { value: "standard", hierarchies: 5, clients: 50 },
        { value: "(fewer than 2)", hierarchies: 5, clients: 50 },
      ],
    },
  },
  {
    name: "hierarchy, a `__proto__` value is a value like any other",
    dimension: "build",
    rollup: categoricalRollup("hierarchy", { hierarchies: 3, clients: 3 }, [["__proto__", 2, 2, 0], ["constructor", 1, 1, 0]]),
    expected: {
      week,
      dimension: "build",
      kind: "hierarchy",
      hierarchies: 3,
      clients: 3,
      values: [
        { value: "__proto__", hierarchies: 2, clients: 2 },
        { value: "constructor", hierarchies: 1, clients: 1 },
      ],
    },
  },
  {
    name: "set: hierarchies and count; most hierarchies first; clients is the dimension's total",
    dimension: "siteRole",
    rollup: categoricalRollup("set", { hierarchies: 4, clients: 900 }, [["distributionPoint", 4, 0, 30], ["managementPoint", 4, 0, 6], ["softwareUpdatePoint", 2, 0, 2]]),
    expected: {
      week,
      dimension: "siteRole",
      kind: "set",
      hierarchies: 4,
      clients: 900,
      values: [
        { value: "distributionPoint", hierarchies: 4, count: 30 },
        { value: "managementPoint", hierarchies: 4, count: 6 },
        { value: "softwareUpdatePoint", hierarchies: 2, count: 2 },
      ],
    },
  },
  {
    name: "set, k = 3 with several small values: folded into one row listed last",
    dimension: "siteType",
    k: 3,
    rollup: categoricalRollup("set", { hierarchies: 5, clients: 10 }, [["primary", 5, 0, 7], ["cas", 2, 0, 2], ["secondary", 1, 0, 4]]),
    expected: {
      week,
      dimension: "siteType",
      kind: "set",
      hierarchies: 5,
      clients: 10,
      values: [
        { value: "primary", hierarchies: 5, count: 7 },
        { value: "(fewer than 3)", hierarchies: 3, count: 6 },
      ],
    },
  },
  {
    name: "clients: most clients first, a value named with 0 clients listed",
    dimension: "os",
    rollup: categoricalRollup("clients", { hierarchies: 2, clients: 300 }, [["Windows 10", 2, 100, 0], ["Windows 11", 1, 200, 0], ["Windows 7", 1, 0, 0]]),
    expected: {
      week,
      dimension: "os",
      kind: "clients",
      hierarchies: 2,
      clients: 300,
      values: [
        { value: "Windows 11", clients: 200, hierarchies: 1 },
        { value: "Windows 10", clients: 100, hierarchies: 2 },
        { value: "Windows 7", clients: 0, hierarchies: 1 },
      ],
    },
  },
  {
    name: "clients, k = 2: a real value spelled `(fewer than 2)` joins the folded row, never listed twice",
    dimension: "officeVersion",
    k: 2,
    rollup: categoricalRollup("clients", { hierarchies: 4, clients: 70 }, [["16.0", 4, 40, 0], ["(fewer than 2)", 3, 20, 0], ["15.0", 1, 10, 0]]),
    expected: {
      week,
      dimension: "officeVersion",
      kind: "clients",
      hierarchies: 4,
      clients: 70,
      values: [
        { value: "16.0", clients: 40, hierarchies: 4 },
        { value: "(fewer than 2)", clients: 30, hierarchies: 4 },
      ],
    },
  },
  {
    name: "distribution, empty week: figures null, no buckets",
    dimension: "clients",
    rollup: emptyDimensionRollup("distribution"),
    expected: { week, dimension: "clients", kind: "distribution", hierarchies: 0, sum: null, mean: null, min: null, max: null, p50: null, p90: null, p99: null, buckets: [] },
  },
  {
    name: "distribution, zeros: exactly 0 and a bucket [0, 0] of their own",
    dimension: "entraJoinedPercent",
    rollup: distributionRollup([0, 0]),
    expected: {
      week,
      dimension: "entraJoinedPercent",
      kind: "distribution",
      hierarchies: 2,
      sum: 0,
      mean: 0,
      min: 0,
      max: 0,
      p50: 0,
      p90: 0,
      p99: 0,
      buckets: [{ lower: 0, upper: 0, hierarchies: 2 }],
    },
  },
  {
    name: "distribution over fewer than k hierarchies: figures null, no buckets, hierarchies kept",
    dimension: "databaseSizeMb",
    k: 3,
    rollup: distributionRollup([100, 200]),
    expected: { week, dimension: "databaseSizeMb", kind: "distribution", hierarchies: 2, sum: null, mean: null, min: null, max: null, p50: null, p90: null, p99: null, buckets: [] },
  },
];

for (const c of cases) {
  test(`toDimensionStats: ${c.name}`, () => {
    const stats = toDimensionStats(week, dimension(c.dimension), c.rollup, { minHierarchies: c.k ?? 1 });
    assert.deepEqual(stats, c.expected);
    // Key order is part of the answer: JSON writes keys in the order the contract lists them.
    assert.equal(JSON.stringify(stats), JSON.stringify(c.expected));
  });
}

/** Within 1% of `exact`, and exactly 0 for 0. */
function near(actual: number | null, exact: number, what: string): void {
  assert.ok(actual !== null, what);
  if (exact === 0) assert.equal(actual, 0, what);
  else assert.ok(Math.abs(actual - exact) / exact < 0.01, `${what}: ${actual} vs ${exact}`);
}

test("toDimensionStats, distribution: sum and mean exact, min/max/percentiles (nearest rank) within 1%, buckets ascending adding up", () => {
  const values = [0, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 1000.5];
  const stats = toDimensionStats(week, dimension("collectionRuntimeSeconds"), distributionRollup(values), { minHierarchies: 1 });
  assert.equal(stats.kind, "distribution");
  const sum = values.reduce((a, b) => a + b, 0);
  assert.equal(stats.hierarchies, values.length);
  assert.equal(stats.sum, sum);
  assert.equal(stats.mean, sum / values.length);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;
  near(stats.min, 0, "min");
  near(stats.max, 1000.5, "max");
  near(stats.p50, rank(0.5), "p50");
  near(stats.p90, rank(0.9), "p90");
  near(stats.p99, rank(0.99), "p99");
  assert.deepEqual(stats.buckets, [...new Set(values.map(bucketIndexOf))].sort((a, b) => a - b).map((i) => ({ ...bucketBoundsOf(i), hierarchies: 1 })));
  assert.equal(stats.buckets.reduce((n, b) => n + b.hierarchies, 0), values.length);
});

test("toDimensionStats: a rollup of another kind than its dimension's is a TypeError", () => {
  assert.throws(() => toDimensionStats(week, dimension("os"), emptyDimensionRollup("distribution"), { minHierarchies: 1 }), TypeError);
});

test("toDimensionStats: values with 0 hierarchies are not listed", () => {
  const stats = toDimensionStats(week, dimension("version"), categoricalRollup("hierarchy", { hierarchies: 1, clients: 1 }, [["2409", 1, 1, 0], ["2403", 0, 0, 0]]), { minHierarchies: 1 });
  assert.deepEqual(stats.kind === "distribution" ? [] : stats.values.map((v) => v.value), ["2409"]);
});

const csvCases: { name: string; dimension: string; rollup: DimensionRollup; csv: string }[] = [
  {
    name: "hierarchy: value,hierarchies,clients; a formula-like value gets its guard",
    dimension: "build",
    rollup: categoricalRollup("hierarchy", { hierarchies: 3, clients: 30 }, [["5.00.9132.1000", 2, 20, 0], ["=cmd|' /C calc'!A0", 1, 10, 0]]),
    csv: "value,hierarchies,clients\r\n5.00.9132.1000,2,20\r\n'=cmd|' /C calc'!A0,1,10\r\n",
  },
  {
    name: "set: value,hierarchies,count",
    dimension: "siteType",
    rollup: categoricalRollup("set", { hierarchies: 2, clients: 0 }, [["primary", 2, 0, 3], ["cas", 1, 0, 1]]),
    csv: "value,hierarchies,count\r\nprimary,2,3\r\ncas,1,1\r\n",
  },
  {
    name: "clients: value,clients,hierarchies; a value with a comma is quoted",
    dimension: "os",
    rollup: categoricalRollup("clients", { hierarchies: 2, clients: 7 }, [["Windows 11, 24H2", 1, 5, 0], ["__proto__", 2, 2, 0]]),
    csv: 'value,clients,hierarchies\r\n"Windows 11, 24H2",5,1\r\n__proto__,2,2\r\n',
  },
  {
    name: "distribution: one row per bucket, lower,upper,hierarchies",
    dimension: "sites",
    rollup: distributionRollup([0, 1, 1]),
    csv: `lower,upper,hierarchies\r\n0,0,1\r\n1,${bucketBoundsOf(bucketIndexOf(1)).upper},2\r\n`,
  },
  {
    name: "distribution, empty: the header row alone",
    dimension: "sites",
    rollup: emptyDimensionRollup("distribution"),
    csv: "lower,upper,hierarchies\r\n",
  },
];

for (const c of csvCases) {
  test(`toDimensionStatsCsv: ${c.name}`, () => {
    assert.equal(toCsv(toDimensionStatsCsv(toDimensionStats(week, dimension(c.dimension), c.rollup, { minHierarchies: 1 }))), c.csv);
  });
}

test("toDimensionStats: a percentage is never estimated above 100, though the bucket holding 100 reaches past it", () => {
  for (const name of ["entraJoinedPercent", "coManagedPercent", "softwareUpdateCompliancePercent", "scanSuccessPercent"]) {
    const stats = toDimensionStats(week, dimension(name), distributionRollup([97, 100, 100, 100]), { minHierarchies: 1 });
    assert.equal(stats.kind, "distribution");
    assert.ok(bucketBoundsOf(bucketIndexOf(100)).upper > 100, "the premise: 100's bucket reaches past 100");
    assert.deepEqual([stats.max, stats.p50, stats.p90, stats.p99], [100, 100, 100, 100], name);
    near(stats.min, 97, `${name} min`);
  }
});
