import assert from "node:assert/strict";
import { test } from "node:test";
import { MemoryBudgetExceededError } from "../../../shared/errors";
import { MemoryBudget } from "../../../shared/http/memoryBudget";
import { problemResponse } from "../../../shared/http/problem";

test("leases reserve from one budget and give everything back on release", () => {
  const budget = new MemoryBudget(1000);
  const a = budget.lease();
  const b = budget.lease();
  a.reserve(300);
  a.reserve(200);
  b.reserve(400);
  assert.deepEqual([budget.bytesInUse, a.heldBytes, b.heldBytes], [900, 500, 400]);
  a.release();
  assert.deepEqual([budget.bytesInUse, a.heldBytes, b.heldBytes], [400, 0, 400]);
  b.release();
  assert.equal(budget.bytesInUse, 0);
});

test("a reservation that does not fit is refused whole: 503 with Retry-After, nothing taken", () => {
  const budget = new MemoryBudget(1000);
  const other = budget.lease();
  other.reserve(900);
  const lease = budget.lease();
  lease.reserve(100); // exactly full is allowed
  assert.throws(() => lease.reserve(1), MemoryBudgetExceededError);
  assert.deepEqual([budget.bytesInUse, lease.heldBytes], [1000, 100]);
  const refused = (() => {
    try {
      budget.lease().reserve(1);
    } catch (error) {
      return error;
    }
  })();
  const response = problemResponse(refused);
  assert.equal(response.status, 503);
  assert.equal((response.headers as Record<string, string>)["Retry-After"], "10");
  assert.equal((JSON.parse(response.body as string) as { type: string }).type, "/problems/instance-busy");
  other.release();
  lease.reserve(900); // room again once others are done
  assert.equal(budget.bytesInUse, 1000);
});

test("the budget never goes negative: releasing twice, or giving back more than taken, stops at zero", () => {
  const budget = new MemoryBudget(1000);
  const lease = budget.lease();
  lease.reserve(10);
  lease.release();
  lease.release();
  assert.deepEqual([budget.bytesInUse, lease.heldBytes], [0, 0]);
  budget.giveBack(50);
  assert.equal(budget.bytesInUse, 0);
  assert.equal(budget.tryTake(1000), true);
  assert.equal(budget.tryTake(1), false);
});

test("fractions are reserved whole; negative, infinite or NaN amounts are a programming error", () => {
  const budget = new MemoryBudget(1000);
  const lease = budget.lease();
  lease.reserve(0.5);
  lease.reserve(0);
  assert.equal(lease.heldBytes, 1);
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => lease.reserve(bad), RangeError);
  assert.equal(budget.bytesInUse, 1);
  assert.throws(() => new MemoryBudget(0), RangeError);
});

test("a lease gives back part of what it holds, never more than it holds", () => {
  const budget = new MemoryBudget(100);
  const lease = budget.lease();
  lease.reserve(60);
  lease.giveBack(45);
  assert.equal(lease.heldBytes, 15);
  assert.equal(budget.bytesInUse, 15);
  lease.giveBack(1000);
  assert.equal(lease.heldBytes, 0);
  assert.equal(budget.bytesInUse, 0);
  lease.release();
  assert.equal(budget.bytesInUse, 0);
});

test("the peak is the most reserved at once, kept after release, and starts again from what is held on reset", () => {
  const budget = new MemoryBudget(1000);
  const a = budget.lease();
  const b = budget.lease();
  a.reserve(300);
  b.reserve(500);
  a.release();
  b.reserve(100);
  assert.equal(budget.peakBytes, 800);
  budget.resetPeak();
  assert.equal(budget.peakBytes, 600);
  b.release();
  assert.equal(budget.peakBytes, 600);
});
