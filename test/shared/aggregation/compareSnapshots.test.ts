import assert from "node:assert/strict";
import { test } from "node:test";
import { compareSnapshots } from "../../../shared/aggregation/compareSnapshots";

test("snapshot order: later collectedAt wins, to the nanosecond; ties go to the greater docId", () => {
  const at = (collectedAt: string, docId = "00000000-0000-4000-8000-000000000000") => ({ collectedAt, docId });
  const cases: [ReturnType<typeof at>, ReturnType<typeof at>, number][] = [
    [at("2026-11-18T03:00:00Z"), at("2026-11-18T03:00:01Z"), -1],
    [at("2026-11-18T03:00:00.000Z"), at("2026-11-18T03:00:00Z"), 0],
    [at("2026-11-18T03:00:00.1234567Z"), at("2026-11-18T03:00:00.1234568Z"), -1],
    [at("2026-11-18T03:00:00.5Z"), at("2026-11-18T03:00:00.49999Z"), 1],
    [at("2026-11-18T03:00:00Z", "b0000000-0000-4000-8000-000000000000"), at("2026-11-18T03:00:00Z", "a0000000-0000-4000-8000-000000000000"), 1],
    [at("2026-11-18T03:00:00Z", "A0000000-0000-4000-8000-000000000000"), at("2026-11-18T03:00:00Z", "a0000000-0000-4000-8000-000000000000"), 0],
  ];
  for (const [a, b, expected] of cases) {
    assert.equal(compareSnapshots(a, b), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    assert.equal(compareSnapshots(b, a), expected === 0 ? 0 : -expected);
  }
});
