import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { compareCodeUnits, largestFirstThenByName, newestVersionFirst } from "../../../shared/query/ordering";

test("newestVersionFirst orders YYMM versions by time, newest first", () => {
  assert.deepEqual(["2303", "2409", "2010", "2501", "2412"].sort(newestVersionFirst), ["2501", "2412", "2409", "2303", "2010"]);
});

test("largestFirstThenByName is a total order: antisymmetric and consistent with its two keys", () => {
  const compare = largestFirstThenByName<{ name: string; n: number }>((x) => x.n);
  fc.assert(
    fc.property(fc.record({ name: fc.string(), n: fc.nat(5) }), fc.record({ name: fc.string(), n: fc.nat(5) }), (a, b) => {
      const ab = Math.sign(compare(a, b));
      assert.equal(ab, -Math.sign(compare(b, a)) || 0);
      if (a.n !== b.n) assert.equal(ab, a.n > b.n ? -1 : 1);
      else assert.equal(ab, compareCodeUnits(a.name, b.name));
    }),
  );
});

test("compareCodeUnits is not locale order", () => {
  // A locale collation puts "a" before "B"; code units put "B" (0x42) before "a" (0x61), and an
  // astral character (high surrogate 0xD83D) before U+FFFD although its code point is larger.
  assert.equal(compareCodeUnits("B", "a"), -1);
  assert.equal(compareCodeUnits("\u{1F600}", "\uFFFD"), -1);
  assert.equal(compareCodeUnits("same", "same"), 0);
});
