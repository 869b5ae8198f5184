import { randomUUID } from "node:crypto";
import { InvocationContext } from "@azure/functions";
import type { DequeuedMessageItem, QueueClient, QueueServiceClient } from "@azure/storage-queue";
import type { Bound, QueueTrigger } from "../functions/triggerTypes";
import type { HostSettings } from "./hostSettings";
import type { LocalLog } from "./httpHost";

// The host holds a message invisible for 10 minutes while a function runs on it.
const PROCESSING_VISIBILITY_SECONDS = 600;
const MIN_POLL_MS = 100;
// What one receive may ask for (the Queue service's limit).
const MAX_MESSAGES_PER_RECEIVE = 32;

export interface QueueHostOptions {
  triggers: readonly Bound<QueueTrigger>[];
  queueService: QueueServiceClient;
  settings: HostSettings["queues"];
  /** Instances played, as scaled-out hosts: each with host.json's per-instance limits (one loop per trigger serves them all). */
  instances?: number;
  log: LocalLog;
}

/** Decodes a message as the host does with `messageEncoding: base64`: JSON becomes a value, anything else a string. */
export function decodeQueueMessage(messageText: string): unknown {
  const text = Buffer.from(messageText, "base64").toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Drives queue triggers with the Functions host's semantics: batches of `batchSize` topped
 * up at `newBatchThreshold`, a failed message made visible again after `visibilityTimeout`,
 * and after `maxDequeueCount` failed attempts moved, unchanged, to `<queue>-poison`. Polling
 * backs off to `maxPollingInterval` while a queue is empty. It plays `instances` hosts at
 * once, each with those per-instance limits.
 */
export class QueueHost {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(private readonly options: QueueHostOptions) {}

  start(): void {
    for (const trigger of this.options.triggers) this.loops.push(this.run(trigger));
  }

  /** Polls now rather than at the end of the current back-off (tests use this to avoid waiting). */
  wake(): void {
    for (const wake of this.wakers) wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await Promise.all(this.loops);
  }

  /**
   * The host's loop, for every instance played: an instance takes up to `batchSize`
   * messages as soon as no more than `newBatchThreshold` of its own are still running, so at
   * most batchSize + newBatchThreshold run on it at once and a slow message holds up nobody.
   * With more than one instance, the loop fetches for all of them in one receive and keeps a
   * batch per instance in reserve, handed out as each becomes ready: Azurite sorts the whole
   * queue for every receive (a backlog of 10,000 made that its largest cost), while each
   * instance still runs what it would alone. The reserve is invisible for
   * PROCESSING_VISIBILITY_SECONDS, as running messages are, and made visible again on stop.
   */
  private async run(trigger: Bound<QueueTrigger>): Promise<void> {
    const queue = this.options.queueService.getQueueClient(trigger.queueName);
    const poison = this.options.queueService.getQueueClient(`${trigger.queueName}-poison`);
    const { batchSize, newBatchThreshold, maxPollingIntervalMs } = this.options.settings;
    const instances: Set<Promise<void>>[] = Array.from({ length: this.options.instances ?? 1 }, () => new Set());
    const reserve = instances.length > 1 ? instances.length * batchSize : 0;
    const held: DequeuedMessageItem[] = [];
    const allRunning = (): Promise<void>[] => instances.flatMap((running) => [...running]);
    let delay = MIN_POLL_MS;
    while (!this.stopped) {
      const ready = instances.filter((running) => running.size <= newBatchThreshold);
      if (ready.length === 0) {
        await Promise.race(allRunning());
        continue;
      }
      const wanted = ready.length * batchSize;
      if (held.length < wanted) {
        try {
          const numberOfMessages = Math.min(MAX_MESSAGES_PER_RECEIVE, wanted + reserve - held.length);
          const response = await queue.receiveMessages({ numberOfMessages, visibilityTimeout: PROCESSING_VISIBILITY_SECONDS });
          held.push(...response.receivedMessageItems);
        } catch (error) {
          this.options.log("warning", `polling ${trigger.queueName} failed: ${String(error)}`);
        }
      }
      let given = 0;
      for (const running of ready) {
        for (const message of held.splice(0, batchSize)) {
          const work: Promise<void> = this.process(trigger, queue, poison, message).finally(() => running.delete(work));
          running.add(work);
          given++;
        }
      }
      if (given > 0) {
        delay = MIN_POLL_MS;
        continue;
      }
      // Nothing new: wait for the back-off, or for a running message to finish, whichever comes first.
      await Promise.race([this.sleep(delay), ...allRunning()]);
      delay = Math.min(delay * 2, maxPollingIntervalMs);
    }
    await Promise.all([...allRunning(), ...held.map((message) => this.release(queue, message))]);
  }

  /** Makes a message taken but never run visible again at once (the runtime is stopping). */
  private async release(queue: QueueClient, message: DequeuedMessageItem): Promise<void> {
    try {
      await queue.updateMessage(message.messageId, message.popReceipt, undefined, 0);
    } catch (error) {
      // It becomes visible when its processing lease ends; nothing is lost.
      this.options.log("warning", `could not release message ${message.messageId}: ${String(error)}`);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }

  private async process(trigger: Bound<QueueTrigger>, queue: QueueClient, poison: QueueClient, message: DequeuedMessageItem): Promise<void> {
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName: trigger.name,
      logHandler: (level, ...args) => this.options.log(level, args.map(String).join(" ")),
      triggerMetadata: {
        id: message.messageId,
        dequeueCount: message.dequeueCount,
        insertionTime: message.insertedOn,
        expirationTime: message.expiresOn,
        nextVisibleTime: message.nextVisibleOn,
        popReceipt: message.popReceipt,
      },
    });
    try {
      await trigger.handler(decodeQueueMessage(message.messageText), context);
      await queue.deleteMessage(message.messageId, message.popReceipt);
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      try {
        if (message.dequeueCount >= this.options.settings.maxDequeueCount) {
          this.options.log("warning", `${trigger.name}: message ${message.messageId} failed ${message.dequeueCount} times, moving it to ${poison.name}: ${detail}`);
          await poison.sendMessage(message.messageText);
          await queue.deleteMessage(message.messageId, message.popReceipt);
        } else {
          this.options.log("warning", `${trigger.name}: message ${message.messageId} failed (attempt ${message.dequeueCount}): ${detail}`);
          await queue.updateMessage(message.messageId, message.popReceipt, undefined, Math.round(this.options.settings.visibilityTimeoutMs / 1000));
        }
      } catch (settleError) {
        // The message becomes visible again when its processing lease ends; nothing is lost.
        this.options.log("warning", `${trigger.name}: could not settle message ${message.messageId}: ${String(settleError)}`);
      }
    }
  }
}

