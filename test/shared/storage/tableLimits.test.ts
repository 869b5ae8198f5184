import assert from "node:assert/strict";
import { test } from "node:test";
import type { TransactionAction } from "@azure/data-tables";
import { TableLimitError } from "../../../shared/errors";
import { int64, toJsonProperties } from "../../../shared/storage/jsonProperties";
import { checkEntity, checkTransaction, entitySize, tableLimits, transactionSize } from "../../../shared/storage/tableLimits";

// Every expected size below is worked out by hand from the documented formula:
// 4 + len(PartitionKey + RowKey) * 2 + per property (8 + len(name) * 2 + value size).
const keys = { partitionKey: "2026-W47", rowKey: "rollup:00" }; // 4 + (8 + 9) * 2 = 38

const refusedFor = (limit: TableLimitError["limit"]) => (error: unknown) => error instanceof TableLimitError && error.limit === limit;

test("an entity's size is the documented formula: keys and property names in UTF-16, each type at its size", () => {
  assert.equal(entitySize(keys), 38);
  // "kind" = "rollup": 8 + 4*2 + (6*2 + 4) = 32
  assert.equal(entitySize({ ...keys, kind: "rollup" }), 38 + 32);
  // The SDK sends a whole number within 32 bits as a bare JSON number, which the service
  // stores as Int32: 8 + 11*2 + 4 = 34.
  assert.equal(entitySize({ ...keys, hierarchies: 12 }), 38 + 34);
  // int64(): Edm.Int64, 8 + 7*2 + 8 = 30; a bigint is Int64 too.
  assert.equal(entitySize({ ...keys, clients: int64(5_000_000_000) }), 38 + 30);
  assert.equal(entitySize({ ...keys, clients: 5_000_000_000n }), 38 + 30);
  // A fraction, or a whole number past 32 bits sent bare, is a Double: 8 + 1*2 + 8 = 18.
  assert.equal(entitySize({ ...keys, x: 0.5 }), 38 + 18);
  assert.equal(entitySize({ ...keys, x: 2 ** 31 }), 38 + 18);
  assert.equal(entitySize({ ...keys, x: -(2 ** 31) }), 38 + 14); // the least Int32: 8 + 2 + 4
  // Boolean 1, DateTime 8, Guid 16, Binary its bytes + 4: names are one character, so 10 + value.
  assert.equal(entitySize({ ...keys, b: true }), 38 + 11);
  assert.equal(entitySize({ ...keys, d: new Date("2026-11-18T03:00:00Z") }), 38 + 18);
  assert.equal(entitySize({ ...keys, g: { value: "0e51c2d4-8a36-4f7e-b1c9-5d2e7f9a4b10", type: "Guid" } }), 38 + 26);
  assert.equal(entitySize({ ...keys, y: new Uint8Array(10) }), 38 + 24);
  assert.equal(entitySize({ ...keys, y: { value: Buffer.alloc(10).toString("base64"), type: "Binary" } }), 38 + 24);
  // Absent values are not sent; etag and timestamp are metadata, not properties.
  assert.equal(entitySize({ ...keys, gone: undefined, etag: 'W/"x"', timestamp: "2026-11-18T03:00:00Z" }), 38);
});

test("strings count UTF-16 code units: a non-BMP character is 4 bytes, and a JSON escape counts as written", () => {
  // "😀" is two code units: 8 + 2 + (2*2 + 4) = 18.
  assert.equal(entitySize({ ...keys, s: "\u{1F600}" }), 38 + 18);
  // "é" and "€" are one unit each (2 bytes here, whatever UTF-8 makes of them): 8 + 2 + (2*2 + 4) = 18.
  assert.equal(entitySize({ ...keys, s: "é€" }), 38 + 18);
  // JSON.stringify writes U+0001 as the six characters \u0001 and '"' as two: ["\u0001\""] is
  // 2 + 6 + 2 + 2 = 12 characters: 8 + 2*2 + (12*2 + 4) = 40.
  const properties = toJsonProperties("os", ["\u0001\""]);
  assert.equal(properties["os"]!.length, 12);
  assert.equal(entitySize({ ...keys, ...properties }), 38 + 40);
});

