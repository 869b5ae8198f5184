import assert from "node:assert/strict";
import { test } from "node:test";
import { splitLines } from "../../../shared/ingestion/splitLines";

test("splitLines keeps physical line numbers, skips blank lines and tolerates CRLF", () => {
  const lines = splitLines(Buffer.from('{"a":1}\r\n\n  \n{"b":2}\n{"c":3}'));
  assert.deepEqual(lines.map((l) => [l.line, l.bytes.toString()]), [[1, '{"a":1}'], [4, '{"b":2}'], [5, '{"c":3}']]);
  assert.deepEqual(splitLines(Buffer.from("")), []);
  assert.deepEqual(splitLines(Buffer.from("x\n")).map((l) => l.line), [1]);
});
