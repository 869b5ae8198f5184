/**
 * `npm run load`: the zero-loss load run. 10,000 documents (500 hierarchies over 20 weeks),
 * 20% sent again, 20% of hierarchies offline and uploading in batches, 32 in flight, then
 * --verify: every figure of every week compared with what the simulator computed.
 *
 * Starts its own receiver unless --url is given: Azurite in memory and the local runtime as
 * `npm start` runs it (aggregation on), each in a process of its own so that storage, service
 * and load generator do not share an event loop; both stop at the end. Any simulator option
 * overrides the run's (`npm run load -- --hierarchies 100`).
 */
import { cpus } from "node:os";
import { BlobServiceClient } from "@azure/storage-blob";
import { noLocalSettings, serviceNodeArguments, startChild, type Child } from "../devkit/children";
import { simulateCommand } from "./simulator/simulateCommand";
import { parseSimulatorArgs, UsageError } from "./simulator/simulatorArgs";
import { azuriteProbe, runtimeProbe, watchStalls, type StallProbe, type StallReport } from "./stallWatch";

// Aggregation drains the queue far slower than 32 senders fill it: on 2 shared cores it caught up 936 s after the last answer.
const loadRun = { hierarchies: "500", weeks: "20", "duplicate-share": "0.2", "offline-share": "0.2", concurrency: "32", seed: "load", "wait-seconds": "3600", verify: true } as const;
const KEYS = { INGEST_KEY: "load-ingest-key", QUERY_KEY: "load-query-key" };

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const ownReceiver = !args.some((a) => a === "--url" || a.startsWith("--url="));
  const children: Child[] = [];
  try {
    let env: Record<string, string | undefined> = process.env;
    const probes: StallProbe[] = [];
    if (ownReceiver) {
      const azurite = await startChild("local/azuriteServer.js", ["--in-memory", "--ports", "0"], {}, /"connectionString":"([^"]+)"/);
      children.push(azurite);
      const runtime = await startChild("local/start.js", [...noLocalSettings], { ...KEYS, AzureWebJobsStorage: azurite.match[1]!, PORT: "0" }, /listening on (http:\/\/\S+)/, serviceNodeArguments);
      children.push(runtime);
      probes.push(runtimeProbe(runtime.match[1]!), azuriteProbe(BlobServiceClient.fromConnectionString(azurite.match[1]!)));
      env = { SIMULATOR_URL: runtime.match[1]!, SIMULATOR_INGEST_KEY: KEYS.INGEST_KEY, SIMULATOR_QUERY_KEY: KEYS.QUERY_KEY };
    }
    const settings = parseSimulatorArgs(args, env, new Date(), loadRun);
    console.log(`${new Date().toISOString()}: node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"})${ownReceiver ? ", receiver: local runtime on in-memory Azurite" : ""}`);
    const watch = watchStalls(probes);
    const { exitCode } = await simulateCommand(settings, (line) => console.log(line));
    for (const line of describeStalls(await watch.stop())) console.log(line);
    return exitCode;
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}

/** What the stall watch saw, for the run's report: which process, if any, stopped answering. */
function describeStalls(report: StallReport): string[] {
  if (report.longest.size === 0) return [];
  const longest = [...report.longest].map(([name, ms]) => `${name} ${(ms / 1000).toFixed(2)} s`).join(", ");
  const lines = [`stall watch (a probe every 0.5 s): longest answer ${longest}; ${report.stalls.length} probe(s) over 2 s`];
  for (const stall of report.stalls.slice(0, 20)) lines.push(`  ${stall.at.toISOString()} ${stall.probe} answered after ${(stall.ms / 1000).toFixed(1)} s`);
  return lines;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