test("a value of 32 Ki code units is the longest a string property holds", () => {
  checkEntity({ ...keys, s: "x".repeat(32 * 1024) });
  assert.throws(() => checkEntity({ ...keys, s: "x".repeat(32 * 1024 + 1) }), refusedFor("value bytes"));
  assert.throws(() => checkEntity({ ...keys, s: "\u{1F600}".repeat(16 * 1024 + 1) }), refusedFor("value bytes"));
  assert.throws(() => checkEntity({ ...keys, y: new Uint8Array(64 * 1024 + 1) }), refusedFor("value bytes"));
});

test("255 properties at most, PartitionKey, RowKey and Timestamp among them", () => {
  const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, i]));
  checkEntity({ ...keys, ...props(252) });
  assert.throws(() => checkEntity({ ...keys, ...props(253) }), refusedFor("properties"));
  assert.throws(() => checkEntity({ ...keys, ["n".repeat(256)]: 1 }), refusedFor("property name length"));
  assert.throws(() => checkEntity({ partitionKey: "k".repeat(513), rowKey: "r" }), refusedFor("key bytes"));
});

test("an entity of exactly 1 MiB is written; one byte pair more is refused", () => {
  // Keys "p", "r": 4 + 2*2 = 8. Sixteen properties s00..s15 of 32,000 code units:
  // 16 * (8 + 3*2 + 32_000*2 + 4) = 16 * 64_018 = 1_024_288. One more, "t", of n units:
  // 8 + 2 + 2n + 4 = 1_048_576 - 8 - 1_024_288 = 24_280, so n = 12_133.
  const entity: Record<string, unknown> = { partitionKey: "p", rowKey: "r" };
  for (let i = 0; i < 16; i++) entity[`s${String(i).padStart(2, "0")}`] = "x".repeat(32_000);
  entity["t"] = "x".repeat(12_133);
  assert.equal(entitySize(entity), 1_048_576);
  checkEntity(entity);
  entity["t"] = "x".repeat(12_134);
  assert.equal(entitySize(entity), 1_048_578);
  assert.throws(() => checkEntity(entity), (error: unknown) => error instanceof TableLimitError && error.actual === 1_048_578 && error.maximum === tableLimits.maxEntityBytes);
});

test("a transaction holds at most 100 operations and 4 MiB as sent, in UTF-8", () => {
  const deletes = (n: number): TransactionAction[] => Array.from({ length: n }, (_, i) => ["delete", { partitionKey: "2026-W47", rowKey: `snapshot:${i}` }]);
  checkTransaction(deletes(100));
  assert.throws(() => checkTransaction(deletes(101)), refusedFor("operations"));

  // "€" is 2 bytes in the entity formula but 3 in the UTF-8 body: three entities well inside
  // 1 MiB each (16 properties of 30,000 units, about 960 KB) send about 4.3 MB together.
  const big = (rowKey: string) => {
    const entity: Record<string, unknown> = { partitionKey: "2026-W47", rowKey };
    for (let i = 0; i < 16; i++) entity[`s${i}`] = "€".repeat(30_000);
    return entity as { partitionKey: string; rowKey: string };
  };
  checkEntity(big("a"));
  checkTransaction([["create", big("a")], ["create", big("b")]]);
  const three: TransactionAction[] = [["create", big("a")], ["upsert", big("b"), "Replace"], ["update", big("c"), "Replace", { etag: "*" }]];
  assert.ok(transactionSize(three) > 3 * 16 * 30_000 * 3, "the UTF-8 body of the entities is counted");
  assert.throws(() => checkTransaction(three), refusedFor("transaction bytes"));
  // Each entity in it is held to the entity limits too.
  assert.throws(() => checkTransaction([["create", { ...keys, s: "x".repeat(40_000) }]]), refusedFor("value bytes"));
});

test("typed values are sent with their @odata.type annotation, counted in the transaction's payload", () => {
  const plain = transactionSize([["create", { ...keys, n: 5 }]]);
  const typed = transactionSize([["create", { ...keys, n: int64(5) }]]);
  // {"n":5} becomes {"n":"5","n@odata.type":"Edm.Int64"}: 2 quotes + 27 characters more.
  assert.equal(typed - plain, Buffer.byteLength(',"n@odata.type":"Edm.Int64"') + 2);
});
