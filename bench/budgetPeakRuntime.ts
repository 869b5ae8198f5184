/**
 * The local runtime as local/start.js runs it against the storage AzureWebJobsStorage names,
 * which also says what its memory budget held at most: on SIGUSR2 it prints
 * `budget peak <bytes> in use <bytes>` and starts the peak again. Bench (h) runs it in its own
 * process, so that the figure is the service's own accounting beside the RSS the kernel sees.
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
  process.on("SIGUSR2", () => {
    console.log(`budget peak ${budget.peakBytes} in use ${budget.bytesInUse}`);
    budget.resetPeak();
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
