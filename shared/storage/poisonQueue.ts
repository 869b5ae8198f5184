import type { QueueClient } from "@azure/storage-queue";
import { encodePoisonedMessage, type PoisonedMessage } from "./poisonedMessage";
import { isStorageError, translateStorageError } from "./storageErrors";

/**
 * The queue no longer knows the message under this pop receipt: it was received again since
 * (400 PopReceiptMismatch) or is gone (404 MessageNotFound). A missing queue is no lost hold.
 */
function isLostHold(error: unknown): boolean {
  return isStorageError(error, 400, "PopReceiptMismatch") || isStorageError(error, 404, "MessageNotFound");
}

/** One message received from the poison queue, hidden from other readers until released or deleted. */
export interface ReceivedPoisonMessage {
  messageId: string;
  /** Proves this reader still holds the message; changes with every receive and release. */
  popReceipt: string;
  dequeueCount: number;
  /** The text as stored: base64 for everything this project and the Functions host write. */
  messageText: string;
}

/** The poison queue of the ingest queue. */
export class PoisonQueue {
  constructor(private readonly queue: QueueClient) {}

  async send(entry: Omit<PoisonedMessage, "poisoned" | "poisonedAt">): Promise<void> {
    try {
      // Never expires: the queue default (7 days) would drop a message an operator has not seen yet.
      await this.queue.sendMessage(encodePoisonedMessage(entry, new Date()), { messageTimeToLive: -1 });
    } catch (error) {
      translateStorageError(error, "moving a message to the poison queue");
    }
  }

  /** Receives up to `count` (at most 32) messages, hiding them for `visibilityTimeoutSeconds`. */
  async receive(count: number, visibilityTimeoutSeconds: number): Promise<ReceivedPoisonMessage[]> {
    try {
      const response = await this.queue.receiveMessages({ numberOfMessages: count, visibilityTimeout: visibilityTimeoutSeconds });
      return response.receivedMessageItems.map(({ messageId, popReceipt, dequeueCount, messageText }) => ({
        messageId,
        popReceipt,
        dequeueCount,
        messageText,
      }));
    } catch (error) {
      translateStorageError(error, "receiving poison messages");
    }
  }

  /**
   * Deletes a received message. `false` when the queue no longer knows it under this pop
   * receipt (its visibility timeout ran out and it was received again, or it is gone).
   */
  async delete(message: Pick<ReceivedPoisonMessage, "messageId" | "popReceipt">): Promise<boolean> {
    try {
      await this.queue.deleteMessage(message.messageId, message.popReceipt);
      return true;
    } catch (error) {
      if (isLostHold(error)) return false;
      translateStorageError(error, "deleting a poison message");
    }
  }

  /** Makes a received message visible again at once, unchanged; `false` as for `delete`. */
  async release(message: Pick<ReceivedPoisonMessage, "messageId" | "popReceipt">): Promise<boolean> {
    try {
      await this.queue.updateMessage(message.messageId, message.popReceipt, undefined, 0);
      return true;
    } catch (error) {
      if (isLostHold(error)) return false;
      translateStorageError(error, "releasing a poison message");
    }
  }
}
