import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { reservedParseCost } from "../../../shared/ingestion/batchParseCost";
import { runWithinCost } from "../../../shared/ingestion/runWithinCost";

/** What a run looked like from inside its tasks. */
interface Observed {
  started: number[];
  finished: Set<number>;
  mostInFlight: number;
  mostCostInFlight: number;
  /** A task that started while another ran and still the costs together passed the allowance. */
  overAllowance: boolean;
}

/** Runs tasks that each wait `delays[index]` timer turns (0: a microtask), recording what was in flight. */
async function observe(costs: readonly number[], allowance: number, maxInFlight: number, delays: readonly number[], failAt?: number): Promise<{ observed: Observed; error: unknown }> {
  const observed: Observed = { started: [], finished: new Set(), mostInFlight: 0, mostCostInFlight: 0, overAllowance: false };
  const inFlight = new Set<number>();
  let error: unknown;
  try {
    await runWithinCost(costs, allowance, maxInFlight, async (index) => {
      observed.started.push(index);
      inFlight.add(index);
      const cost = [...inFlight].reduce((sum, i) => sum + costs[i]!, 0);
      observed.mostInFlight = Math.max(observed.mostInFlight, inFlight.size);
      observed.mostCostInFlight = Math.max(observed.mostCostInFlight, cost);
      if (inFlight.size > 1 && cost > allowance) observed.overAllowance = true;
      for (let turn = 0; turn < (delays[index] ?? 0); turn++) await new Promise((resolve) => setImmediate(resolve));
      await Promise.resolve();
      inFlight.delete(index);
      observed.finished.add(index);
      if (index === failAt) throw new Error(`task ${index} failed`);
    });
  } catch (caught) {
    error = caught;
    // Nothing may still run once the call has answered.
    assert.equal(inFlight.size, 0, "tasks still in flight after runWithinCost rejected");
  }
  return { observed, error };
}

test("every task runs once, within the count and the cost allowed", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.nat({ max: 3 }), { maxLength: 60 }),
      async (costs, maxInFlight, delays) => {
        const allowance = reservedParseCost(costs);
        const { observed, error } = await observe(costs, allowance, maxInFlight, delays);
        assert.equal(error, undefined);
        assert.deepEqual([...observed.started].sort((a, b) => a - b), costs.map((_, index) => index));
        assert.equal(observed.finished.size, costs.length);
        assert.ok(observed.mostInFlight <= maxInFlight, `${observed.mostInFlight} in flight, at most ${maxInFlight} allowed`);
        assert.ok(observed.mostCostInFlight <= allowance, `cost ${observed.mostCostInFlight} in flight, allowance ${allowance}`);
      },
    ),
    { numRuns: 200 },
  );
});

test("cheap lines run many at once; lines at the reserved cost run 8 at once, as the reservation allows", async () => {
  const slow = Array.from({ length: 100 }, () => 2);
  const cheap = await observe(Array.from({ length: 100 }, () => 1), reservedParseCost(Array.from({ length: 100 }, () => 1)) * 4, 32, slow);
  assert.equal(cheap.observed.mostInFlight, 32);
  const costs = Array.from({ length: 100 }, () => 1000);
  const even = await observe(costs, reservedParseCost(costs), 32, slow);
  assert.equal(even.observed.mostInFlight, 8);
  assert.equal(even.observed.mostCostInFlight, reservedParseCost(costs));
});

test("a task costlier than the whole allowance still runs, alone", async () => {
  const { observed, error } = await observe([5, 50, 5, 5], 10, 4, [1, 1, 1, 1]);
  assert.equal(error, undefined);
  assert.equal(observed.finished.size, 4);
  assert.equal(observed.overAllowance, false);
});

test("after a task fails no new one starts, those in flight finish, then the error is thrown", async () => {
  const costs = Array.from({ length: 50 }, () => 1);
  const delays = costs.map((_, index) => (index === 3 ? 0 : 3));
  const { observed, error } = await observe(costs, 100, 8, delays, 3);
  assert.match(String(error), /task 3 failed/);
  // Tasks 0 to 7 were started together; task 3 failed first, and only the one that took its place could still start.
  assert.ok(observed.started.length <= 9, `started ${observed.started.length}`);
  assert.equal(observed.finished.size, observed.started.length, "every task started also finished before the rejection");
});
