import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { QueueClient } from "@azure/storage-queue";
import { storageNames } from "../../../shared/config";
import { ensureStorage } from "../../../shared/storage/ensureStorage";
import { IngestQueue } from "../../../shared/storage/ingestQueue";
import { createStorageClients } from "../../../shared/storage/storageClients";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";
import { post, startTestRuntime, submitPath, type TestRuntime } from "../../support/testRuntime";
import { makeUsageDocument } from "../../../devkit/usageDocuments";

// A queue message's default time-to-live is 7 days: a claim check older than that would be
// dropped by the queue, and its accepted document would never count.
const YEAR_MS = 365 * 24 * 3600 * 1000;

async function peekExpiries(connectionString: string): Promise<Date[]> {
  const queue = new QueueClient(connectionString, storageNames.ingestQueue);
  const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
  return peekedMessageItems.map((m) => m.expiresOn);
}

describe("claim checks never expire (Azurite)", () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime({}, { runQueueTriggers: false });
  });
  after(async () => t.close());

  test("the claim check of a submitted document is queued without expiry", async () => {
    const doc = { ...makeUsageDocument(), docId: randomUUID() };
    assert.equal((await post(t.url, submitPath(doc.docId), JSON.stringify(doc))).status, 202);
    const expiries = await peekExpiries(t.azurite.connectionString);
    assert.equal(expiries.length, 1);
    assert.ok(expiries[0]!.getTime() - Date.now() > 100 * YEAR_MS, `expires ${expiries[0]!.toISOString()}`);
  });
});

describe("IngestQueue.send (Azurite)", () => {
  let azurite: EmbeddedAzurite;
  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => azurite.close());

  test("a delayed claim check (a week being rebuilt) never expires either", async () => {
    const clients = createStorageClients({ kind: "connectionString", connectionString: azurite.connectionString });
    await ensureStorage(clients);
    const queue = new IngestQueue(clients.queueService.getQueueClient(storageNames.ingestQueue));
    const docId = randomUUID();
    await queue.send({ v: 1, docType: "usage", docVersion: 1, docId, blobName: `usage/v1/${docId}.json`, sha256: "ab".repeat(32) }, 1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const expiries = await peekExpiries(azurite.connectionString);
    assert.equal(expiries.length, 1);
    assert.ok(expiries[0]!.getTime() - Date.now() > 100 * YEAR_MS, `expires ${expiries[0]!.toISOString()}`);
  });
});
