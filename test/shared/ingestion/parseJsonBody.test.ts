import assert from "node:assert/strict";
import { test } from "node:test";
import { limits } from "../../../shared/config";
import { MemoryBudgetExceededError, ValidationError } from "../../../shared/errors";
import { MemoryBudget } from "../../../shared/http/memoryBudget";
import { parseCostOf, parseJsonBody } from "../../../shared/ingestion/parseJsonBody";

const bytesOf = (text: string): Buffer => Buffer.from(text, "utf8");

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

test("a body with more values than any usage document can have is refused at path \"\" without being parsed", () => {
  const over = `[${"0,".repeat(limits.maxJsonValues)}0]`;
  const lease = new MemoryBudget(2 ** 30).lease();
  const error = refusal(() => parseJsonBody(bytesOf(over), { memory: lease }));
  assert.deepEqual(error.errors, [{ path: "", message: `more than ${limits.maxJsonValues} JSON values` }]);
  assert.equal(lease.heldBytes, 0, "nothing reserved for a parse that never happens");
  // One value fewer is parsed (the array itself counts as one).
  const within = `[${"0,".repeat(limits.maxJsonValues - 2)}0]`;
  assert.equal((parseJsonBody(bytesOf(within)) as unknown[]).length, limits.maxJsonValues - 1);
});

test("a body nested deeper than the limit is refused at path \"\"; one level less is parsed", () => {
  const nested = (depth: number): Buffer => bytesOf("[".repeat(depth) + "]".repeat(depth));
  const error = refusal(() => parseJsonBody(nested(limits.maxJsonDepth + 1)));
  assert.deepEqual(error.errors, [{ path: "", message: `nested more than ${limits.maxJsonDepth} levels deep` }]);
  assert.ok(Array.isArray(parseJsonBody(nested(limits.maxJsonDepth))));
});

test("the parse's cost is reserved from the lease before parsing, and a full budget refuses it with a 503", () => {
  const text = '{"a":[1,2,3],"b":"é"}';
  const lease = new MemoryBudget(2 ** 20).lease();
  assert.deepEqual(parseJsonBody(bytesOf(text), { memory: lease }), { a: [1, 2, 3], b: "é" });
  assert.equal(lease.heldBytes, parseCostOf(Buffer.byteLength(text), 8));
  const tight = new MemoryBudget(parseCostOf(Buffer.byteLength(text), 8) - 1);
  assert.throws(() => parseJsonBody(bytesOf(text), { memory: tight.lease() }), MemoryBudgetExceededError);
  assert.equal(tight.bytesInUse, 0);
});

test("malformed JSON and invalid UTF-8 are still 400s at path \"\"", () => {
  assert.match(refusal(() => parseJsonBody(bytesOf("{not json"))).errors[0]!.message, /^malformed JSON/);
  assert.deepEqual(refusal(() => parseJsonBody(Buffer.from([0x22, 0xff, 0x22]))).errors, [{ path: "", message: "invalid UTF-8" }]);
  assert.deepEqual(parseJsonBody(bytesOf('\ufeff{"a":1}')), { a: 1 });
});
