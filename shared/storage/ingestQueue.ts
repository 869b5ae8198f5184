import type { QueueClient } from "@azure/storage-queue";
import { encodeClaimCheck, type ClaimCheck } from "./claimCheck";
import { translateStorageError } from "./storageErrors";

/** The queue that hands accepted documents to aggregation. */
export class IngestQueue {
  constructor(private readonly queue: QueueClient) {}

  /** Enqueues a claim check. One write. */
  async send(claim: ClaimCheck): Promise<void> {
    try {
      await this.queue.sendMessage(encodeClaimCheck(claim));
    } catch (error) {
      translateStorageError(error, "queueing the document for aggregation");
    }
  }
}
