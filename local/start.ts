/**
 * `npm start`: the receiver on http://localhost:7071 with an embedded Azurite (or the
 * storage that AzureWebJobsStorage names), no Functions Core Tools, no Azure account.
 *
 *   node dist/local/start.js [--local-settings FILE | --local-settings none]
 *
 * `npm start` runs it with the V8 heap limit deployed instances get (shared/heapLimit.ts),
 * which must be given when node starts; run directly, it says that it has V8's default.
 * Settings come from the environment, with local.settings.json (in the project folder, or
 * the FILE given) laid under it as Core Tools does; `none` reads no file (the tests and the
 * benchmark name every setting themselves).
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";
import { triggers } from "../functions/triggers";
import { processEnvironment, readConfig, readDisabledFunctions, type Config } from "../shared/config";
import { startAzurite, type EmbeddedAzurite } from "./azurite";
import { projectRoot } from "./hostSettings";
import { applyLocalSettings, readLocalSettings } from "./localSettings";
import { startLocalRuntime } from "./localRuntime";
import { describeHeapLimit } from "./startHeapLimit";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "local-settings": { type: "string" } } });
  const file = values["local-settings"] ?? join(projectRoot(), "local.settings.json");
  let env = processEnvironment();
  const settings = file === "none" ? undefined : readLocalSettings(file);
  if (settings !== undefined) {
    const applied = applyLocalSettings(env, settings);
    env = applied.env;
    console.log(`Settings from ${file}${applied.skipped.length > 0 ? `; the environment already sets ${applied.skipped.join(", ")}` : ""}`);
  }
  let config: Config = readConfig(env);
  const disabledFunctions = readDisabledFunctions(triggers.map((t) => t.name), env);
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
  const runtime = await startLocalRuntime({ config, disabledFunctions });
  console.log(`Receiver listening on ${runtime.url}  (health: ${runtime.url}/api/health)`);
  console.log(describeHeapLimit(process.execArgv, processEnvironment()["NODE_OPTIONS"], getHeapStatistics().heap_size_limit));
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
