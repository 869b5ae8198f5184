/**
 * The local runtime as local/start.js runs it against the storage AzureWebJobsStorage names,
 * which also says what its memory budget held at most: on SIGUSR2 it prints
 * `budget peak <bytes> in use <bytes>` and starts the peak again. Bench (h) runs it in its own
 * process, so that the figure is the service's own accounting beside the RSS the kernel sees.
 * The same signal prints `memory peak` with the largest of each process.memoryUsage() figure
 * sampled every 20 ms since the last signal, and `memory base` with those figures at that
 * signal, to tell the V8 heap from what lies outside it.
 *
 *   node dist/bench/budgetPeakRuntime.js
 */
import { triggers } from "../functions/triggers";
import { processEnvironment, readConfig, readDisabledFunctions } from "../shared/config";
import { startLocalRuntime } from "../local/localRuntime";

async function main(): Promise<void> {
  const env = processEnvironment();
  const config = readConfig(env);
  if (config.storage === undefined) throw new Error("set AzureWebJobsStorage: this runtime embeds no Azurite");
  const runtime = await startLocalRuntime({ config, disabledFunctions: readDisabledFunctions(triggers.map((t) => t.name), env), log: () => undefined });
  const budget = runtime.services.memoryBudget;
  let base = process.memoryUsage();
  let peaks = base;
  const sample = setInterval(() => {
    const now = process.memoryUsage();
    peaks = {
      rss: Math.max(peaks.rss, now.rss),
      heapTotal: Math.max(peaks.heapTotal, now.heapTotal),
      heapUsed: Math.max(peaks.heapUsed, now.heapUsed),
      external: Math.max(peaks.external, now.external),
      arrayBuffers: Math.max(peaks.arrayBuffers, now.arrayBuffers),
    };
  }, 20);
  sample.unref();
  process.on("SIGUSR2", () => {
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = peaks;
    console.log(`memory base rss ${base.rss} heapTotal ${base.heapTotal} heapUsed ${base.heapUsed} external ${base.external} arrayBuffers ${base.arrayBuffers}`);
    console.log(`memory peak rss ${rss} heapTotal ${heapTotal} heapUsed ${heapUsed} external ${external} arrayBuffers ${arrayBuffers}`);
    console.log(`budget peak ${budget.peakBytes} in use ${budget.bytesInUse}`);
    budget.resetPeak();
    base = process.memoryUsage();
    peaks = base;
  });
  process.on("SIGTERM", () => {
    void runtime.close().then(() => process.exit(0));
  });
  console.log(`listening on ${runtime.url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
