import { randomUUID } from "node:crypto";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { QueueServiceClient, type QueueClient } from "@azure/storage-queue";
import { readConfig, storageNames } from "../shared/config";
import { canonicalJson } from "../shared/ingestion/canonicalJson";
import { sha256Hex } from "../shared/sha256Hex";
import { judgeSubmission } from "../shared/ingestion/judgeSubmission";
import { submitDocument } from "../shared/ingestion/submitDocument";
import { isoWeekOf } from "../shared/isoWeek";
import { createServices } from "../shared/services";
import { encodeClaimCheck } from "../shared/storage/claimCheck";
import { ensureStorage } from "../shared/storage/ensureStorage";
import { rawBlobName } from "../shared/storage/rawArchive";
import { startAzurite } from "../local/azurite";
import { makeUsageDocument } from "../devkit/usageDocuments";
import { aggregationDisabled, noLocalSettings, serviceNodeArguments, startChild, type Child } from "../devkit/children";
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

/** The floor: the blob create and the queue send a new submission makes, straight from the SDK. */
async function floorOnce(blobs: ContainerClient, queue: QueueClient, { docId, body, doc }: BenchDocument): Promise<void> {
  const name = rawBlobName("usage", docId);
  await blobs.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
    conditions: { ifNoneMatch: "*" },
    metadata: { sha256: sha256Hex(body), receivedat: new Date().toISOString() },
    tags: { docType: "usage", docVersion: "1", week: isoWeekOf(new Date(String(doc["collectedAt"]))), collectedDate: String(doc["collectedAt"]).slice(0, 10), hierarchyId: String(doc["hierarchyId"]) },
  });
  await queue.sendMessage(encodeClaimCheck({ v: 1, docType: "usage", docVersion: 1, docId, blobName: name, sha256: sha256Hex(body) }));
}

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
 */
export async function benchIngestionThroughput(): Promise<string[]> {
  const azurite = await startChild("local/azuriteServer.js", ["--in-memory", "--ports", "0"], {}, /"connectionString":"([^"]+)"/);
  const connectionString = azurite.match[1]!;
  let runtime: Child | undefined;
  try {
    runtime = await startChild(
      "local/start.js",
      [...noLocalSettings],
      { ...aggregationDisabled, AzureWebJobsStorage: connectionString, PORT: "0", INGEST_KEY: KEY, RATE_LIMIT_PER_HOUR: "1000000" },
      /listening on (http:\/\/\S+)/,
      serviceNodeArguments,
    );
    return await compareIngestion(connectionString, runtime.match[1]!);
  } finally {
    // Whatever failed, neither child outlives the stage.
    await runtime?.stop();
    await azurite.stop();
  }
}

async function compareIngestion(connectionString: string, url: string): Promise<string[]> {
  const blobs = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(storageNames.rawContainer);
  const queue = QueueServiceClient.fromConnectionString(connectionString).getQueueClient(storageNames.ingestQueue);

  const floor = async (items: ReturnType<typeof documents>): Promise<number> => throughput(items.length, CONCURRENCY, (i) => floorOnce(blobs, queue, items[i]!));
  const viaRuntime = async (items: ReturnType<typeof documents>): Promise<number> => throughput(items.length, CONCURRENCY, (i) => submitOnce(url, items[i]!));

  await floor(documents(200)); // warm-up both paths
  await viaRuntime(documents(200));
  const floorRates: number[] = [];
  const runtimeRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    floorRates.push(await floor(documents(PER_ROUND)));
    runtimeRates.push(await viaRuntime(documents(PER_ROUND)));
  }
  const ratio = pairedRatio(runtimeRates, floorRates);
  const ratios = runtimeRates.map((rate, i) => rate / floorRates[i]!);
  return [
    `(b) accepted submissions/s at concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds of ${PER_ROUND}, Azurite and runtime in their own processes:`,
    `    SDK floor (blob create + queue send): ${floorRates.map((r) => fmt(r, 0)).join(", ")}  median ${fmt(median(floorRates), 0)}/s`,
    `    local runtime (HTTP, validate, store, queue): ${runtimeRates.map((r) => fmt(r, 0)).join(", ")}  median ${fmt(median(runtimeRates), 0)}/s`,
    `    ratio runtime/floor: ${fmt(ratio, 2)}x (median of the ${ROUNDS} round pairs' ratios, spread ${fmt(Math.min(...ratios), 2)}-${fmt(Math.max(...ratios), 2)}x; target >= 0.9x)`,
    ...(await latencySplit(connectionString, url, blobs, queue)),
  ];
}

/** Requests one at a time per phase, the phases taking turns so that they see the same machine. */
const LATENCY_SAMPLES = 200;
const LATENCY_WARM_UP = 10;

/**
 * Single-request latency, split by phase: the SDK floor (the same two writes), the same
 * submission through `submitDocument` in this process (validation, canonical JSON, hash,
 * the two writes), the judgement alone, a bare HTTP round trip to the runtime (`/api/health`,
 * cached: no storage), and the submission over HTTP. The differences say where the runtime's
 * extra time goes: the domain (in-process minus floor) or the host (HTTP minus in-process).
 */
async function latencySplit(connectionString: string, url: string, blobs: ContainerClient, queue: QueueClient): Promise<string[]> {
  const services = createServices({ ...readConfig({}), storage: { kind: "connectionString", connectionString } });
  const phases: { name: string; run: (item: ReturnType<typeof documents>[number]) => Promise<void> }[] = [
    { name: "SDK floor (blob create + queue send)", run: (item) => floorOnce(blobs, queue, item) },
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
  const [floorMs, inProcessMs, judgeMs, healthMs, httpMs] = medians as [number, number, number, number, number];
  return [
    `    single-request latency, one at a time, the phases taking turns, ${LATENCY_SAMPLES} each (median ms, p90):`,
    ...phases.map((phase, p) => `      ${phase.name.padEnd(40)} ${fmt(medians[p]!, 2)} ms  p90 ${fmt(percentile(samples[p]!, 90), 2)}`),
    `    split: domain (in-process minus floor) ${fmt(inProcessMs - floorMs, 2)} ms, of which the judgement ${fmt(judgeMs, 2)}; ` +
      `host (HTTP minus in-process) ${fmt(httpMs - inProcessMs, 2)} ms, of which a bare round trip ${fmt(healthMs, 2)}`,
    `    ratio HTTP submit/floor: ${fmt(httpMs / floorMs, 2)}x (+${fmt(httpMs - floorMs, 2)} ms; target <= 1.2x)`,
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
