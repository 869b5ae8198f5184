import type { ContainerClient } from "@azure/storage-blob";
import type { QueueClient } from "@azure/storage-queue";
import { isoWeekOf } from "../shared/isoWeek";
import { sha256Hex } from "../shared/sha256Hex";
import { encodeClaimCheck } from "../shared/storage/claimCheck";
import { rawBlobName } from "../shared/storage/rawArchive";

/** A document as the floor writes it: its id, its bytes as sent, and its parsed value. */
export interface FloorDocument {
  docId: string;
  body: string;
  doc: Record<string, unknown>;
}

/**
 * The two writes a new submission makes, straight from the SDK: the raw blob (created only if
 * absent, with the metadata and tags the service sets) and the claim-check message. Bench
 * (b)'s floor, in the bench's own process and behind the bare receiver (bareReceiver.ts).
 */
export async function floorWrites(blobs: ContainerClient, queue: QueueClient, { docId, body, doc }: FloorDocument): Promise<void> {
  const name = rawBlobName("usage", docId);
  const collectedAt = String(doc["collectedAt"]);
  // Once, as the service hashes a document once.
  const sha256 = sha256Hex(body);
  await blobs.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
    conditions: { ifNoneMatch: "*" },
    metadata: { sha256, receivedat: new Date().toISOString() },
    tags: { docType: "usage", docVersion: "1", week: isoWeekOf(new Date(collectedAt)), collectedDate: collectedAt.slice(0, 10), hierarchyId: String(doc["hierarchyId"]) },
  });
  await queue.sendMessage(encodeClaimCheck({ v: 1, docType: "usage", docVersion: 1, docId, blobName: name, sha256 }));
}
