import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { isoWeekOf, mondayOf, nextIsoWeek, parseIsoWeek, weekCount, weeksBetween } from "../../shared/isoWeek";

test("ISO weeks of known dates, including year boundaries", () => {
  const cases: [string, string][] = [
    ["2026-11-19T03:00:23Z", "2026-W47"],
    ["2026-11-23T00:00:00Z", "2026-W48"], // Monday starts a week
    ["2026-11-22T23:59:59Z", "2026-W47"], // Sunday ends one
    ["2021-01-03T12:00:00Z", "2020-W53"], // early January in the previous year's last week
    ["2024-12-30T00:00:00Z", "2025-W01"], // late December in the next year's first week
    ["2015-01-01T00:00:00Z", "2015-W01"],
    ["2020-12-31T00:00:00Z", "2020-W53"],
  ];
  for (const [instant, week] of cases) assert.equal(isoWeekOf(new Date(instant)), week, instant);
});

test("parseIsoWeek accepts existing weeks only", () => {
  assert.equal(parseIsoWeek("2026-W47"), "2026-W47");
  assert.equal(parseIsoWeek("2020-W53"), "2020-W53");
  assert.equal(parseIsoWeek("2026-W53"), "2026-W53"); // 2026 begins on a Thursday
  for (const bad of ["2025-W53", "2026-W00", "2026-W54", "2026-47", "2026-w47", "26-W47", "2026-W7", " 2026-W47"]) {
    assert.equal(parseIsoWeek(bad), undefined, bad);
  }
});

test("every day of a week maps back to it, and weeks follow each other", () => {
  fc.assert(
    fc.property(fc.date({ min: new Date("2015-01-01T00:00:00Z"), max: new Date("2040-12-31T00:00:00Z"), noInvalidDate: true }), (date) => {
      const week = isoWeekOf(date);
      const monday = mondayOf(week);
      assert.equal(monday.getUTCDay(), 1);
      assert.ok(monday.getTime() <= date.getTime() && date.getTime() < monday.getTime() + 7 * 86_400_000);
      assert.equal(parseIsoWeek(week), week);
      assert.equal(mondayOf(nextIsoWeek(week)).getTime() - monday.getTime(), 7 * 86_400_000);
    }),
  );
});

test("weeksBetween counts weeks, also up to the last week there is", () => {
  assert.deepEqual(weeksBetween("9999-W51", "9999-W52"), ["9999-W51", "9999-W52"]);
  assert.deepEqual(weeksBetween("2020-W52", "2021-W01"), ["2020-W52", "2020-W53", "2021-W01"]);
  assert.deepEqual(weeksBetween("2026-W47", "2026-W46"), []);
  assert.equal(weekCount("2015-W01", "2026-W47"), weeksBetween("2015-W01", "2026-W47").length - 1);
});
