import assert from "node:assert/strict";
import { test } from "node:test";
import { dimensions } from "../../../shared/aggregation/dimensions";
import { toCsv } from "../../../shared/http/csv";
import { toDimensionList, toDimensionListCsv } from "../../../shared/query/dimensionList";

test("every declared dimension, in order, with the contract's four members and no reader", () => {
  const list = toDimensionList();
  assert.deepEqual(list.dimensions.map((d) => d.name), dimensions.map((d) => d.name));
  for (const entry of list.dimensions) assert.deepEqual(Object.keys(entry), ["name", "kind", "level", "description"]);
  // JSON as the route sends it: nothing of the readers.
  assert.deepEqual(JSON.parse(JSON.stringify(list)), list);
});

test("CSV: a header row, then one row per dimension", () => {
  const list = toDimensionList([dimensions[0]!, dimensions[dimensions.length - 1]!]);
  const table = toDimensionListCsv(list);
  assert.deepEqual(table.header, ["name", "kind", "level", "description"]);
  assert.deepEqual(table.rows, [
    ["version", "hierarchy", "basic", dimensions[0]!.description],
    ["collectionRuntimeSeconds", "distribution", "basic", dimensions[dimensions.length - 1]!.description],
  ]);
  assert.equal(toCsv(table).split("\r\n").length, 4);
});
