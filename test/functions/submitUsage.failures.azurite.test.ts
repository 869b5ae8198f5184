import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { storageNames } from "../../shared/config";
import { submitDocument } from "../../shared/ingestion/submitDocument";
import { IngestQueue } from "../../shared/storage/ingestQueue";
import { peekQueue } from "../support/storageScan";
import { post, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { freshDocument } from "../support/freshDocument";
import { base64Sha256Of } from "../../devkit/usageDocuments";

function submit(doc: Record<string, unknown>) {
  return post(t.url, submitPath(String(doc["docId"])), JSON.stringify(doc));
}

let t: TestRuntime;

describe("submission failure paths against Azurite", () => {
  before(async () => {
    t = await startTestRuntime({ RATE_LIMIT_PER_HOUR: "3" }, { runQueueTriggers: false });
  });
  after(async () => t.close());

  test("a first attempt that died after storing but before queuing is queued by the retry (200 duplicate)", async () => {
    const doc = freshDocument({ hierarchyId: base64Sha256Of("retry") });
    const services = t.runtime.services;
    // The first attempt's queue write fails for real: the queue it names does not exist.
    const missingQueue = new IngestQueue(services.clients.queueService.getQueueClient("queue-that-does-not-exist"));
    await assert.rejects(
      submitDocument({ docType: "usage", docVersion: "1", docId: String(doc["docId"]), document: doc }, { ...services, ingestQueue: missingQueue }),
    );
    const queuedBefore = await peekQueue(t.azurite.connectionString, storageNames.ingestQueue);
    assert.ok(!queuedBefore.some((m) => (m as { docId: string }).docId === doc["docId"]));

    const retry = await post(t.url, submitPath(String(doc["docId"])), JSON.stringify(doc));
    assert.equal(retry.status, 200);
    assert.equal(retry.json["status"], "duplicate");
    const queuedAfter = await peekQueue(t.azurite.connectionString, storageNames.ingestQueue);
    assert.equal(queuedAfter.filter((m) => (m as { docId: string }).docId === doc["docId"]).length, 1);
  });

  test("over RATE_LIMIT_PER_HOUR for one hierarchy is a 429 with Retry-After; other hierarchies go on", async () => {
    const hierarchyId = base64Sha256Of("ratelimited");
    for (let i = 0; i < 3; i++) {
      const response = await submit(freshDocument({ hierarchyId }));
      assert.equal(response.status, 202, `submission ${i + 1}`);
    }
    const limited = await submit(freshDocument({ hierarchyId }));
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    assert.ok(retryAfter > 0 && retryAfter <= 3600, `Retry-After ${retryAfter}`);
    const other = await submit(freshDocument({ hierarchyId: base64Sha256Of("other") }));
    assert.equal(other.status, 202);
  });

  test("with storage gone, submissions and health answer 503 with Retry-After", async () => {
    await t.azurite.close();
    const response = await submit(freshDocument({ hierarchyId: base64Sha256Of("outage") }));
    assert.equal(response.status, 503);
    assert.ok(Number(response.headers.get("retry-after")) > 0);
    assert.equal(response.headers.get("content-type"), "application/problem+json");
    const health = await fetch(`${t.url}/api/health`);
    assert.equal(health.status, 503);
    const counts = t.runtime.services.telemetry.outcomeCounts();
    assert.equal(counts.unavailable, 1);
  });
});
