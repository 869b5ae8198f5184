import type { QueueClient } from "@azure/storage-queue";
import { encodeClaimCheck, type ClaimCheck } from "./claimCheck";
import { translateStorageError } from "./storageErrors";

/** The queue that hands accepted documents to aggregation. */
export class IngestQueue {
  constructor(private readonly queue: QueueClient) {}

  /**
   * Enqueues a claim check, visible at once or after `delaySeconds`. One write. It never
   * expires: the queue's default time-to-live (7 days) would silently drop an accepted
   * document's aggregation if aggregation were down, or deferred, for a week.
   */
  async send(claim: ClaimCheck, delaySeconds = 0): Promise<void> {
    try {
      await this.queue.sendMessage(encodeClaimCheck(claim), {
        messageTimeToLive: -1,
        ...(delaySeconds > 0 ? { visibilityTimeout: delaySeconds } : {}),
      });
    } catch (error) {
      translateStorageError(error, "queueing the document for aggregation");
    }
  }
}
