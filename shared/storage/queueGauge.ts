import type { QueueClient } from "@azure/storage-queue";
import { translateStorageError } from "./storageErrors";

export interface QueueGaugeReading {
  /** The queue's approximate message count (visible and invisible messages alike). */
  approximateMessages: number;
  /**
   * When the message at the front of the queue was inserted; undefined when no message is
   * visible. Peeking sees visible messages only: one held by a running function, or waiting
   * out a retry delay or a rebuild deferral, is not seen until it is visible again.
   */
  frontInsertedOn: Date | undefined;
}

/** Reads how full a queue is, and how old its front message: two reads, no message taken. */
export class QueueGauge {
  constructor(private readonly queue: QueueClient) {}

  async read(): Promise<QueueGaugeReading> {
    try {
      const [properties, peeked] = await Promise.all([this.queue.getProperties(), this.queue.peekMessages({ numberOfMessages: 1 })]);
      return { approximateMessages: properties.approximateMessagesCount ?? 0, frontInsertedOn: peeked.peekedMessageItems[0]?.insertedOn };
    } catch (error) {
      translateStorageError(error, `reading the depth of queue ${this.queue.name}`);
    }
  }
}
