import assert from "node:assert/strict";
import { test } from "node:test";
import { watchStalls, type StallProbe } from "../../scripts/stallWatch";

/** A probe whose process answers at once, except for one answer held back by `holdMs`. */
function probeHoldingOnce(name: string, holdMs: number): StallProbe & { pings: number } {
  const probe = {
    name,
    pings: 0,
    ping: async (): Promise<void> => {
      probe.pings++;
      if (probe.pings === 2) await new Promise((resolve) => setTimeout(resolve, holdMs));
    },
  };
  return probe;
}

test("the stall watch names the process that went quiet and not the one that kept answering", async () => {
  const quiet = probeHoldingOnce("azurite", 300);
  const lively = probeHoldingOnce("runtime", 0);
  const watch = watchStalls([quiet, lively], { intervalMs: 20, thresholdMs: 150 });
  while (quiet.pings < 3) await new Promise((resolve) => setTimeout(resolve, 20));
  const report = await watch.stop();
  assert.deepEqual(report.stalls.map((s) => s.probe), ["azurite"]);
  assert.ok(report.stalls[0]!.ms >= 300 - 5, `the held answer is measured whole: ${report.stalls[0]!.ms} ms`);
  assert.ok((report.longest.get("runtime") ?? Infinity) < 150);
});

test("a probe that fails still measures how long it was kept waiting", async () => {
  const failing: StallProbe = { name: "runtime", ping: () => new Promise((_, reject) => setTimeout(() => reject(new Error("reset")), 200)) };
  const watch = watchStalls([failing], { intervalMs: 10, thresholdMs: 100 });
  await new Promise((resolve) => setTimeout(resolve, 250));
  const report = await watch.stop();
  assert.equal(report.stalls[0]?.probe, "runtime");
});
