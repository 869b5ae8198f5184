/**
 * The least an HTTP receiver can do, for bench (b): a bare `node:http` server that reads a POST
 * body, parses it and makes the same two writes as the SDK floor (floorWrites.ts), answering
 * 202. No validation, no idempotency, no host, no logging. Run as a child process
 * (`node dist/bench/bareReceiver.js`, AzureWebJobsStorage in its environment); it prints
 * `listening on http://…`. Measured beside the SDK floor and the runtime, it tells what the HTTP
 * hop costs on the machine from what the runtime adds on top of it.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { storageNames } from "../shared/config";
import { floorWrites } from "./floorWrites";

const connectionString = process.env["AzureWebJobsStorage"];
if (connectionString === undefined) throw new Error("bareReceiver needs AzureWebJobsStorage");
const blobs = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(storageNames.rawContainer);
const queue = QueueServiceClient.fromConnectionString(connectionString).getQueueClient(storageNames.ingestQueue);

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    // The docId is the path's last segment, as in /api/v1/submit/usage/1/{docId}.
    const docId = (request.url ?? "").split("/").pop() ?? "";
    const body = Buffer.concat(chunks).toString("utf8");
    floorWrites(blobs, queue, { docId, body, doc: JSON.parse(body) as Record<string, unknown> }).then(
      () => response.writeHead(202, { "content-type": "application/json" }).end(`{"docId":"${docId}"}`),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
