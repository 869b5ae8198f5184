import type { QueueClient } from "@azure/storage-queue";
import { encodeClaimCheck, type ClaimCheck } from "./claimCheck";
import { translateStorageError } from "./storageErrors";

/** The queue that hands accepted documents to aggregation. */
export class IngestQueue {
  constructor(private readonly queue: QueueClient) {}

  /** Enqueues a claim check, visible at once or after `delaySeconds`. One write. */
  async send(claim: ClaimCheck, delaySeconds = 0): Promise<void> {
    try {
      await this.queue.sendMessage(encodeClaimCheck(claim), delaySeconds > 0 ? { visibilityTimeout: delaySeconds } : {});
    } catch (error) {
      translateStorageError(error, "queueing the document for aggregation");
    }
  }
}
