import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidParameterError, StorageUnavailableError } from "../../../shared/errors";
import type { IsoWeek } from "../../../shared/isoWeek";
import {
  DEFAULT_TREND_WEEKS,
  MAX_TREND_WEEKS,
  TREND_READ_CONCURRENCY,
  readWeekTrend,
  resolveTrendRange,
  toWeekTrend,
  toWeekTrendCsv,
  weeksOf,
  type WeekSummary,
} from "../../../shared/query/weekTrend";

function summary(versions: [string, number, number][]): WeekSummary {
  return {
    hierarchies: versions.reduce((sum, [, h]) => sum + h, 0),
    clients: versions.reduce((sum, [, , c]) => sum + c, 0),
    versions: new Map(versions.map(([v, hierarchies, clients]) => [v, { hierarchies, clients }])),
  };
}

/** A stand-in for WeeklyStatsTable that records what it was asked. */
function fakeTable(data: Record<string, WeekSummary>, options: { failOn?: IsoWeek; delayMs?: number } = {}) {
  const reads: IsoWeek[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let listed = 0;
  return {
    reads,
    get maxInFlight() {
      return maxInFlight;
    },
    get listed() {
      return listed;
    },
    async listWeeks(): Promise<IsoWeek[]> {
      listed++;
      return (Object.keys(data) as IsoWeek[]).sort();
    },
    async readSummary(week: IsoWeek): Promise<WeekSummary> {
      reads.push(week);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 1));
      inFlight--;
      if (week === options.failOn) throw new StorageUnavailableError("down");
      return data[week] ?? summary([]);
    },
  };
}

test("weeksOf lists every week inclusive, across year ends with 52 and 53 weeks", () => {
  const cases: [IsoWeek, IsoWeek, IsoWeek[]][] = [
    ["2026-W47", "2026-W47", ["2026-W47"]],
    ["2026-W52", "2027-W02", ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]], // 2026 has 53 weeks
    ["2025-W51", "2026-W01", ["2025-W51", "2025-W52", "2026-W01"]], // 2025 has 52
  ];
  for (const [from, to, weeks] of cases) assert.deepEqual(weeksOf({ from, to }), weeks, `${from}..${to}`);
});

test("weeksOf allows MAX_TREND_WEEKS and refuses one more", () => {
  // 2015 and 2020 have 53 ISO weeks, so 2015-W01..2024-W52 is 522 weeks.
  const longest = weeksOf({ from: "2015-W03", to: "2024-W52" });
  assert.equal(longest.length, MAX_TREND_WEEKS);
  assert.equal(longest[0], "2015-W03");
  assert.equal(longest[MAX_TREND_WEEKS - 1], "2024-W52");
  assert.throws(() => weeksOf({ from: "2015-W02", to: "2024-W52" }), (e: unknown) => e instanceof InvalidParameterError && /521 weeks/.test(e.message));
});

test("resolveTrendRange: open ends default to the first and last week with data", () => {
  const data: IsoWeek[] = ["2026-W40", "2026-W44", "2026-W47"];
  const cases: [string, { from?: IsoWeek; to?: IsoWeek }, readonly IsoWeek[], { from: IsoWeek; to: IsoWeek } | undefined][] = [
    ["both open", {}, data, { from: "2026-W40", to: "2026-W47" }],
    ["both given, no data needed", { from: "2026-W01", to: "2026-W02" }, [], { from: "2026-W01", to: "2026-W02" }],
    ["from only", { from: "2026-W42" }, data, { from: "2026-W42", to: "2026-W47" }],
    ["to only", { to: "2026-W45" }, data, { from: "2026-W40", to: "2026-W45" }],
    ["from after the last week with data", { from: "2026-W48" }, data, undefined],
    ["to before the first week with data", { to: "2026-W39" }, data, undefined],
    ["no data, both open", {}, [], undefined],
    ["no data, from only", { from: "2026-W01" }, [], undefined],
  ];
  for (const [name, range, weeks, expected] of cases) assert.deepEqual(resolveTrendRange(range, weeks), expected, name);
});

test("toWeekTrend fills gaps with zeros, keeps week order, and counts hierarchies per version", () => {
  const trend = toWeekTrend(
    ["2026-W45", "2026-W46", "2026-W47"],
    new Map<IsoWeek, WeekSummary>([
      ["2026-W47", summary([["2409", 2, 300], ["2403", 1, 50]])],
      ["2026-W45", summary([["2403", 4, 80]])],
    ]),
  );
  assert.deepEqual(trend, {
    weeks: [
      { week: "2026-W45", hierarchies: 4, clients: 80, versions: { "2403": 4 } },
      { week: "2026-W46", hierarchies: 0, clients: 0, versions: {} },
      { week: "2026-W47", hierarchies: 3, clients: 350, versions: { "2409": 2, "2403": 1 } },
    ],
  });
});

