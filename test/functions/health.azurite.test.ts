import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { readConfig } from "../../shared/config";
import { startAzurite, type EmbeddedAzurite } from "../../local/azurite";
import { startLocalRuntime, type LocalRuntime } from "../../local/localRuntime";

describe("GET /api/health against Azurite", () => {
  let azurite: EmbeddedAzurite;
  let runtime: LocalRuntime;
  let storageRequests = 0;
  before(async () => {
    azurite = await startAzurite({ onRequest: () => (storageRequests += 1) });
    runtime = await startLocalRuntime({
      config: readConfig({ AzureWebJobsStorage: azurite.connectionString }),
      port: 0,
      log: () => undefined,
      runQueueTriggers: false,
    });
  });
  after(async () => {
    await runtime.close();
    await azurite.close();
  });

  test("answers from a probe cached for a few seconds: anonymous callers cannot make it cost storage per request", async () => {
    storageRequests = 0;
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetch(`${runtime.url}/api/health`)));
    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), { status: "ok" });
    }
    for (let i = 0; i < 20; i++) assert.equal((await fetch(`${runtime.url}/api/health`)).status, 200);
    // One probe is two storage calls (the raw container and the ingest queue).
    assert.ok(storageRequests <= 2, `40 health requests made ${storageRequests} storage requests`);
  });
});
