import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { canonicalJson } from "../../../shared/ingestion/canonicalJson";
import { sha256Hex } from "../../../shared/sha256Hex";

test("key order and white space do not change the canonical form", () => {
  const a = JSON.parse('{"b":1,"a":{"y":[1,2,{"d":null,"c":true}],"x":"s"}}') as unknown;
  const b = JSON.parse('{ "a": { "x": "s", "y": [1, 2, {"c": true, "d": null}] }, "b": 1 }') as unknown;
  assert.equal(canonicalJson(a), canonicalJson(b));
  assert.equal(canonicalJson(a), '{"a":{"x":"s","y":[1,2,{"c":true,"d":null}]},"b":1}');
});

test("__proto__ and constructor are kept as ordinary keys", () => {
  const value = JSON.parse('{"__proto__":1,"constructor":2,"hasOwnProperty":3}') as unknown;
  assert.equal(canonicalJson(value), '{"__proto__":1,"constructor":2,"hasOwnProperty":3}');
});

test("array order matters; values round-trip", () => {
  assert.notEqual(canonicalJson([1, 2]), canonicalJson([2, 1]));
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const text = canonicalJson(value);
      assert.equal(canonicalJson(JSON.parse(text)), text);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
    }),
  );
});

/** The first implementation, whose bytes every stored hash was taken over: the reference. */
function firstCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(firstCanonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${firstCanonicalJson(record[key])}`);
  return `{${members.join(",")}}`;
}

test("the bytes are the first implementation's, for any JSON value and any string", () => {
  // Strings of any UTF-16 code units: quotes, backslashes, controls, lone and paired surrogates.
  for (const stringUnit of ["binary", "grapheme", "binary-ascii"] as const) {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit }), (value) => {
        assert.equal(canonicalJson(value), firstCanonicalJson(value));
      }),
      { numRuns: 300 },
    );
  }
  const cases: [unknown, string][] = [
    [-0, "0"],
    [1e21, "1e+21"],
    [5e-7, "5e-7"],
    [JSON.parse("1e400"), "null"],
    ['"\\\u0000\u001f\u007f\u2028', '"\\"\\\\\\u0000\\u001f\u007f\u2028"'],
    ["\ud800", '"\\ud800"'],
    ["\ud83d\ude00", '"\ud83d\ude00"'],
    [{ 10: 1, 9: 2, a: 3, A: 4, é: 5 }, '{"10":1,"9":2,"A":4,"a":3,"é":5}'],
  ];
  for (const [value, expected] of cases) {
    assert.equal(canonicalJson(value), expected, `canonicalJson of ${JSON.stringify(value)}`);
    assert.equal(canonicalJson(value), firstCanonicalJson(value));
  }
});

test("sha256Hex is the hex SHA-256 of the UTF-8 bytes", () => {
  assert.equal(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});
