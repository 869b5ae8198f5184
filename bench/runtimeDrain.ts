/**
 * Aggregation through the runtime: claim checks already on the ingest queue, the local
 * runtime started as `npm start` runs it (its own process, host.json's queue settings), and
 * the time until the queue is empty. Beside the drain rate it takes the CPU seconds each
 * process spent (Azurite's and the runtime's), so that the time splits into storage, the
 * runtime's own work, and waiting.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { storageNames } from "../shared/config";
import type { Services } from "../shared/services";
import { IngestQueue } from "../shared/storage/ingestQueue";
import type { ArchivedDocument } from "../devkit/archivedDocument";
import { noLocalSettings, serviceNodeArguments, startChild } from "../devkit/children";
import { throughput } from "./measure";

/** CPU seconds (user + system) a process has used so far, from /proc; undefined where there is none. */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export interface RuntimeDrain {
  documents: number;
  seconds: number;
  /** Documents per second, from the runtime's ready line to the ingest queue found empty. */
  rate: number;
  /** CPU seconds spent while draining. */
  azuriteCpu: number | undefined;
  runtimeCpu: number | undefined;
  /** Aggregations and publishes the runtime logged while draining. */
  aggregations: number;
  publishes: number;
}

const POLL_MS = 100;

/**
 * Queues `docs`' claim checks (already archived), starts a runtime on the storage
 * `connectionString` names and waits until it has aggregated all of them. `env` adds
 * settings to the runtime's (a disabled function, for a split).
 */
export async function drainThroughRuntime(
  connectionString: string,
  services: Services,
  docs: readonly ArchivedDocument[],
  azuritePid: number | undefined,
  env: Record<string, string> = {},
): Promise<RuntimeDrain> {
  const ingest = new IngestQueue(services.clients.queueService.getQueueClient(storageNames.ingestQueue));
  await throughput(docs.length, 32, (i) => ingest.send(docs[i]!.claim));
  const queue = services.clients.queueService.getQueueClient(storageNames.ingestQueue);
  const azuriteBefore = cpuSecondsOf(azuritePid);
  const runtime = await startChild("local/start.js", [...noLocalSettings], { AzureWebJobsStorage: connectionString, PORT: "0", ...env }, /listening on (http:\/\/\S+)/, serviceNodeArguments);
  const started = performance.now();
  const runtimeBefore = cpuSecondsOf(runtime.process.pid);
  let aggregations = 0;
  let publishes = 0;
  createInterface({ input: runtime.process.stdout! }).on("line", (line) => {
    if (line.includes('"event":"aggregation"')) aggregations++;
    else if (line.includes('"event":"publish"')) publishes++;
  });
  try {
    for (;;) {
      const { approximateMessagesCount } = await queue.getProperties();
      if (approximateMessagesCount === 0) break;
      // A runtime that died would leave the queue full for good: say so rather than wait forever.
      if (runtime.process.exitCode !== null || runtime.process.signalCode !== null) throw new Error(`the runtime exited with ${runtime.process.exitCode ?? runtime.process.signalCode} while ${approximateMessagesCount} messages waited`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    const seconds = (performance.now() - started) / 1000;
    const azuriteAfter = cpuSecondsOf(azuritePid);
    const runtimeAfter = cpuSecondsOf(runtime.process.pid);
    const spent = (before: number | undefined, after: number | undefined) => (before === undefined || after === undefined ? undefined : after - before);
    return {
      documents: docs.length,
      seconds,
      rate: docs.length / seconds,
      azuriteCpu: spent(azuriteBefore, azuriteAfter),
      runtimeCpu: spent(runtimeBefore, runtimeAfter),
      aggregations,
      publishes,
    };
  } finally {
    await runtime.stop();
  }
}
