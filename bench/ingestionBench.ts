import { randomUUID } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { readConfig, storageNames } from "../shared/config";
import { canonicalJson } from "../shared/ingestion/canonicalJson";
import { sha256Hex } from "../shared/sha256Hex";
import { submitDocument } from "../shared/ingestion/submitDocument";
import { isoWeekOf } from "../shared/isoWeek";
import { createServices } from "../shared/services";
import { encodeClaimCheck } from "../shared/storage/claimCheck";
import { ensureStorage } from "../shared/storage/ensureStorage";
import { rawBlobName } from "../shared/storage/rawArchive";
import { startAzurite } from "../local/azurite";
import { makeUsageDocument } from "../devkit/usageDocuments";
import { aggregationDisabled, noLocalSettings, startChild, type Child } from "../devkit/children";
import { fmt, median, pairedRatio, throughput } from "./measure";

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

  const floor = async (items: ReturnType<typeof documents>): Promise<number> =>
    throughput(items.length, CONCURRENCY, async (i) => {
      const { docId, body, doc } = items[i]!;
      const name = rawBlobName("usage", 1, docId);
      await blobs.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: "*" },
        metadata: { sha256: sha256Hex(body), receivedat: new Date().toISOString() },
        tags: { docType: "usage", docVersion: "1", week: isoWeekOf(new Date(String(doc["collectedAt"]))), collectedDate: String(doc["collectedAt"]).slice(0, 10), hierarchyId: String(doc["hierarchyId"]) },
      });
      await queue.sendMessage(encodeClaimCheck({ v: 1, docType: "usage", docVersion: 1, docId, blobName: name, sha256: sha256Hex(body) }));
    });
  const viaRuntime = async (items: ReturnType<typeof documents>): Promise<number> =>
    throughput(items.length, CONCURRENCY, async (i) => {
      const { docId, body } = items[i]!;
      const response = await fetch(`${url}/api/v1/submit/usage/1/${docId}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-functions-key": KEY },
        body,
      });
      await response.arrayBuffer();
      if (response.status !== 202) throw new Error(`expected 202, got ${response.status}`);
    });

  await floor(documents(200)); // warm-up both paths
  await viaRuntime(documents(200));
  const floorRates: number[] = [];
  const runtimeRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    floorRates.push(await floor(documents(PER_ROUND)));
    runtimeRates.push(await viaRuntime(documents(PER_ROUND)));
  }
  const ratio = pairedRatio(runtimeRates, floorRates);
  return [
    `(b) accepted submissions/s at concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds of ${PER_ROUND}, Azurite and runtime in their own processes:`,
    `    SDK floor (blob create + queue send): ${floorRates.map((r) => fmt(r, 0)).join(", ")}  median ${fmt(median(floorRates), 0)}/s`,
    `    local runtime (HTTP, validate, store, queue): ${runtimeRates.map((r) => fmt(r, 0)).join(", ")}  median ${fmt(median(runtimeRates), 0)}/s`,
    `    ratio runtime/floor: ${fmt(ratio, 2)}x (median of the ${ROUNDS} round pairs' ratios; target >= 0.7x)`,
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
