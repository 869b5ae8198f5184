import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { QueueServiceClient } from "@azure/storage-queue";
import { startChild } from "../../devkit/children";
import { startAzurite, type EmbeddedAzurite } from "../../local/azurite";
import { storageNames } from "../../shared/config";
import { encodeClaimCheck } from "../../shared/storage/claimCheck";
import { INGEST_KEY, post, QUERY_KEY, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";

/** A port that was free a moment ago (for a setting that names one). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("the local runtime answers a missing or wrong key as the Functions host does", () => {
  let t: TestRuntime;
  before(async () => (t = await startTestRuntime({}, { runQueueTriggers: false })));
  after(async () => t.close());

  for (const [what, headers] of [
    ["no key", {}],
    ["a wrong key", { "x-functions-key": "not-the-key" }],
    ["the other route's key", { "x-functions-key": QUERY_KEY }],
  ] as const) {
    test(`${what}: 401 with an empty body, no content type and no WWW-Authenticate`, async () => {
      const response = await fetch(`${t.url}${submitPath(randomUUID())}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });
      assert.equal(response.status, 401);
      assert.equal(await response.text(), "");
      assert.equal(response.headers.get("content-type"), null);
      assert.equal(response.headers.get("www-authenticate"), null);
    });
  }
});

describe("a function disabled by its AzureWebJobs.<name>.Disabled setting", () => {
  test("an HTTP function: its route answers 404, as if no function answered it, whatever the key; the others are served", async () => {
    const t = await startTestRuntime({ "AzureWebJobs.submitUsage.Disabled": "true" }, { runQueueTriggers: false });
    try {
      const submitted = await post(t.url, submitPath(randomUUID()), "{}");
      assert.equal(submitted.status, 404);
      const wrongKey = await post(t.url, submitPath(randomUUID()), "{}", { "x-functions-key": "wrong" });
      assert.equal(wrongKey.status, 404);
      const batch = await post(t.url, "/api/v1/batch", "", { "content-type": "application/x-ndjson" });
      assert.equal(batch.status, 200);
      assert.ok(t.logs.some((line) => line.includes("function submitUsage is disabled")));
    } finally {
      await t.close();
    }
  });

  test("a queue trigger, in its Linux spelling: it does not poll, so a queued message stays queued, never dequeued", async () => {
    const t = await startTestRuntime({ AzureWebJobs_aggregateUsage_Disabled: "1" });
    try {
      const queue = QueueServiceClient.fromConnectionString(t.azurite.connectionString).getQueueClient(storageNames.ingestQueue);
      await queue.sendMessage(encodeClaimCheck({ v: 1, docType: "usage", docVersion: 1, docId: randomUUID(), blobName: "missing.json", sha256: "none" }));
      // Several polling rounds (the test runtime backs off to 200 ms at most).
      for (let i = 0; i < 5; i++) {
        t.runtime.queueHost.wake();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const peeked = await queue.peekMessages();
      assert.equal(peeked.peekedMessageItems.length, 1);
      assert.equal(peeked.peekedMessageItems[0]?.dequeueCount, 0);
      assert.ok(!t.logs.some((line) => line.includes('"event":"aggregation"')));
    } finally {
      await t.close();
    }
  });
});

describe("npm start reads local.settings.json as Core Tools does", () => {
  let azurite: EmbeddedAzurite;
  let dir: string;
  before(async () => {
    azurite = await startAzurite();
    dir = mkdtempSync(join(tmpdir(), "local-settings-"));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await azurite.close();
  });

  test("Values fill in the environment, the environment wins, Host.LocalHttpPort is the port", async () => {
    const port = await freePort();
    const file = join(dir, "local.settings.json");
    const settings = {
      IsEncrypted: false,
      Values: { AzureWebJobsStorage: azurite.connectionString, INGEST_KEY: "ingest-key-from-file", QUERY_KEY: "query-key-from-file", "AzureWebJobs.aggregateUsage.Disabled": "true" },
      Host: { LocalHttpPort: port },
    };
    writeFileSync(file, JSON.stringify(settings));
    const child = await startChild("local/start.js", ["--local-settings", file], { INGEST_KEY }, /listening on (http:\/\/\S+)/);
    try {
      const url = child.match[1]!;
      assert.equal(new URL(url).port, String(port));
      // The environment's ingest key, not the file's.
      assert.equal((await post(url, submitPath(randomUUID()), "{}")).status, 400);
      assert.equal((await post(url, submitPath(randomUUID()), "{}", { "x-functions-key": "ingest-key-from-file" })).status, 401);
      // The file's query key, which the environment does not set.
      const stats = await fetch(`${url}/api/v1/stats/versions?week=2026-W47`, { headers: { "x-functions-key": "query-key-from-file" } });
      assert.equal(stats.status, 200);
    } finally {
      await child.stop();
    }
  });
});
