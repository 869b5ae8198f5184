import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { storageNames } from "../../../shared/config";
import { ensureStorage } from "../../../shared/storage/ensureStorage";
import { PublishQueue } from "../../../shared/storage/publishQueue";
import { decodePublishRequest } from "../../../shared/storage/publishRequest";
import { createStorageClients } from "../../../shared/storage/storageClients";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";

const YEAR_MS = 365 * 24 * 3600 * 1000;

describe("PublishQueue.send (Azurite)", () => {
  let azurite: EmbeddedAzurite;
  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => azurite.close());

  test("a request is hidden for its delay and never expires", async () => {
    const clients = createStorageClients({ kind: "connectionString", connectionString: azurite.connectionString });
    await ensureStorage(clients);
    const queueClient = clients.queueService.getQueueClient(storageNames.publishQueue);
    await new PublishQueue(queueClient).send("2026-W10", 60);
    assert.equal((await queueClient.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.length, 0, "hidden during its delay");
    const { approximateMessagesCount } = await queueClient.getProperties();
    assert.equal(approximateMessagesCount, 1);
    await new PublishQueue(queueClient).send("2026-W11", 0);
    const [visible] = (await queueClient.peekMessages({ numberOfMessages: 32 })).peekedMessageItems;
    assert.ok(visible !== undefined);
    assert.deepEqual(decodePublishRequest(Buffer.from(visible.messageText, "base64").toString("utf8")), { v: 1, week: "2026-W11" });
    assert.ok(visible.expiresOn.getTime() - Date.now() > 100 * YEAR_MS, `expires ${visible.expiresOn.toISOString()}`);
  });
});
