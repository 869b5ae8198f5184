/**
 * `npm run azurite`: Azurite on its usual ports (or `--ports 0` for free ones), on its own,
 * so that `npm start` with AzureWebJobsStorage set can be stopped, killed and restarted while
 * storage lives on. Prints the connection string as the first line of output.
 *
 *   node dist/local/azuriteServer.js [--location DIR | --in-memory] [--ports 0]
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startAzurite } from "./azurite";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      location: { type: "string", default: ".data" },
      "in-memory": { type: "boolean", default: false },
      ports: { type: "string", default: "default" },
    },
  });
  const free = values.ports === "0";
  const azurite = await startAzurite({
    ...(values["in-memory"] ? {} : { location: resolve(values.location) }),
    blobPort: free ? 0 : 10000,
    queuePort: free ? 0 : 10001,
    tablePort: free ? 0 : 10002,
  });
  console.log(JSON.stringify({ connectionString: azurite.connectionString }));
  const stop = (): void => void azurite.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
