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

test("sha256Hex is the hex SHA-256 of the UTF-8 bytes", () => {
  assert.equal(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});
