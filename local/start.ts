/**
 * `npm start`: the receiver on http://localhost:7071 with an embedded Azurite (or the
 * storage that AzureWebJobsStorage names), no Functions Core Tools, no Azure account.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { readConfig, type Config } from "../shared/config";
import { startAzurite, type EmbeddedAzurite } from "./azurite";
import { startLocalRuntime } from "./localRuntime";

async function main(): Promise<void> {
  // --no-queue-triggers serves HTTP only (the benchmark measures ingestion alone with it).
  const { values } = parseArgs({ options: { "no-queue-triggers": { type: "boolean", default: false } } });
  let config: Config = readConfig();
  let azurite: EmbeddedAzurite | undefined;
  if (config.storage === undefined) {
    const location = resolve(config.local.dataDir);
    // The well-known Azurite ports, so Storage Explorer and az CLI find the data as usual.
    azurite = await startAzurite({ location, blobPort: 10000, queuePort: 10001, tablePort: 10002 });
    config = { ...config, storage: { kind: "connectionString", connectionString: azurite.connectionString } };
    console.log(`Embedded Azurite: blob 10000, queue 10001, table 10002 on 127.0.0.1, data in ${location}`);
  } else {
    console.log("Using the storage named by AzureWebJobsStorage; no Azurite started");
  }
  const runtime = await startLocalRuntime({ config, runQueueTriggers: !values["no-queue-triggers"] });
  console.log(`Receiver listening on ${runtime.url}  (health: ${runtime.url}/api/health)`);
  console.log(`Ingest key: ${config.local.ingestKey === "dev-ingest-key" ? "dev-ingest-key (dev default; set INGEST_KEY)" : "from INGEST_KEY"}`);
  console.log(`Query key:  ${config.local.queryKey === "dev-query-key" ? "dev-query-key (dev default; set QUERY_KEY)" : "from QUERY_KEY"}`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    void runtime
      .close()
      .then(() => azurite?.close())
      .then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
