import { mkdirSync } from "node:fs";
import { join } from "node:path";
import BlobConfiguration from "azurite/dist/src/blob/BlobConfiguration";
import BlobServer from "azurite/dist/src/blob/BlobServer";
import QueueConfiguration from "azurite/dist/src/queue/QueueConfiguration";
import QueueServer from "azurite/dist/src/queue/QueueServer";
import TableConfiguration from "azurite/dist/src/table/TableConfiguration";
import TableServer from "azurite/dist/src/table/TableServer";
import { azuriteVersionWarning, installedAzuriteVersion, pinnedAzuriteVersion } from "./azuriteVersion";

/** Azurite's well-known development account (public, documented by Microsoft). */
export const DEV_ACCOUNT = "devstoreaccount1";
const DEV_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteOptions {
  /** Folder for persistent data; omit to keep everything in memory (tests). */
  location?: string;
  /** Ports for blob, queue and table; 0 (the default) lets the OS pick free ones. */
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  host?: string;
  /** Where a warning goes (an installed Azurite other than the pinned one); console.warn by default. */
  warn?: (message: string) => void;
  /** Sees every request Azurite serves (the benchmark counts storage round-trips with it). */
  onRequest?: (service: "blob" | "queue" | "table", method: string, url: string) => void;
}

export interface EmbeddedAzurite {
  connectionString: string;
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  close(): Promise<void>;
}

/**
 * Starts Azurite's blob, queue and table servers inside this process. In-process rather
 * than a child process so that a crashed test run can never leave an orphan holding
 * ports or CI's output pipe open.
 */
/**
 * How often Azurite sweeps unreferenced blob and queue extents (its defaults: blobs every 10
 * minutes, queues every minute). A sweep walks every message or blob on Azurite's one thread
 * and answers nothing meanwhile: with the load run's 10,000 queued messages each queue sweep
 * took 11 to 18 s, every 75 s, and a blob sweep 72 s (docs/performance.md, "The stall").
 * In memory the process lives for a test or a run, and what a sweep would free is the text of
 * deleted messages and blobs: never. On disk (`npm start`) once every 6 hours; every start
 * sweeps once as well.
 */
const IN_MEMORY_GC_INTERVAL_MS = 2 ** 31 - 1;
const ON_DISK_GC_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** Sets the sweep interval of Azurite's GC managers before they start (a field Azurite 3.37 reads before each sleep). */
function deferGarbageCollection(servers: readonly object[], intervalMs: number): void {
  for (const server of servers) {
    const gc = (server as { gcManager?: { gcIntervalInMS?: unknown } }).gcManager;
    // Loudly, so that an Azurite whose internals moved is noticed rather than stalling again.
    if (gc === undefined || typeof gc.gcIntervalInMS !== "number") throw new Error("this Azurite has no gcManager.gcIntervalInMS: see local/azurite.ts");
    gc.gcIntervalInMS = intervalMs;
  }
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<EmbeddedAzurite> {
  const host = options.host ?? "127.0.0.1";
  const mismatch = azuriteVersionWarning(pinnedAzuriteVersion(), installedAzuriteVersion());
  if (mismatch !== undefined) (options.warn ?? console.warn)(`WARNING: ${mismatch}`);
  const inMemory = options.location === undefined;
  const dir = options.location ?? "";
  if (!inMemory) mkdirSync(dir, { recursive: true });
  const at = (name: string): string => (inMemory ? name : join(dir, name));
  // Positional arguments of Azurite's configuration classes (3.37): host, port,
  // keepAliveTimeout, db paths, persistence array, access log, ..., loose,
  // skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, inMemory.
  const blob = new BlobServer(
    new BlobConfiguration(
      host, options.blobPort ?? 0, 5, at("__azurite_db_blob__.json"), at("__azurite_db_blob_extent__.json"),
      [{ locationId: "Default", locationPath: at("__blobstorage__"), maxConcurrency: 10 }],
      false, undefined, false, undefined, false, true, "", "", "", undefined, false, inMemory,
    ),
  );
  const queue = new QueueServer(
    new QueueConfiguration(
      host, options.queuePort ?? 0, 5, at("__azurite_db_queue__.json"), at("__azurite_db_queue_extent__.json"),
      [{ locationId: "Default", locationPath: at("__queuestorage__"), maxConcurrency: 1 }],
      false, undefined, false, undefined, false, true, "", "", "", undefined, false, inMemory,
    ),
  );
  const table = new TableServer(
    new TableConfiguration(
      host, options.tablePort ?? 0, 5, at("__azurite_db_table__.json"),
      false, false, undefined, undefined, false, true, "", "", "", undefined, false, inMemory,
    ),
  );
  deferGarbageCollection([blob, queue], inMemory ? IN_MEMORY_GC_INTERVAL_MS : ON_DISK_GC_INTERVAL_MS);
  const servers = [blob, queue, table];
  const started: typeof servers = [];
  try {
    for (const server of servers) {
      await server.start();
      started.push(server);
    }
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.close()));
    throw error;
  }
  if (options.onRequest !== undefined) {
    const observe = options.onRequest;
    const named = [["blob", blob], ["queue", queue], ["table", table]] as const;
    for (const [service, server] of named) {
      // Azurite keeps its http.Server in a field; a second "request" listener only watches.
      const http = (server as unknown as { httpServer: import("node:http").Server }).httpServer;
      http.on("request", (req: import("node:http").IncomingMessage) => observe(service, req.method ?? "", req.url ?? ""));
    }
  }
  const blobEndpoint = `${blob.getHttpServerAddress()}/${DEV_ACCOUNT}`;
  const queueEndpoint = `${queue.getHttpServerAddress()}/${DEV_ACCOUNT}`;
  const tableEndpoint = `${table.getHttpServerAddress()}/${DEV_ACCOUNT}`;
  return {
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
      `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};TableEndpoint=${tableEndpoint};`,
    async close() {
      await Promise.allSettled(servers.map((s) => s.close()));
    },
  };
}
