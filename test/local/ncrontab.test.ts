import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseSchedule } from "../../local/ncrontab";

const next = (schedule: string, after: string): string | undefined => parseSchedule(schedule).next(new Date(after))?.toISOString();

describe("NCRONTAB schedules, seconds first, in UTC", () => {
  test("every five minutes: the next boundary, strictly after", () => {
    assert.equal(next("0 */5 * * * *", "2026-03-01T10:02:30.000Z"), "2026-03-01T10:05:00.000Z");
    assert.equal(next("0 */5 * * * *", "2026-03-01T10:05:00.000Z"), "2026-03-01T10:10:00.000Z");
    assert.equal(next("0 */5 * * * *", "2026-12-31T23:59:59.000Z"), "2027-01-01T00:00:00.000Z");
  });

  test("every second, lists, ranges and steps over ranges", () => {
    assert.equal(next("* * * * * *", "2026-03-01T10:02:30.400Z"), "2026-03-01T10:02:31.000Z");
    assert.equal(next("15,45 * * * * *", "2026-03-01T10:02:30.000Z"), "2026-03-01T10:02:45.000Z");
    assert.equal(next("0 0 9-17/4 * * *", "2026-03-01T10:00:00.000Z"), "2026-03-01T13:00:00.000Z");
  });

  test("day, month and day of week must all match", () => {
    // 2026-03-02 is a Monday; the next Monday the 1st of a month is 2026-06-01.
    assert.equal(next("0 30 9 * * 1", "2026-03-01T00:00:00.000Z"), "2026-03-02T09:30:00.000Z");
    assert.equal(next("0 0 0 1 * 1", "2026-03-01T00:00:00.000Z"), "2026-06-01T00:00:00.000Z");
    assert.equal(next("0 0 0 29 2 *", "2026-03-01T00:00:00.000Z"), "2028-02-29T00:00:00.000Z");
  });

  test("a schedule this runtime cannot read fails naming its field", () => {
    assert.throws(() => parseSchedule("*/5 * * * *"), /six fields/);
    assert.throws(() => parseSchedule("0 0 0 * JAN *"), /month field/);
    assert.throws(() => parseSchedule("0 60 * * * *"), /minute field/);
    assert.throws(() => parseSchedule("00:05:00"), /six fields/);
  });
});
