import assert from "node:assert/strict";
import { test } from "node:test";
import type { DimensionRollup } from "../../../shared/aggregation/dimensionRollup";
import { InvalidParameterError } from "../../../shared/errors";
import { toCsv } from "../../../shared/http/csv";
import { toDimensionStats } from "../../../shared/query/dimensionStats";
import { readDimensionTrend, toDimensionTrendCsv } from "../../../shared/query/dimensionTrend";
import { MAX_TREND_WEEKS } from "../../../shared/query/weekTrend";
import { categoricalRollup, dimension, distributionRollup, FixedRollupReader } from "../../support/dimensionRollups";

const weekData = (entries: [string, [string, DimensionRollup][]][]) => new Map(entries.map(([week, rollups]) => [week, new Map(rollups)]));

const versions = (pairs: [string, number][]) =>
  categoricalRollup("hierarchy", { hierarchies: pairs.reduce((n, [, h]) => n + h, 0), clients: 0 }, pairs.map(([v, h]) => [v, h, 0, 0]));

test("open range: from the first to the last week with data, every week between listed, zeros where empty", async () => {
  const reader = new FixedRollupReader(
    weekData([
      ["2026-W01", [["version", versions([["2409", 2], ["2403", 1]])]]],
      ["2026-W03", [["version", versions([["2409", 3]])]]],
    ]),
  );
  const trend = await readDimensionTrend(reader, dimension("version"), {}, { minHierarchies: 1 });
  assert.deepEqual(trend, {
    dimension: "version",
    kind: "hierarchy",
    weeks: [
      { week: "2026-W01", hierarchies: 3, values: { "2409": 2, "2403": 1 } },
      { week: "2026-W02", hierarchies: 0, values: {} },
      { week: "2026-W03", hierarchies: 3, values: { "2409": 3 } },
    ],
  });
  assert.deepEqual(reader.reads, ["2026-W01/version", "2026-W02/version", "2026-W03/version"]);
});

test("explicit range: every week of it is read, even with no data at all; no data and an open range: no weeks", async () => {
  const reader = new FixedRollupReader(new Map());
  const trend = await readDimensionTrend(reader, dimension("os"), { from: "2025-W52", to: "2026-W01" }, { minHierarchies: 1 });
  assert.deepEqual(trend, { dimension: "os", kind: "clients", weeks: [{ week: "2025-W52", hierarchies: 0, values: {} }, { week: "2026-W01", hierarchies: 0, values: {} }] });
  assert.deepEqual(await readDimensionTrend(reader, dimension("os"), {}, { minHierarchies: 1 }), { dimension: "os", kind: "clients", weeks: [] });
});

test("kind clients counts clients, kind set hierarchies; `__proto__` is an own key of values", async () => {
  const reader = new FixedRollupReader(
    weekData([
      [
        "2026-W05",
        [
          ["os", categoricalRollup("clients", { hierarchies: 2, clients: 30 }, [["__proto__", 2, 30, 0]])],
          ["siteType", categoricalRollup("set", { hierarchies: 2, clients: 30 }, [["primary", 2, 0, 5]])],
        ],
      ],
    ]),
  );
  const os = await readDimensionTrend(reader, dimension("os"), {}, { minHierarchies: 1 });
  assert.equal(os.kind, "clients");
  const values = os.weeks[0]!.values;
  assert.ok(Object.hasOwn(values, "__proto__"));
  assert.equal(Object.getPrototypeOf(values), Object.prototype);
  assert.equal(JSON.stringify(os), '{"dimension":"os","kind":"clients","weeks":[{"week":"2026-W05","hierarchies":2,"values":{"__proto__":30}}]}');
  const sites = await readDimensionTrend(reader, dimension("siteType"), {}, { minHierarchies: 1 });
  assert.deepEqual(sites.weeks, [{ week: "2026-W05", hierarchies: 2, values: { primary: 2 } }]);
});

test("each week is folded as the one-week route folds it, with the same minHierarchies", async () => {
  const rollup = versions([["2409", 5], ["2403", 3], ["2309", 1]]);
  const reader = new FixedRollupReader(weekData([["2026-W05", [["version", rollup]]]]));
  const trend = await readDimensionTrend(reader, dimension("version"), {}, { minHierarchies: 2 });
  const stats = toDimensionStats("2026-W05", dimension("version"), rollup, { minHierarchies: 2 });
  assert.ok(stats.kind === "hierarchy");
  assert.deepEqual(trend.weeks, [{ week: "2026-W05", hierarchies: 9, values: Object.fromEntries(stats.values.map((v) => [v.value, v.hierarchies])) }]);
  assert.deepEqual(trend.weeks, [{ week: "2026-W05", hierarchies: 9, values: { "2409": 5, "(fewer than 2)": 4 } }]);
});

