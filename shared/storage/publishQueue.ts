import type { QueueClient } from "@azure/storage-queue";
import type { IsoWeek } from "../isoWeek";
import { encodePublishRequest } from "./publishRequest";
import { translateStorageError } from "./storageErrors";

/** The queue of publish requests, read by the publishWeeklyDimensions trigger. */
export class PublishQueue {
  constructor(private readonly queue: QueueClient) {}

  /**
   * Enqueues a request for `week`, visible after `delaySeconds`. One write. It never expires:
   * with the default time-to-live (7 days) a week changed while publishing was down would
   * stay stale for good.
   */
  async send(week: IsoWeek, delaySeconds: number): Promise<void> {
    try {
      await this.queue.sendMessage(encodePublishRequest({ v: 1, week }), { messageTimeToLive: -1, visibilityTimeout: delaySeconds });
    } catch (error) {
      translateStorageError(error, "requesting a week's publication");
    }
  }
}
