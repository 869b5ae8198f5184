import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { fromJsonProperties, toJsonProperties } from "../../../shared/storage/jsonProperties";

test("values round-trip through chunked properties, and no chunk splits a surrogate pair", () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.string({ unit: "grapheme", maxLength: 40 }), fc.integer()), { maxLength: 3000 }), (value) => {
      const properties = toJsonProperties("os", value);
      for (const chunk of Object.values(properties)) {
        assert.ok(chunk.length <= 30_000);
        assert.ok(!/[\uD800-\uDBFF]$/.test(chunk) && !/^[\uDC00-\uDFFF]/.test(chunk), "a chunk edge splits a surrogate pair");
      }
      assert.deepEqual(fromJsonProperties(properties, "os", null), value);
    }),
    { numRuns: 30 },
  );
});

test("a chunk edge that would fall inside an emoji moves before it", () => {
  const value = ["x".repeat(29_997), "\u{1F600}".repeat(10)];
  const properties = toJsonProperties("v", value);
  assert.ok(Object.keys(properties).length >= 2);
  assert.deepEqual(fromJsonProperties(properties, "v", null), value);
  assert.ok(!/[\uD800-\uDBFF]$/.test(properties["v"]!));
});