test("trend versions are own data properties, whatever the key", () => {
  const odd = new Map([["__proto__", { hierarchies: 1, clients: 1 }]]);
  const trend = toWeekTrend(["2026-W47"], new Map<IsoWeek, WeekSummary>([["2026-W47", { hierarchies: 1, clients: 1, versions: odd }]]));
  const versions = trend.weeks[0]!.versions;
  assert.ok(Object.hasOwn(versions, "__proto__"));
  assert.equal(Object.getPrototypeOf(versions), Object.prototype);
  assert.equal(JSON.stringify(versions), '{"__proto__":1}');
});

test("trend CSV: one column per version seen in the range, newest first, 0 where absent", () => {
  const trend = toWeekTrend(
    ["2026-W45", "2026-W46", "2026-W47"],
    new Map<IsoWeek, WeekSummary>([
      ["2026-W45", summary([["2403", 4, 80]])],
      ["2026-W47", summary([["2409", 2, 300], ["2310", 1, 5]])],
    ]),
  );
  assert.deepEqual(toWeekTrendCsv(trend), {
    header: ["week", "hierarchies", "clients", "2409", "2403", "2310"],
    rows: [
      ["2026-W45", 4, 80, 0, 4, 0],
      ["2026-W46", 0, 0, 0, 0, 0],
      ["2026-W47", 3, 305, 2, 0, 1],
    ],
  });
  assert.deepEqual(toWeekTrendCsv({ weeks: [] }), { header: ["week", "hierarchies", "clients"], rows: [] });
});

test("readWeekTrend without a range covers first to last week with data and reads each week once", async () => {
  const table = fakeTable({ "2026-W44": summary([["2403", 1, 10]]), "2026-W47": summary([["2409", 2, 20]]) });
  const trend = await readWeekTrend(table, {});
  assert.deepEqual(trend.weeks.map((w) => [w.week, w.hierarchies]), [["2026-W44", 1], ["2026-W45", 0], ["2026-W46", 0], ["2026-W47", 2]]);
  assert.deepEqual([...table.reads].sort(), ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]);
  assert.equal(table.listed, 1);
});

test("readWeekTrend with both ends reads no index, and an empty store gives no weeks", async () => {
  const table = fakeTable({});
  const trend = await readWeekTrend(table, { from: "2026-W46", to: "2026-W47" });
  assert.deepEqual(trend.weeks, [
    { week: "2026-W46", hierarchies: 0, clients: 0, versions: {} },
    { week: "2026-W47", hierarchies: 0, clients: 0, versions: {} },
  ]);
  assert.equal(table.listed, 0);
  assert.deepEqual(await readWeekTrend(fakeTable({}), {}), { weeks: [] });
});

test("readWeekTrend keeps at most TREND_READ_CONCURRENCY reads in flight", async () => {
  const table = fakeTable({}, { delayMs: 3 });
  const trend = await readWeekTrend(table, { from: "2026-W01", to: "2026-W40" });
  assert.equal(trend.weeks.length, 40);
  assert.equal(table.reads.length, 40);
  assert.equal(table.maxInFlight, TREND_READ_CONCURRENCY);
});

test("readWeekTrend fails with the storage error and starts no more reads after it", async () => {
  const table = fakeTable({}, { failOn: "2026-W02", delayMs: 2 });
  await assert.rejects(readWeekTrend(table, { from: "2026-W01", to: "2026-W52" }), StorageUnavailableError);
  assert.ok(table.reads.length < 52, `read ${table.reads.length} weeks`);
});

test("readWeekTrend refuses a range over the cap before reading anything", async () => {
  const table = fakeTable({});
  await assert.rejects(readWeekTrend(table, { from: "2015-W01", to: "2026-W47" }), InvalidParameterError);
  assert.equal(table.reads.length, 0);
});

