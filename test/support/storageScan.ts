import { TableServiceClient, TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";

/** Everything in an Azurite account as text: blob names, metadata, tags and bodies; queue messages; table entities. */
export async function dumpStorage(connectionString: string): Promise<string[]> {
  const out: string[] = [];
  const blobs = BlobServiceClient.fromConnectionString(connectionString);
  for await (const container of blobs.listContainers()) {
    const client = blobs.getContainerClient(container.name);
    for await (const blob of client.listBlobsFlat({ includeMetadata: true, includeTags: true })) {
      const body = await client.getBlobClient(blob.name).downloadToBuffer();
      out.push(`blob ${container.name}/${blob.name} ${JSON.stringify(blob.metadata)} ${JSON.stringify(blob.tags)} ${body.toString("utf8")}`);
    }
  }
  const queues = QueueServiceClient.fromConnectionString(connectionString);
  for await (const queue of queues.listQueues()) {
    const client = queues.getQueueClient(queue.name);
    const peeked = await client.peekMessages({ numberOfMessages: 32 });
    for (const message of peeked.peekedMessageItems) {
      out.push(`queue ${queue.name} ${message.messageText} ${Buffer.from(message.messageText, "base64").toString("utf8")}`);
    }
  }
  const tables = TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: true });
  for await (const table of tables.listTables()) {
    const client = TableClient.fromConnectionString(connectionString, table.name ?? "", { allowInsecureConnection: true });
    for await (const entity of client.listEntities()) out.push(`table ${table.name} ${JSON.stringify(entity)}`);
  }
  return out;
}

/** Names of the blobs in one container. */
export async function listBlobNames(connectionString: string, container: string): Promise<string[]> {
  const names: string[] = [];
  const client = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container);
  for await (const blob of client.listBlobsFlat()) names.push(blob.name);
  return names;
}

/** Decoded messages waiting on a queue (up to 32, without dequeuing them). */
export async function peekQueue(connectionString: string, queue: string): Promise<unknown[]> {
  const client = QueueServiceClient.fromConnectionString(connectionString).getQueueClient(queue);
  const peeked = await client.peekMessages({ numberOfMessages: 32 });
  return peeked.peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, "base64").toString("utf8")) as unknown);
}