test("a distribution: hierarchies and the percentiles, null for an empty week and below minHierarchies", async () => {
  const reader = new FixedRollupReader(weekData([["2026-W01", [["sites", distributionRollup([1, 1, 1])]]], ["2026-W03", [["sites", distributionRollup([4])]]]]));
  const trend = await readDimensionTrend(reader, dimension("sites"), {}, { minHierarchies: 2 });
  assert.equal(trend.kind, "distribution");
  const [w1, w2, w3] = trend.weeks as { week: string; hierarchies: number; p50: number | null; p90: number | null; p99: number | null }[];
  assert.equal(w1!.hierarchies, 3);
  for (const p of [w1!.p50, w1!.p90, w1!.p99]) assert.ok(p !== null && Math.abs(p - 1) < 0.01);
  assert.deepEqual(w2, { week: "2026-W02", hierarchies: 0, p50: null, p90: null, p99: null });
  assert.deepEqual(w3, { week: "2026-W03", hierarchies: 1, p50: null, p90: null, p99: null });
});

test("a range beyond MAX_TREND_WEEKS is refused before a single week is read", async () => {
  const reader = new FixedRollupReader(new Map());
  await assert.rejects(readDimensionTrend(reader, dimension("version"), { from: "2000-W01", to: "2099-W01" }, { minHierarchies: 1 }), InvalidParameterError);
  assert.deepEqual(reader.reads, []);
  assert.ok(MAX_TREND_WEEKS < 52 * 99);
});

test("CSV, categorical: week,hierarchies and one column per value, largest total first, 0 where a week lacks it; guarded", async () => {
  const reader = new FixedRollupReader(
    weekData([
      ["2026-W01", [["os", categoricalRollup("clients", { hierarchies: 1, clients: 10 }, [["b", 1, 4, 0], ["=a", 1, 6, 0]])]]],
      ["2026-W02", [["os", categoricalRollup("clients", { hierarchies: 1, clients: 9 }, [["b", 1, 9, 0]])]]],
    ]),
  );
  const csv = toCsv(toDimensionTrendCsv(await readDimensionTrend(reader, dimension("os"), {}, { minHierarchies: 1 })));
  assert.equal(csv, "week,hierarchies,b,'=a\r\n2026-W01,1,4,6\r\n2026-W02,1,9,0\r\n");
});

test("CSV, distribution: week,hierarchies,p50,p90,p99 with empty fields for null", async () => {
  const reader = new FixedRollupReader(weekData([["2026-W01", [["clients", distributionRollup([0])]]]]));
  const csv = toCsv(toDimensionTrendCsv(await readDimensionTrend(reader, dimension("clients"), { from: "2026-W01", to: "2026-W02" }, { minHierarchies: 1 })));
  assert.equal(csv, "week,hierarchies,p50,p90,p99\r\n2026-W01,1,0,0,0\r\n2026-W02,0,,,\r\n");
});

test("weeks as /stats/trend lays them: one old week of data does not stretch the default range beyond 52 weeks", async () => {
  const reader = new FixedRollupReader(
    weekData([
      ["2015-W02", [["version", versions([["1511", 1]])]]],
      ["2026-W01", [["version", versions([["2409", 2]])]]],
      ["2026-W49", [["version", versions([["2409", 3]])]]],
    ]),
  );
  const all = await readDimensionTrend(reader, dimension("version"), {}, { minHierarchies: 1 });
  assert.equal(all.weeks.length, 52);
  assert.deepEqual([all.weeks[0]?.week, all.weeks[51]?.week], ["2025-W50", "2026-W49"]);
  assert.deepEqual(all.weeks.filter((w) => w.hierarchies > 0).map((w) => w.week), ["2026-W01", "2026-W49"]);
  const endingAt = await readDimensionTrend(reader, dimension("version"), { to: "2016-W01" }, { minHierarchies: 1 });
  assert.deepEqual([endingAt.weeks[0]?.week, endingAt.weeks.at(-1)?.week, endingAt.weeks.length], ["2015-W03", "2016-W01", 52]);
  const fromOnly = await readDimensionTrend(reader, dimension("version"), { from: "2026-W40" }, { minHierarchies: 1 });
  assert.deepEqual([fromOnly.weeks[0]?.week, fromOnly.weeks.at(-1)?.week], ["2026-W40", "2026-W49"]);
  await assert.rejects(readDimensionTrend(reader, dimension("version"), { from: "2015-W02", to: "2026-W49" }, { minHierarchies: 1 }), InvalidParameterError);
});
