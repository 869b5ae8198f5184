import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { limits } from "../../../shared/config";
import { scanJsonShape } from "../../../shared/ingestion/scanJsonShape";
import { makeLargestUsageDocument } from "../../../devkit/usageDocuments";

const unbounded = { maxValues: Number.MAX_SAFE_INTEGER, maxDepth: Number.MAX_SAFE_INTEGER };

function shapeOf(text: string, options = unbounded): ReturnType<typeof scanJsonShape> {
  return scanJsonShape(Buffer.from(text, "utf8"), options);
}

/** The reference: values and depth of what JSON.parse builds, member names counted as values. */
function parsedShape(value: unknown): { values: number; depth: number } {
  if (value === null || typeof value !== "object") return { values: 1, depth: 0 };
  const children = Array.isArray(value) ? value.map(parsedShape) : Object.values(value).map((v) => {
    const shape = parsedShape(v);
    return { values: shape.values + 1, depth: shape.depth };
  });
  return {
    values: 1 + children.reduce((sum, c) => sum + c.values, 0),
    depth: 1 + children.reduce((deepest, c) => Math.max(deepest, c.depth), 0),
  };
}

const cases: [what: string, text: string, values: number, depth: number][] = [
  ["a number", "0", 1, 0],
  ["a negative number with fraction and exponent", "-12.5e+3", 1, 0],
  ["numbers in an array", "[1,-2,3.25,4E-7]", 5, 1],
  ["literals", "[true,false,null]", 4, 1],
  ["white space anywhere between tokens", " \t\r\n[ 1 ,\n\t2 ] \n", 3, 1],
  ["an empty object and an empty array", "[{},[]]", 3, 2],
  ["member names count as values", '{"a":1,"b":{"c":null}}', 7, 2],
  ["a string with an escaped quote", '["a\\"b", 1]', 3, 1],
  ["a string ending in an escaped backslash", '["a\\\\", 1]', 3, 1],
  ["an escaped backslash then an escaped quote", '["\\\\\\"", 1]', 3, 1],
  ["brackets, braces, commas and colons inside strings", '{"[{,:":"}]\\u0022"}', 3, 1],
  ["a literal-looking string", '["true", "null"]', 3, 1],
  ["UTF-8 multi-byte characters in strings", '{"é€😀":"ÿ\u4e00\\ud83d\\ude00"}', 3, 1],
  ["UTF-8 and escapes of every kind", '["\\n\\t\\r\\b\\f\\/\\u00e9", "𝄞"]', 3, 1],
  ["nesting", "[[[[[]]]]]", 5, 5],
  ["nesting that closes and opens again", '[[[]],{"a":[[]]}]', 7, 4],
];

for (const [what, text, values, depth] of cases) {
  test(`scanJsonShape counts ${what}`, () => {
    assert.deepEqual(shapeOf(text), { values, depth });
    assert.deepEqual(parsedShape(JSON.parse(text)), { values, depth }, "the table itself agrees with JSON.parse");
  });
}

test("scanJsonShape agrees with what JSON.parse builds, for any JSON", () => {
  fc.assert(
    fc.property(fc.json({ maxDepth: 6 }), (text) => {
      assert.deepEqual(shapeOf(text), parsedShape(JSON.parse(text)));
    }),
    { numRuns: 500 },
  );
});

test("a JSON text of n bytes holds at most ceil(n / 2) + 1 values (the bound a batch line is reserved at)", () => {
  for (const text of ["0", "[0]", "[[[[0]]]]", "[0,0,0]", '{"":0}', "[[],[],[]]"]) {
    assert.ok(shapeOf(text).values <= Math.ceil(Buffer.byteLength(text) / 2) + 1, text);
  }
  fc.assert(
    fc.property(fc.json({ maxDepth: 6 }), (text) => shapeOf(text).values <= Math.ceil(Buffer.byteLength(text) / 2) + 1),
    { numRuns: 500 },
  );
});

test("the scan stops at the first value past maxValues, and at the first level past maxDepth", () => {
  assert.deepEqual(shapeOf("[0,0,0,0,0]", { maxValues: 3, maxDepth: 10 }), { values: 4, depth: 1, over: "values" });
  assert.deepEqual(shapeOf("[0,0]", { maxValues: 3, maxDepth: 10 }), { values: 3, depth: 1 });
  assert.deepEqual(shapeOf("[[[[[]]]]]", { maxValues: 100, maxDepth: 3 }), { values: 4, depth: 4, over: "depth" });
  assert.deepEqual(shapeOf("[[[]]]", { maxValues: 100, maxDepth: 3 }), { values: 3, depth: 3 });
});

test("an unterminated string or malformed text never throws, and counts what it saw", () => {
  assert.deepEqual(shapeOf('["abc'), { values: 2, depth: 1 });
  assert.deepEqual(shapeOf('"\\'), { values: 1, depth: 0 });
  assert.deepEqual(shapeOf("]]{"), { values: 1, depth: 0 });
});

test("the largest document the schema allows is far inside the limits: 11,573 values, 4 deep", () => {
  const shape = shapeOf(JSON.stringify(makeLargestUsageDocument()), { maxValues: limits.maxJsonValues, maxDepth: limits.maxJsonDepth });
  assert.deepEqual(shape, { values: 11_573, depth: 4 });
  // In a batch envelope: 8 values and one level more. Both limits leave a wide margin.
  assert.ok(limits.maxJsonValues >= 4 * (shape.values + 8));
  assert.ok(limits.maxJsonDepth >= 4 * (shape.depth + 1));
});
