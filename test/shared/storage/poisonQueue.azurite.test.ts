import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { QueueServiceClient } from "@azure/storage-queue";
import { PoisonQueue } from "../../../shared/storage/poisonQueue";
import { isStorageError } from "../../../shared/storage/storageErrors";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";

describe("PoisonQueue: a lost hold is `false`, a missing queue an error (Azurite)", () => {
  let azurite: EmbeddedAzurite;
  let queues: QueueServiceClient;
  before(async () => {
    azurite = await startAzurite();
    queues = QueueServiceClient.fromConnectionString(azurite.connectionString);
  });
  after(async () => azurite.close());

  test("a stale pop receipt (400 PopReceiptMismatch) and a deleted message (404 MessageNotFound) are lost holds", async () => {
    const client = queues.getQueueClient("poison-holds");
    await client.create();
    const poison = new PoisonQueue(client);
    await poison.send({ reason: "r", attempts: 1, message: "m" });
    const [first] = await poison.receive(1, 30);
    assert.ok(first);
    assert.equal(await poison.release(first), true);
    const [again] = await poison.receive(1, 30);
    assert.ok(again);
    assert.equal(await poison.delete(first), false, "the first pop receipt is stale");
    assert.equal(await poison.release(first), false, "the first pop receipt is stale");
    assert.equal(await poison.delete(again), true);
    assert.equal(await poison.delete(again), false, "already deleted");
    assert.equal(await poison.release(again), false, "already deleted");
  });

  test("a missing queue is not a lost hold", async () => {
    const poison = new PoisonQueue(queues.getQueueClient("poison-absent"));
    const message = { messageId: "00000000-0000-0000-0000-000000000000", popReceipt: "AAAAAAAAAAA=" };
    await assert.rejects(poison.delete(message), (error) => isStorageError(error, 404, "QueueNotFound"));
    await assert.rejects(poison.release(message), (error) => isStorageError(error, 404, "QueueNotFound"));
  });
});
