import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { QueueServiceClient } from "@azure/storage-queue";
import { toHierarchyKey } from "../../shared/aggregation/hierarchyKey";
import { ingestQueueSettings, storageNames } from "../../shared/config";
import { encodeClaimCheck } from "../../shared/storage/claimCheck";
import type { PoisonedMessage } from "../../shared/storage/poisonQueue";
import { projectRoot } from "../../local/hostSettings";
import { post, QUERY_KEY, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { base64Sha256Of, makeUsageDocument } from "../support/usageDocuments";

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function query(t: TestRuntime, path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe("from submission to statistics through the local runtime", () => {
  let t: TestRuntime;
  let queues: QueueServiceClient;
  before(async () => {
    t = await startTestRuntime();
    queues = QueueServiceClient.fromConnectionString(t.azurite.connectionString);
  });
  after(async () => t.close());

  const poisoned = async (): Promise<PoisonedMessage[]> => {
    const peeked = await queues.getQueueClient(storageNames.poisonQueue).peekMessages({ numberOfMessages: 32 });
    return peeked.peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, "base64").toString("utf8")) as PoisonedMessage);
  };

  test("host.json and the code agree on maxDequeueCount", () => {
    const host = JSON.parse(readFileSync(join(projectRoot(), "host.json"), "utf8")) as { extensions: { queues: { maxDequeueCount: number } } };
    assert.equal(host.extensions.queues.maxDequeueCount, ingestQueueSettings.maxDequeueCount);
  });

  test("submitted documents are aggregated by the queue trigger and answered by the query routes", async () => {
    const a = base64Sha256Of("e2e a");
    const b = base64Sha256Of("e2e b");
    const docs = [
      makeUsageDocument({ hierarchyId: a, collectedAt: "2026-11-16T03:00:00.000Z", product: { version: "2403", build: "5.00.9128.1000", branch: "current" } }),
      makeUsageDocument({ hierarchyId: a, collectedAt: "2026-11-18T03:00:00.000Z" }), // replaces the first: 2409
      makeUsageDocument({ hierarchyId: b, collectedAt: "2026-11-17T03:00:00.000Z", level: "basic" }),
    ];
    for (const doc of docs) assert.equal((await post(t.url, submitPath(doc.docId), JSON.stringify(doc))).status, 202);
    const versions = await waitFor(async () => {
      const r = await query(t, "/api/v1/stats/versions?week=2026-W47");
      return r.json["hierarchies"] === 2 && (r.json["versions"] as unknown[]).length === 1 ? r.json : undefined;
    }, "the week's statistics");
    assert.deepEqual(versions, {
      week: "2026-W47",
      hierarchies: 2,
      clients: docs[1]!.clients.total + docs[2]!.clients.total,
      versions: [{ version: "2409", hierarchies: 2, clients: docs[1]!.clients.total + docs[2]!.clients.total }],
    });
    const weeks = await query(t, `/api/v1/hierarchies/${toHierarchyKey(a)}/weeks`);
    assert.equal(weeks.status, 200);
    assert.deepEqual((weeks.json["weeks"] as { docId: string }[]).map((w) => w.docId), [docs[1]!.docId]);
    assert.equal(weeks.json["hierarchyId"], a);
  });

  test("a claim check whose document is missing goes to the poison queue with the reason, at once", async () => {
    const message = { v: 1 as const, docType: "usage", docVersion: 1, docId: "5e0a6d3c-1b2a-4c3d-8e9f-0a1b2c3d4e5f", blobName: "usage/v1/5e0a6d3c-1b2a-4c3d-8e9f-0a1b2c3d4e5f.json", sha256: "0".repeat(64) };
    await queues.getQueueClient(storageNames.ingestQueue).sendMessage(encodeClaimCheck(message));
    await queues.getQueueClient(storageNames.ingestQueue).sendMessage(Buffer.from("not a claim check").toString("base64"));
    const entries = await waitFor(async () => {
      const found = await poisoned();
      return found.length >= 2 ? found : undefined;
    }, "two poison messages");
    const missing = entries.find((e) => /missing/.test(e.reason));
    assert.ok(missing, JSON.stringify(entries));
    assert.deepEqual(missing.message, message);
    assert.equal(missing.attempts, 1);
    const malformed = entries.find((e) => e.reason.startsWith("ClaimCheckFormatError"));
    assert.ok(malformed, JSON.stringify(entries));
    assert.equal(malformed.message, "not a claim check");
  });

  test("a message that keeps failing is tried maxDequeueCount times, then poisoned with the last error", async () => {
    const before = (await poisoned()).length;
    // Aggregation cannot work without its table: every attempt fails the same way.
    await t.runtime.services.weeklyStats.table.deleteTable();
    const doc = makeUsageDocument({ hierarchyId: base64Sha256Of("e2e poison") });
    assert.equal((await post(t.url, submitPath(doc.docId), JSON.stringify(doc))).status, 202);
    const entry = await waitFor(async () => {
      const found = await poisoned();
      return found.length > before ? found.at(-1) : undefined;
    }, "the poison message");
    assert.equal(entry.attempts, ingestQueueSettings.maxDequeueCount);
    assert.match(entry.reason, /TableNotFound|not exist|404/i);
    assert.equal((entry.message as { docId: string }).docId, doc.docId);
    const left = await queues.getQueueClient(storageNames.ingestQueue).getProperties();
    assert.equal(left.approximateMessagesCount, 0);
    assert.ok(t.logs.some((line) => line.includes('"status":"poisoned"')));
  });
});
