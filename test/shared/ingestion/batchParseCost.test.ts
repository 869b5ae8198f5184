import assert from "node:assert/strict";
import { test } from "node:test";
import { limits } from "../../../shared/config";
import { batchParseCost } from "../../../shared/ingestion/batchParseCost";
import { parseCostOf } from "../../../shared/ingestion/parseJsonBody";

/** NDJSON of lines with the given byte lengths; only their sizes matter. */
function batchOfLines(lengths: readonly number[]): Buffer {
  const body = Buffer.alloc(lengths.reduce((sum, length) => sum + length + 1, -1), "x");
  let end = 0;
  for (const length of lengths.slice(0, -1)) {
    end += length;
    body[end] = 0x0a;
    end += 1;
  }
  return body;
}

const lineCost = (length: number): number => parseCostOf(length, Math.min(limits.maxJsonValues, Math.ceil(length / 2) + 1));

test("a batch reserves for its 8 costliest lines, each at the most values its size allows", () => {
  assert.equal(batchParseCost(batchOfLines([100])), lineCost(100));
  const lengths = [10, 5000, 20, 300_000, 7, 40, 1_000_000, 60, 2000, 70, 3];
  const worst8 = [...lengths].sort((a, b) => b - a).slice(0, 8);
  assert.equal(batchParseCost(batchOfLines(lengths)), worst8.reduce((sum, length) => sum + lineCost(length), 0));
  assert.equal(batchParseCost(Buffer.from("\n \n\t\n")), 0, "blank lines are never parsed");
});

test("lines that are refused unparsed cost nothing: over the document limit, or past the line limit", () => {
  assert.equal(batchParseCost(batchOfLines([limits.maxDocumentBytes + 1, 10])), lineCost(10));
  assert.equal(batchParseCost(batchOfLines(Array.from({ length: limits.maxBatchLines + 1 }, () => 10))), 0);
});

test("every batch the contract allows fits an idle instance's budget, body included", () => {
  // Reading a batch reserves its wire bytes, its decoded bytes and their copy: at most 3 x 32 MiB.
  const read = 3 * limits.maxBatchBytes;
  for (const lines of [1, 2, 3, 4, 6, 8, 9, 16, 64, limits.maxBatchLines]) {
    const length = Math.min(limits.maxDocumentBytes, Math.floor(limits.maxBatchBytes / lines) - 1);
    const cost = read + batchParseCost(batchOfLines(Array.from({ length: lines }, () => length)));
    assert.ok(cost <= limits.maxInFlightBytes, `${lines} lines of ${length} bytes reserve ${cost}`);
  }
});
