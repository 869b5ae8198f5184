import { randomUUID } from "node:crypto";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { QueueServiceClient, type QueueClient } from "@azure/storage-queue";
import { readConfig, storageNames } from "../shared/config";
import { canonicalJson } from "../shared/ingestion/canonicalJson";
import { judgeSubmission } from "../shared/ingestion/judgeSubmission";
import { submitDocument } from "../shared/ingestion/submitDocument";
import { createServices } from "../shared/services";
import { ensureStorage } from "../shared/storage/ensureStorage";
import { startAzurite } from "../local/azurite";
import { makeUsageDocument } from "../devkit/usageDocuments";
import { aggregationDisabled, noLocalSettings, serviceNodeArguments, startChild, type Child } from "../devkit/children";
import { floorWrites } from "./floorWrites";
import { fmt, median, pairedRatio, percentile, throughput } from "./measure";

const CONCURRENCY = 16;
// Short rounds, many of them: each pair (floor, runtime) runs back to back within a few seconds.
const PER_ROUND = 900;
const ROUNDS = 5;
const KEY = "bench-ingest-key";

function documents(count: number): { docId: string; body: string; doc: Record<string, unknown> }[] {
  return Array.from({ length: count }, () => {
    const docId = randomUUID();
    const doc = makeUsageDocument({ docId }) as unknown as Record<string, unknown>;
    return { docId, body: JSON.stringify(doc), doc };
  });
}

type BenchDocument = ReturnType<typeof documents>[number];

