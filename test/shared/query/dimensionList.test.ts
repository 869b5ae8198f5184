import assert from "node:assert/strict";
import { test } from "node:test";
import { dimensions } from "../../../shared/aggregation/dimensions";
import { toCsv } from "../../../shared/http/csv";
import { toDimensionList, toDimensionListCsv } from "../../../shared/query/dimensionList";

test("every declared dimension, in order, with the contract's members (sinceVersion included) and no reader", () => {
  const list = toDimensionList();
  assert.deepEqual(list.dimensions.map((d) => d.name), dimensions.map((d) => d.name));
  for (const entry of list.dimensions) assert.deepEqual(Object.keys(entry), ["name", "kind", "level", "description", "sinceVersion"]);
  assert.equal(list.dimensions.find((d) => d.name === "os")?.sinceVersion, 1);
  assert.equal(list.dimensions.find((d) => d.name === "windowsBuild")?.sinceVersion, 2);
  // JSON as the route sends it: nothing of the readers.
  assert.deepEqual(JSON.parse(JSON.stringify(list)), list);
});

test("CSV: a header row, then one row per dimension", () => {
  const runtime = dimensions.find((d) => d.name === "collectionRuntimeSeconds")!;
  const list = toDimensionList([dimensions[0]!, runtime, dimensions[dimensions.length - 1]!]);
  const table = toDimensionListCsv(list);
  assert.deepEqual(table.header, ["name", "kind", "level", "description", "sinceVersion"]);
  assert.deepEqual(table.rows, [
    ["version", "hierarchy", "basic", dimensions[0]!.description, "1"],
    ["collectionRuntimeSeconds", "distribution", "basic", runtime.description, "1"],
    ["osdStepType", "clients", "enhanced", dimensions[dimensions.length - 1]!.description, "2"],
  ]);
  assert.equal(toCsv(table).split("\r\n").length, 5);
});
