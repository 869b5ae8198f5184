import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { InvocationContext } from "@azure/functions";
import { QueueServiceClient } from "@azure/storage-queue";
import type { QueueHandler } from "../../functions/triggerTypes";
import { startAzurite, type EmbeddedAzurite } from "../../local/azurite";
import { QueueHost } from "../../local/queueHost";
import { waitFor } from "../support/waitFor";

describe("the local queue host against Azurite", () => {
  let azurite: EmbeddedAzurite;
  let queues: QueueServiceClient;
  before(async () => {
    azurite = await startAzurite();
    queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
  });
  after(async () => azurite.close());

  async function run(
    name: string,
    handler: QueueHandler,
    body: (host: QueueHost) => Promise<void>,
    batches: { batchSize: number; newBatchThreshold: number } = { batchSize: 4, newBatchThreshold: 2 },
    instances = 1,
  ): Promise<void> {
    await queues.getQueueClient(name).createIfNotExists();
    await queues.getQueueClient(`${name}-poison`).createIfNotExists();
    const host = new QueueHost({
      triggers: [{ kind: "queue", name, queueName: name, handler }],
      queueService: queues,
      settings: { ...batches, maxDequeueCount: 3, visibilityTimeoutMs: 0, maxPollingIntervalMs: 100 },
      instances,
      log: () => undefined,
    });
    host.start();
    try {
      await body(host);
    } finally {
      await host.stop();
    }
  }

  const count = async (queue: string): Promise<number> =>
    (await queues.getQueueClient(queue).getProperties()).approximateMessagesCount ?? 0;

  test("a message that always fails is tried maxDequeueCount times, then moved unchanged to -poison", async () => {
    const seen: number[] = [];
    await run("always-fails", async (_message, context: InvocationContext) => {
      seen.push(Number(context.triggerMetadata?.["dequeueCount"]));
      throw new Error("boom");
    }, async () => {
      const text = Buffer.from('{"n":1}').toString("base64");
      await queues.getQueueClient("always-fails").sendMessage(text);
      await waitFor(async () => (await count("always-fails-poison")) === 1, "the poison message");
      const poisoned = await queues.getQueueClient("always-fails-poison").peekMessages();
      assert.equal(poisoned.peekedMessageItems[0]?.messageText, text);
      assert.equal(await count("always-fails"), 0);
    });
    assert.deepEqual(seen, [1, 2, 3]);
  });

  test("a message that succeeds on its second try is deleted and never poisoned; JSON arrives decoded", async () => {
    const received: unknown[] = [];
    await run("flaky", async (message) => {
      received.push(message);
      if (received.length === 1) throw new Error("transient");
    }, async () => {
      await queues.getQueueClient("flaky").sendMessage(Buffer.from('{"docId":"x"}').toString("base64"));
      await waitFor(async () => received.length === 2 && (await count("flaky")) === 0, "the retry");
    });
    assert.deepEqual(received, [{ docId: "x" }, { docId: "x" }]);
    assert.equal(await count("flaky-poison"), 0);
  });

  test("like the host, it tops up at newBatchThreshold: at most batchSize + newBatchThreshold messages run at once, and a slow one does not hold up the rest", async () => {
    const queue = queues.getQueueClient("top-up");
    await queue.createIfNotExists();
    const messages = 12;
    for (let i = 0; i < messages; i++) await queue.sendMessage(Buffer.from(JSON.stringify({ i })).toString("base64"));
    let running = 0;
    let most = 0;
    const done: number[] = [];
    let releaseSlow: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    await run(
      "top-up",
      async (message) => {
        running++;
        most = Math.max(most, running);
        const { i } = message as { i: number };
        // Message 0 waits until every other message is done: a host that waits for the whole batch never gets there.
        if (i === 0) await slow;
        else await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        done.push(i);
        if (done.length === messages - 1) releaseSlow();
      },
      async () => {
        try {
          await waitFor(async () => done.length === messages, "every message", 5_000);
        } finally {
          releaseSlow(); // so that a host stuck on the batch can stop
        }
      },
      { batchSize: 3, newBatchThreshold: 2 },
    );
    assert.ok(most <= 5, `${most} ran at once`);
    assert.ok(most > 3, `${most} ran at once: it never topped up beyond one batch`);
    assert.equal(done.at(-1), 0);
  });

  test("it plays `instances` hosts: with host.json's one message at a time per instance, 3 instances run 3 at once, never more", async () => {
    const queue = queues.getQueueClient("instances");
    await queue.createIfNotExists();
    const messages = 12;
    for (let i = 0; i < messages; i++) await queue.sendMessage(Buffer.from(JSON.stringify({ i })).toString("base64"));
    let running = 0;
    let most = 0;
    let done = 0;
    await run(
      "instances",
      async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 50));
        running--;
        done++;
      },
      async () => {
        await waitFor(async () => done === messages, "every message", 5_000);
      },
      { batchSize: 1, newBatchThreshold: 0 },
      3,
    );
    assert.equal(most, 3, `${most} ran at once`);
  });

  test("messages fetched in reserve for the instances and never run are visible again as soon as the host stops", async () => {
    const queue = queues.getQueueClient("reserve");
    await queue.createIfNotExists();
    const messages = 12;
    for (let i = 0; i < messages; i++) await queue.sendMessage(Buffer.from(JSON.stringify({ i })).toString("base64"));
    let started = 0;
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    await run(
      "reserve",
      async () => {
        started++;
        await blocked;
      },
      async () => {
        await waitFor(async () => started === 3, "one message on each instance");
        release();
      },
      { batchSize: 1, newBatchThreshold: 0 },
      3,
    );
    // The host stopped after the running messages finished; the rest, reserve included, must be visible now, not in 10 minutes.
    const visible = (await queue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.length;
    assert.equal(visible + started, messages, `${visible} visible and ${started} run of ${messages}`);
  });
});
