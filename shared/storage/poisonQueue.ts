import type { QueueClient } from "@azure/storage-queue";
import { translateStorageError } from "./storageErrors";

/**
 * What the aggregation trigger puts on the poison queue: the message as it was, and why it
 * gave up, so an operator can decide and `npm run requeue-poison` can put it back.
 * (A message the host itself moves there is the bare claim check; requeueing takes both.)
 */
export interface PoisonedMessage {
  poisoned: 1;
  reason: string;
  attempts: number;
  poisonedAt: string;
  /** The original message as the trigger received it (a claim check, or whatever arrived). */
  message: unknown;
}

const MAX_KEPT_CHARS = 16_000;

/** The poison queue of the ingest queue. */
export class PoisonQueue {
  constructor(private readonly queue: QueueClient) {}

  async send(entry: Omit<PoisonedMessage, "poisoned" | "poisonedAt">): Promise<void> {
    // A queue message holds 64 KiB; a stray oversized message is kept in part, with the reason whole.
    const original = entry.message === undefined ? "undefined" : JSON.stringify(entry.message);
    const message = original.length > MAX_KEPT_CHARS ? `${original.slice(0, MAX_KEPT_CHARS)}… (truncated)` : entry.message;
    const body: PoisonedMessage = { poisoned: 1, poisonedAt: new Date().toISOString(), ...entry, message };
    try {
      await this.queue.sendMessage(Buffer.from(JSON.stringify(body), "utf8").toString("base64"));
    } catch (error) {
      translateStorageError(error, "moving a message to the poison queue");
    }
  }
}
