import { test } from "node:test";
import assert from "node:assert/strict";
import { exitCodeOfStatus, exitCodes } from "../../../scripts/query/exitCodes";

test("each status a query route answers has its own exit code", () => {
  const table: [number, number][] = [
    [400, 5],
    [401, 3],
    [403, 3],
    [404, 4],
    [429, 1],
    [500, 6],
    [503, 6],
    [302, 1],
  ];
  assert.deepEqual(table.map(([status]) => [status, exitCodeOfStatus(status)]), table);
});

test("the exit codes are distinct, and 0 means success only", () => {
  const values = Object.values(exitCodes);
  assert.equal(new Set(values).size, values.length);
  assert.deepEqual(Object.entries(exitCodes).filter(([, code]) => code === 0), [["ok", 0]]);
});
