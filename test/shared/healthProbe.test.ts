import assert from "node:assert/strict";
import { test } from "node:test";
import { HealthProbe } from "../../shared/healthProbe";
import type { StorageProbeResult } from "../../shared/storage/checkStorage";

function countingProbe(results: StorageProbeResult[]): { probe: () => Promise<StorageProbeResult>; calls: () => number } {
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
  const { probe, calls } = countingProbe(["ok", "failed"]);
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
  const { probe, calls } = countingProbe(["ok"]);
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

test("a probe that times out within graceMs of a good answer still counts as storage answering", async () => {
  let now = 0;
  const { probe } = countingProbe(["ok", "timedOut", "timedOut"]);
  const health = new HealthProbe(probe, { ttlMs: 5_000, graceMs: 30_000, now: () => now });
  assert.equal(await health.check(), true);
  now = 5_000;
  assert.equal(await health.check(), true);
  now = 29_999;
  assert.equal(await health.check(), true);
});

test("timeouts fail health once storage has not answered well for graceMs", async () => {
  let now = 0;
  const { probe } = countingProbe(["ok", "timedOut", "timedOut", "ok"]);
  const health = new HealthProbe(probe, { ttlMs: 5_000, graceMs: 30_000, now: () => now });
  assert.equal(await health.check(), true);
  now = 10_000;
  assert.equal(await health.check(), true);
  now = 30_000;
  assert.equal(await health.check(), false);
  now = 35_000;
  assert.equal(await health.check(), true, "a good answer is healthy again at once");
});

test("a timeout never counts as healthy without a good answer before it", async () => {
  const { probe } = countingProbe(["timedOut"]);
  const health = new HealthProbe(probe, { now: () => 0 });
  assert.equal(await health.check(), false);
});

test("after storage answers with an error, a timeout is not healthy: the grace starts again only from a good answer", async () => {
  let now = 0;
  const { probe } = countingProbe(["ok", "failed", "timedOut"]);
  const health = new HealthProbe(probe, { ttlMs: 5_000, graceMs: 30_000, now: () => now });
  assert.equal(await health.check(), true);
  now = 5_000;
  assert.equal(await health.check(), false);
  now = 10_000;
  assert.equal(await health.check(), false);
});
