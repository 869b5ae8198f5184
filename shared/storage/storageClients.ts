import { ManagedIdentityCredential, DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { TableClient } from "@azure/data-tables";
import type { StorageConnection } from "../config";

/** The SDK clients every storage module is built from; created once per process. */
export interface StorageClients {
  blobService: BlobServiceClient;
  queueService: QueueServiceClient;
  table(name: string): TableClient;
}

// A client waiting on storage is an SCP waiting for its answer: a few quick tries, then a
// 503 with Retry-After, rather than the SDK default of minutes of back-off.
const retryOptions = { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2_000, tryTimeoutInMs: 20_000 };
const pipelineOptions = { retryOptions };

/** The identity the app runs as (also used to sign telemetry). */
export function credentialFor(connection: { clientId?: string }): TokenCredential {
  // A user-assigned identity is named by its client id; without one, fall back to the
  // developer's own sign-in (az login, VS Code) so the code runs against a real account too.
  return connection.clientId !== undefined
    ? new ManagedIdentityCredential({ clientId: connection.clientId })
    : new DefaultAzureCredential();
}

const tableRetryOptions = { maxRetries: retryOptions.maxTries - 1, retryDelayInMs: 200, maxRetryDelayInMs: 2_000 };

/** One TableClient per table name, made on first use. */
function tableCache(create: (name: string) => TableClient): (name: string) => TableClient {
  const tables = new Map<string, TableClient>();
  return (name) => {
    let client = tables.get(name);
    if (client === undefined) {
      client = create(name);
      tables.set(name, client);
    }
    return client;
  };
}

/** Builds the clients from a connection string (Azurite, local) or a managed identity (Azure). */
export function createStorageClients(connection: StorageConnection): StorageClients {
  if (connection.kind === "connectionString") {
    const { connectionString } = connection;
    // Azurite speaks plain http; the table SDK refuses that unless told it is intended.
    const allowInsecureConnection = /UseDevelopmentStorage=true|Endpoint=http:\/\//i.test(connectionString);
    return {
      blobService: BlobServiceClient.fromConnectionString(connectionString, pipelineOptions),
      queueService: QueueServiceClient.fromConnectionString(connectionString, pipelineOptions),
      table: tableCache((name) =>
        TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection, retryOptions: tableRetryOptions }),
      ),
    };
  }
  const credential = credentialFor(connection);
  const account = connection.accountName;
  return {
    blobService: new BlobServiceClient(`https://${account}.blob.core.windows.net`, credential, pipelineOptions),
    queueService: new QueueServiceClient(`https://${account}.queue.core.windows.net`, credential, pipelineOptions),
    table: tableCache((name) => new TableClient(`https://${account}.table.core.windows.net`, name, credential, { retryOptions: tableRetryOptions })),
  };
}