test("the trend window, every combination: without to the last week with data; without from 52 weeks ending at to, never before the first week with data; both: at most 520", async () => {
  assert.equal(DEFAULT_TREND_WEEKS, 52);
  // One old document (2015-W02, from a collectedAt of 2015-01-05) and a year of recent data.
  const longAgo: IsoWeek[] = ["2015-W02", "2025-W48", "2026-W01", "2026-W49"];
  const recent: IsoWeek[] = ["2026-W40", "2026-W44", "2026-W47"];
  type Expected = { from: IsoWeek; to: IsoWeek; weeks: number } | "none" | "400";
  const cases: [string, { from?: IsoWeek; to?: IsoWeek }, readonly IsoWeek[], Expected][] = [
    ["none, an old week among the data: the last 52 weeks with data at their end", {}, longAgo, { from: "2025-W50", to: "2026-W49", weeks: 52 }],
    ["none, data over fewer than 52 weeks: from the first week with data", {}, recent, { from: "2026-W40", to: "2026-W47", weeks: 8 }],
    ["none, data over exactly 52 weeks", {}, ["2025-W49", "2026-W48"], { from: "2025-W49", to: "2026-W48", weeks: 52 }],
    ["none, one week of data", {}, ["2026-W47"], { from: "2026-W47", to: "2026-W47", weeks: 1 }],
    ["only from: to is the last week with data", { from: "2026-W42" }, recent, { from: "2026-W42", to: "2026-W47", weeks: 6 }],
    ["only from, before every week with data", { from: "2026-W30" }, recent, { from: "2026-W30", to: "2026-W47", weeks: 18 }],
    ["only from, an old week: as long as asked, up to 520", { from: "2017-W01" }, longAgo, { from: "2017-W01", to: "2026-W49", weeks: 518 }],
    ["only from, more than 520 weeks before the last week with data", { from: "2015-W02" }, longAgo, "400"],
    ["only from, after the last week with data", { from: "2026-W48" }, recent, "none"],
    ["only to: 52 weeks ending at it", { to: "2026-W10" }, longAgo, { from: "2025-W11", to: "2026-W10", weeks: 52 }],
    ["only to, after the last week with data", { to: "2027-W05" }, longAgo, { from: "2026-W07", to: "2027-W05", weeks: 52 }],
    ["only to, less than 52 weeks after the first week with data", { to: "2026-W45" }, recent, { from: "2026-W40", to: "2026-W45", weeks: 6 }],
    ["only to, the first week with data", { to: "2026-W40" }, recent, { from: "2026-W40", to: "2026-W40", weeks: 1 }],
    ["only to, before the first week with data", { to: "2026-W39" }, recent, "none"],
    ["only to, far before any data", { to: "0001-W01" }, longAgo, "none"],
    ["both, whatever the data", { from: "2015-W02", to: "2016-W01" }, longAgo, { from: "2015-W02", to: "2016-W01", weeks: 53 }],
    ["both, exactly 520 weeks", { from: "2015-W03", to: "2024-W52" }, [], { from: "2015-W03", to: "2024-W52", weeks: 520 }],
    ["both, 521 weeks", { from: "2015-W02", to: "2024-W52" }, longAgo, "400"],
    ["both, 622 weeks", { from: "2015-W02", to: "2026-W49" }, longAgo, "400"],
    ["no data at all, none", {}, [], "none"],
    ["no data at all, only from", { from: "2026-W01" }, [], "none"],
    ["no data at all, only to", { to: "2026-W47" }, [], "none"],
    ["no data at all, both", { from: "2026-W46", to: "2026-W47" }, [], { from: "2026-W46", to: "2026-W47", weeks: 2 }],
  ];
  for (const [name, range, weeksWithData, expected] of cases) {
    const table = fakeTable(Object.fromEntries(weeksWithData.map((week) => [week, summary([["2409", 1, 1]])])));
    if (expected === "400") {
      await assert.rejects(readWeekTrend(table, range), (e: unknown) => e instanceof InvalidParameterError && /at most 520/.test(e.message), name);
      assert.equal(table.reads.length, 0, `${name}: nothing is read`);
      continue;
    }
    const trend = await readWeekTrend(table, range);
    if (expected === "none") {
      assert.deepEqual(trend, { weeks: [] }, name);
      continue;
    }
    const weeks = trend.weeks.map((w) => w.week);
    assert.deepEqual([weeks[0], weeks[weeks.length - 1], weeks.length], [expected.from, expected.to, expected.weeks], name);
    assert.equal(table.listed, range.from !== undefined && range.to !== undefined ? 0 : 1, `${name}: the week index is read only for an open end`);
    for (const w of trend.weeks) assert.equal(w.hierarchies, (weeksWithData as readonly string[]).includes(w.week) ? 1 : 0, `${name}: ${w.week}`);
  }
});
