import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidParameterError } from "../../../shared/errors";
import { readWeek, readWeekRange } from "../../../shared/query/weekParameters";

const q = (text: string) => new URLSearchParams(text);

function parameterOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof InvalidParameterError, String(error));
    return error.parameter ?? "";
  }
  assert.fail("expected an InvalidParameterError");
}

test("readWeek: a valid week, anything else names `week`", () => {
  assert.equal(readWeek(q("week=2026-W47")), "2026-W47");
  assert.equal(readWeek(q("week=2026-W53&unknown=1")), "2026-W53"); // unknown parameters are ignored
  for (const bad of ["", "week=", "week=2025-W53", "week=2026-W00", "week=2026-47", "week=2026-w47", "week=%202026-W47", "week=2026-W47&week=2026-W48"]) {
    assert.equal(parameterOf(() => readWeek(q(bad))), "week", bad);
  }
});

test("readWeek's message echoes a long value only in part", () => {
  try {
    readWeek(q(`week=${"x".repeat(5000)}`));
    assert.fail("expected a throw");
  } catch (error) {
    assert.ok(error instanceof InvalidParameterError);
    assert.ok(error.message.length < 200, error.message);
  }
});

test("readWeekRange: open ends, empty values and order", () => {
  const cases: [string, { from?: string; to?: string }][] = [
    ["", {}],
    ["from=2026-W01", { from: "2026-W01" }],
    ["to=2026-W47", { to: "2026-W47" }],
    ["from=&to=", {}],
    ["from=2026-W47&to=2026-W47", { from: "2026-W47", to: "2026-W47" }],
    ["from=2025-W52&to=2026-W01", { from: "2025-W52", to: "2026-W01" }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(readWeekRange(q(text)), expected, text);
});

test("readWeekRange: malformed ends name themselves; from after to names neither", () => {
  const cases: [string, string][] = [
    ["from=2026-W60", "from"],
    ["to=yesterday", "to"],
    ["from=2026-W01&from=2026-W02", "from"],
    ["from=2026-W48&to=2026-W47", ""],
    ["from=2027-W01&to=2026-W53", ""],
  ];
  for (const [text, parameter] of cases) assert.equal(parameterOf(() => readWeekRange(q(text))), parameter, text);
});
