import assert from "node:assert/strict";
import { test } from "node:test";
import { HealthProbe } from "../../shared/healthProbe";

function countingProbe(results: boolean[]): { probe: () => Promise<boolean>; calls: () => number } {
  let calls = 0;
  return {
    probe: async () => {
      calls += 1;
      await new Promise((resolve) => setImmediate(resolve));
      const next = results.shift();
      if (next === undefined) throw new Error("probe failed");
      return next;
    },
    calls: () => calls,
  };
}

test("an answer is reused until it is ttlMs old, then probed again", async () => {
  let now = 1_000;
  const { probe, calls } = countingProbe([true, false]);
  const health = new HealthProbe(probe, { ttlMs: 5_000, now: () => now });
  assert.equal(await health.check(), true);
  now += 4_999;
  assert.equal(await health.check(), true);
  assert.equal(calls(), 1);
  now += 1;
  assert.equal(await health.check(), false);
  assert.equal(calls(), 2);
});

test("callers arriving during a probe share it", async () => {
  const { probe, calls } = countingProbe([true]);
  const health = new HealthProbe(probe, { now: () => 0 });
  assert.deepEqual(await Promise.all([health.check(), health.check(), health.check()]), [true, true, true]);
  assert.equal(calls(), 1);
});

test("a probe that throws counts as unhealthy and is cached like any answer", async () => {
  let now = 0;
  const { probe, calls } = countingProbe([]);
  const health = new HealthProbe(probe, { ttlMs: 100, now: () => now });
  assert.equal(await health.check(), false);
  assert.equal(await health.check(), false);
  assert.equal(calls(), 1);
  now = 100;
  assert.equal(await health.check(), false);
  assert.equal(calls(), 2);
});
