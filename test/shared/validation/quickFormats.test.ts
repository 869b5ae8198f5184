import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Format } from "ajv";
import { fullFormats } from "ajv-formats/dist/formats";
import { isQuickDate, isQuickUtcDateTime } from "../../../shared/validation/quickFormats";

/** ajv-formats' full check for a format, whatever shape ajv-formats gives it. */
function ajvFormatsCheck(format: Format): (text: string) => boolean {
  if (typeof format === "function") return (text) => format(text);
  if (format instanceof RegExp) return (text) => format.test(text);
  if (typeof format === "object" && typeof format.validate === "function") {
    const validate = format.validate as (text: string) => boolean;
    return (text) => validate(text);
  }
  if (typeof format === "object" && format.validate instanceof RegExp) {
    const pattern = format.validate;
    return (text) => pattern.test(text);
  }
  throw new Error("unexpected format definition");
}

const ajvDateTime = ajvFormatsCheck(fullFormats["date-time"]);
const ajvDate = ajvFormatsCheck(fullFormats.date);

/** Strings that look like dates and date-times, so that the interesting cases are common. */
const dateLike = fc
  .tuple(
    fc.date({ min: new Date("0000-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
    fc.array(fc.tuple(fc.nat(40), fc.constantFrom("0", "9", "3", "2", "1", "6", ":", "-", "T", "t", "Z", "z", " ", ".", "+", "60", "")), { maxLength: 3 }),
    fc.constantFrom("", "Z", ".5Z", ".123456789Z", "+01:00", "z", "0Z"),
  )
  .map(([date, edits, ending]) => {
    let text = date.toISOString().slice(0, 19) + ending;
    for (const [at, replacement] of edits) text = text.slice(0, at) + replacement + text.slice(at + 1);
    return text;
  });

test("quick date-time never accepts what ajv-formats rejects", () => {
  fc.assert(
    fc.property(fc.oneof(dateLike, fc.string()), (text) => {
      if (isQuickUtcDateTime(text)) assert.ok(ajvDateTime(text), text);
    }),
    { numRuns: 20_000 },
  );
});

test("quick date-time accepts every UTC date-time the schema's pattern allows", () => {
  fc.assert(
    fc.property(
      fc.date({ min: new Date("0000-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
      fc.constantFrom("", ".0", ".123", ".1234567", ".123456789"),
      (date, fraction) => {
        const text = date.toISOString().slice(0, 19) + fraction + "Z";
        assert.ok(isQuickUtcDateTime(text), text);
      },
    ),
  );
});

test("quick date agrees with ajv-formats' date", () => {
  fc.assert(
    fc.property(fc.oneof(dateLike.map((text) => text.slice(0, 10)), fc.string({ maxLength: 12 })), (text) => {
      assert.equal(isQuickDate(text), ajvDate(text), text);
    }),
    { numRuns: 20_000 },
  );
});

test("calendar edge cases", () => {
  assert.equal(isQuickDate("2024-02-29"), true);
  assert.equal(isQuickDate("2026-02-29"), false);
  assert.equal(isQuickDate("2000-02-29"), true);
  assert.equal(isQuickDate("1900-02-29"), false);
  assert.equal(isQuickDate("2026-04-31"), false);
  assert.equal(isQuickDate("2026-00-10"), false);
  assert.equal(isQuickDate("2026-13-10"), false);
  assert.equal(isQuickUtcDateTime("2026-11-19T24:00:00Z"), false);
  assert.equal(isQuickUtcDateTime("2016-12-31T23:59:60Z"), false);
  assert.equal(isQuickUtcDateTime("2026-11-19T03:00:23.Z"), false);
  assert.equal(isQuickUtcDateTime("2026-11-19T03:00:23.1234567Z"), true);
  assert.equal(isQuickUtcDateTime("2026-11-19t03:00:23z"), false);
});