/** One submission through the runtime over HTTP, answered 202. */
async function submitOnce(url: string, { docId, body }: BenchDocument): Promise<void> {
  const response = await fetch(`${url}/api/v1/submit/usage/1/${docId}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-functions-key": KEY },
    body,
  });
  await response.arrayBuffer();
  if (response.status !== 202) throw new Error(`expected 202, got ${response.status}`);
}

/**
 * (b) Accepted submissions per second through the local runtime vs the SDK floor (the same
 * blob create and queue send, straight from this process), at the same concurrency, against
 * one Azurite in its own process, alternating rounds so that both see the same conditions.
 * A third path, the bare receiver (bareReceiver.ts: node:http and the same two writes, in a
 * process of its own), says how much of the gap is the HTTP hop itself on this machine.
 */
export async function benchIngestionThroughput(): Promise<string[]> {
  const azurite = await startChild("local/azuriteServer.js", ["--in-memory", "--ports", "0"], {}, /"connectionString":"([^"]+)"/);
  const connectionString = azurite.match[1]!;
  let runtime: Child | undefined;
  let bare: Child | undefined;
  try {
    bare = await startChild("bench/bareReceiver.js", [], { AzureWebJobsStorage: connectionString }, /listening on (http:\/\/\S+)/, serviceNodeArguments);
    runtime = await startChild(
      "local/start.js",
      [...noLocalSettings],
      { ...aggregationDisabled, AzureWebJobsStorage: connectionString, PORT: "0", INGEST_KEY: KEY, RATE_LIMIT_PER_HOUR: "1000000" },
      /listening on (http:\/\/\S+)/,
      serviceNodeArguments,
    );
    return await compareIngestion(connectionString, runtime.match[1]!, bare.match[1]!);
  } finally {
    // Whatever failed, no child outlives the stage.
    await runtime?.stop();
    await bare?.stop();
    await azurite.stop();
  }
}

async function compareIngestion(connectionString: string, url: string, bareUrl: string): Promise<string[]> {
  const blobs = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(storageNames.rawContainer);
  const queue = QueueServiceClient.fromConnectionString(connectionString).getQueueClient(storageNames.ingestQueue);

  const floor = async (items: ReturnType<typeof documents>): Promise<number> => throughput(items.length, CONCURRENCY, (i) => floorWrites(blobs, queue, items[i]!));
  const viaRuntime = async (items: ReturnType<typeof documents>): Promise<number> => throughput(items.length, CONCURRENCY, (i) => submitOnce(url, items[i]!));
  const viaBare = async (items: ReturnType<typeof documents>): Promise<number> => throughput(items.length, CONCURRENCY, (i) => submitOnce(bareUrl, items[i]!));

  await floor(documents(200)); // warm-up every path
  await viaBare(documents(200));
  await viaRuntime(documents(200));
  const floorRates: number[] = [];
  const bareRates: number[] = [];
  const runtimeRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    floorRates.push(await floor(documents(PER_ROUND)));
    bareRates.push(await viaBare(documents(PER_ROUND)));
    runtimeRates.push(await viaRuntime(documents(PER_ROUND)));
  }
  const ratioLine = (what: string, rates: number[], of: number[], target: string): string => {
    const ratios = rates.map((rate, i) => rate / of[i]!);
    return `    ratio ${what}: ${fmt(pairedRatio(rates, of), 2)}x (median of the ${ROUNDS} rounds' ratios, spread ${fmt(Math.min(...ratios), 2)}-${fmt(Math.max(...ratios), 2)}x${target})`;
  };
  return [
    `(b) accepted submissions/s at concurrency ${CONCURRENCY}, ${ROUNDS} rounds of ${PER_ROUND} taking turns, Azurite, bare receiver and runtime in their own processes:`,
    `    SDK floor (blob create + queue send): ${floorRates.map((r) => fmt(r, 0)).join(", ")}  median ${fmt(median(floorRates), 0)}/s`,
    `    bare receiver (node:http, the same two writes): ${bareRates.map((r) => fmt(r, 0)).join(", ")}  median ${fmt(median(bareRates), 0)}/s`,
    `    local runtime (HTTP, validate, store, queue): ${runtimeRates.map((r) => fmt(r, 0)).join(", ")}  median ${fmt(median(runtimeRates), 0)}/s`,
    ratioLine("runtime/floor", runtimeRates, floorRates, "; target >= 0.9x"),
    ratioLine("bare receiver/floor (the HTTP hop on this machine)", bareRates, floorRates, ""),
    ratioLine("runtime/bare receiver (what the runtime adds)", runtimeRates, bareRates, ""),
    ...(await latencySplit(connectionString, url, bareUrl, blobs, queue)),
  ];
}

/** Requests one at a time per phase, the phases taking turns so that they see the same machine. */
const LATENCY_SAMPLES = 200;
const LATENCY_WARM_UP = 10;

/**
 * Single-request latency, split by phase: the SDK floor (the same two writes), the same
 * submission through `submitDocument` in this process (validation, canonical JSON, hash,
 * the two writes), the judgement alone, a bare HTTP round trip to the runtime (`/api/health`,
 * cached: no storage), the submission over HTTP, and the same two writes behind the bare
 * receiver. The differences say where the runtime's extra time goes: the domain (in-process
 * minus floor) or the host (HTTP minus in-process); the bare receiver, what any HTTP hop costs.
 */
async function latencySplit(connectionString: string, url: string, bareUrl: string, blobs: ContainerClient, queue: QueueClient): Promise<string[]> {
  const services = createServices({ ...readConfig({}), storage: { kind: "connectionString", connectionString } });
  const phases: { name: string; run: (item: ReturnType<typeof documents>[number]) => Promise<void> }[] = [
    { name: "SDK floor (blob create + queue send)", run: (item) => floorWrites(blobs, queue, item) },
    {
      name: "submitDocument in this process",
      run: async ({ docId, body }) => {
        await submitDocument({ docType: "usage", docVersion: "1", docId, document: JSON.parse(body) }, services);
      },
    },
    {
      name: "judgeSubmission alone (no I/O)",
      run: async ({ docId, body }) => {
        judgeSubmission({ docType: "usage", docVersion: "1", docId, document: JSON.parse(body) }, { now: new Date() });
        await Promise.resolve();
      },
    },
    {
      name: "HTTP round trip, GET /api/health",
      run: async () => {
        const response = await fetch(`${url}/api/health`);
        await response.arrayBuffer();
      },
    },
    { name: "HTTP submit through the runtime", run: (item) => submitOnce(url, item) },
    { name: "HTTP submit to the bare receiver", run: (item) => submitOnce(bareUrl, item) },
  ];
  const samples = phases.map(() => [] as number[]);
  // A new docId for every request: a duplicate would be a different path.
  const items = documents((LATENCY_SAMPLES + LATENCY_WARM_UP) * phases.length);
  let next = 0;
  for (let i = 0; i < LATENCY_SAMPLES + LATENCY_WARM_UP; i++) {
    for (const [p, phase] of phases.entries()) {
      const item = items[next++]!;
      const started = performance.now();
      await phase.run(item);
      // The first rounds warm both processes up.
      if (i >= LATENCY_WARM_UP) samples[p]!.push(performance.now() - started);
    }
  }
  const medians = samples.map((s) => median(s));
  const [floorMs, inProcessMs, judgeMs, healthMs, httpMs, bareMs] = medians as [number, number, number, number, number, number];
  return [
    `    single-request latency, one at a time, the phases taking turns, ${LATENCY_SAMPLES} each (median ms, p90):`,
    ...phases.map((phase, p) => `      ${phase.name.padEnd(40)} ${fmt(medians[p]!, 2)} ms  p90 ${fmt(percentile(samples[p]!, 90), 2)}`),
    `    split: domain (in-process minus floor) ${fmt(inProcessMs - floorMs, 2)} ms, of which the judgement ${fmt(judgeMs, 2)}; ` +
      `host (HTTP minus in-process) ${fmt(httpMs - inProcessMs, 2)} ms, of which a bare round trip ${fmt(healthMs, 2)}`,
    `    ratio HTTP submit/floor: ${fmt(httpMs / floorMs, 2)}x (+${fmt(httpMs - floorMs, 2)} ms; target <= 1.2x); ` +
      `bare receiver/floor ${fmt(bareMs / floorMs, 2)}x (+${fmt(bareMs - floorMs, 2)} ms)`,
  ];
}

/** (c) Storage requests per new document, per duplicate and per conflict, counted as Azurite serves them. */
export async function benchStorageRequests(): Promise<string[]> {
  let counting = false;
  const seen: string[] = [];
  const azurite = await startAzurite({
    onRequest: (service, method) => {
      if (counting) seen.push(`${service} ${method}`);
    },
  });
  try {
    const services = createServices({ ...readConfig({}), storage: { kind: "connectionString", connectionString: azurite.connectionString } });
    await ensureStorage(services.clients);
    const doc = makeUsageDocument();
    const submit = (document: unknown) => submitDocument({ docType: "usage", docVersion: "1", docId: doc.docId, document }, services);
    const count = async (what: string, action: () => Promise<unknown>): Promise<string> => {
      seen.length = 0;
      counting = true;
      await action().catch(() => undefined);
      counting = false;
      const reads = seen.filter((s) => / (GET|HEAD)$/.test(s)).length;
      return `    ${what}: ${seen.length - reads} write(s), ${reads} read(s)  [${seen.join(", ")}]`;
    };
    return [
      "(c) storage requests per submission (target for a new document: 2 writes, 0 reads):",
      await count("new document", () => submit(doc)),
      await count("duplicate", () => submit(JSON.parse(canonicalJson(doc)))),
      await count("conflict", () => submit({ ...doc, collectedAt: "2026-10-01T00:00:00.000Z" })),
    ];
  } finally {
    await azurite.close();
  }
}
