import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { QueueServiceClient } from "@azure/storage-queue";
import { toHierarchyKey } from "../../shared/aggregation/hierarchyKey";
import { OTHER_NAME } from "../../shared/aggregation/weekRollup";
import { ingestQueueSettings, storageNames } from "../../shared/config";
import type { IsoWeek } from "../../shared/isoWeek";
import { rebuildWeeks } from "../../shared/operations/rebuildWeeks";
import type { Services } from "../../shared/services";
import { encodeClaimCheck } from "../../shared/storage/claimCheck";
import type { PoisonedMessage } from "../../shared/storage/poisonedMessage";
import { checkEntity, entitySize } from "../../shared/storage/tableLimits";
import type { UsageV1 } from "../../shared/validation/usageV1";
import { projectRoot } from "../../local/hostSettings";
import { lockTaken, plantLock, sameShardHierarchies } from "../support/aggregationHarness";
import { post, QUERY_KEY, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { base64Sha256Of, makeUsageDocument, makeWorstCaseUsageDocument, splitTotal } from "../../devkit/usageDocuments";
import { waitFor } from "../support/waitFor";

async function query(t: TestRuntime, path: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A test runtime, and a client for its queues. */
async function startWithQueues(): Promise<{ t: TestRuntime; queues: QueueServiceClient }> {
  const t = await startTestRuntime();
  return { t, queues: QueueServiceClient.fromConnectionString(t.azurite.connectionString) };
}

async function poisonedIn(queues: QueueServiceClient): Promise<PoisonedMessage[]> {
  const peeked = await queues.getQueueClient(storageNames.poisonQueue).peekMessages({ numberOfMessages: 32 });
  return peeked.peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, "base64").toString("utf8")) as PoisonedMessage);
}

describe("from submission to statistics through the local runtime", () => {
  let t: TestRuntime;
  let queues: QueueServiceClient;
  before(async () => ({ t, queues } = await startWithQueues()));
  after(async () => t.close());

  const poisoned = () => poisonedIn(queues);

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

/** Measures every row of the week (and the hierarchies' history rows) with the guard; returns the largest size. */
async function largestRowWithinLimits(services: Services, week: IsoWeek, hierarchyIds: readonly string[]): Promise<number> {
  const rows: Record<string, unknown>[] = [];
  for await (const e of services.weeklyStats.table.listEntities({ queryOptions: { filter: `PartitionKey eq '${week}'` } })) rows.push(e);
  for (const id of hierarchyIds) rows.push(await services.hierarchyWeeks.table.getEntity(toHierarchyKey(id), week));
  for (const row of rows) assert.doesNotThrow(() => checkEntity(row), `row ${String(row["rowKey"])} is ${entitySize(row)} bytes`);
  return Math.max(...rows.map(entitySize));
}

describe("the aggregation trigger at its limits: the worst week the schema allows, and rebuild locks", () => {
  let t: TestRuntime;
  let queues: QueueServiceClient;
  before(async () => ({ t, queues } = await startWithQueues()));
  after(async () => t.close());

  /** Waits until `expected` hierarchies are counted or some messages were poisoned instead; returns the poisoned ones. */
  const settle = async (expected: number): Promise<PoisonedMessage[]> =>
    waitFor(async () => {
      const [versions, poison] = await Promise.all([query(t, "/api/v1/stats/versions?week=2026-W47"), poisonedIn(queues)]);
      return (versions.json["hierarchies"] as number) + poison.length >= expected ? poison : undefined;
    }, `${expected} hierarchies counted or poisoned`, 120_000);

  const assertTotals = async (docs: readonly UsageV1[]) => {
    const clients = docs.reduce((sum, d) => sum + d.clients.total, 0);
    const versions = await query(t, "/api/v1/stats/versions?week=2026-W47");
    assert.equal(versions.json["hierarchies"], docs.length);
    assert.equal(versions.json["clients"], clients);
    const os = (await query(t, "/api/v1/stats/os?week=2026-W47")).json as { clients: number; os: { name: string; clients: number }[] };
    assert.equal(os.clients, clients);
    assert.equal(os.os.reduce((sum, o) => sum + o.clients, 0), clients, "the OS counts do not add up to the clients");
    assert.ok(os.os.some((o) => o.name === OTHER_NAME), "nothing was folded: the test did not fill the row");
    const features = (await query(t, "/api/v1/stats/features?week=2026-W47")).json as { hierarchies: number; features: { enabledHierarchies: number; uses: number }[] };
    const named = docs.flatMap((d) => Object.values(d.features ?? {}));
    assert.equal(features.hierarchies, docs.length);
    assert.equal(features.features.reduce((sum, f) => sum + f.enabledHierarchies, 0), named.filter((f) => f.enabled).length);
    assert.equal(features.features.reduce((sum, f) => sum + f.uses, 0), named.reduce((sum, f) => sum + (f.uses ?? 0), 0));
  };

  test("fills one shard's rows to their bound; ordinary documents with new names still all count, none is poisoned, no row passes Azure's limits, and a rebuild succeeds", async () => {
    const week: IsoWeek = "2026-W47";
    const hierarchies = sameShardHierarchies(8, "worst case");
    const worst = hierarchies.slice(0, 3).map((hierarchyId, i) => makeWorstCaseUsageDocument(i, { hierarchyId, collectedAt: "2026-11-17T03:00:00.000Z" }));
    const ordinary = hierarchies.slice(3).map((hierarchyId, i) => {
      const doc = makeUsageDocument({ hierarchyId });
      const names = Array.from({ length: 6 }, (_, j) => `New OS ${i}.${j}`);
      const byOs = Object.fromEntries(names.map((name, j) => [name, splitTotal(doc.clients.total, names.length)[j]!]));
      return { ...doc, clients: { ...doc.clients, byOs }, features: { ...doc.features, [`newFeature${i}`]: { enabled: true, uses: 7 } } };
    });

    for (const doc of worst) assert.equal((await post(t.url, submitPath(doc.docId), JSON.stringify(doc))).status, 202);
    assert.deepEqual(await settle(worst.length), [], "worst-case documents went to the poison queue");
    for (const doc of ordinary) assert.equal((await post(t.url, submitPath(doc.docId), JSON.stringify(doc))).status, 202);
    assert.deepEqual(await settle(worst.length + ordinary.length), [], "documents went to the poison queue");

    const all = [...worst, ...ordinary];
    await assertTotals(all);
    const largest = await largestRowWithinLimits(t.runtime.services, week, hierarchies);
    assert.ok(largest > 768 * 1024, `the largest row is only ${largest} bytes: the test did not fill it`);

    const [rebuilt] = await rebuildWeeks(week, week, t.runtime.services);
    assert.equal(rebuilt?.status, "rebuilt");
    assert.equal(rebuilt.snapshots, all.length);
    await assertTotals(all);
    await largestRowWithinLimits(t.runtime.services, week, hierarchies);
    assert.deepEqual(await poisonedIn(queues), []);
  });

  test("a message deferred by a rebuild lock logs its week and the lock's age; an expired lock is a warning, and the document counts", async () => {
    const locked = makeUsageDocument({ hierarchyId: base64Sha256Of("e2e locked"), collectedAt: "2026-10-07T03:00:00.000Z" }); // 2026-W41
    const expired = makeUsageDocument({ hierarchyId: base64Sha256Of("e2e expired"), collectedAt: "2026-10-14T03:00:00.000Z" }); // 2026-W42
    await plantLock(t.runtime.services.weeklyStats, "2026-W41", lockTaken("reaggregate@ops", 120));
    await plantLock(t.runtime.services.weeklyStats, "2026-W42", lockTaken("reaggregate@gone", 7200));
    for (const doc of [locked, expired]) assert.equal((await post(t.url, submitPath(doc.docId), JSON.stringify(doc))).status, 202);
    const logged = (level: string, match: (entry: Record<string, unknown>) => boolean) =>
      waitFor(async () => {
        for (const line of t.logs) {
          if (!line.startsWith(`[${level}] {`)) continue;
          const entry = JSON.parse(line.slice(level.length + 3)) as Record<string, unknown>;
          if (match(entry)) return entry;
        }
        return undefined;
      }, `a ${level} log line`);
    const deferred = await logged("information", (e) => e["event"] === "aggregation" && e["status"] === "deferred" && e["docId"] === locked.docId);
    assert.equal(deferred["week"], "2026-W41");
    assert.ok(Number.isInteger(deferred["lockAgeSeconds"]) && (deferred["lockAgeSeconds"] as number) >= 120, JSON.stringify(deferred));
    const warning = await logged("warning", (e) => e["event"] === "rebuildLock");
    assert.deepEqual({ ...warning, lockAgeSeconds: undefined }, { event: "rebuildLock", status: "expired", week: "2026-W42", holder: "reaggregate@gone", lockAgeSeconds: undefined });
    assert.ok((warning["lockAgeSeconds"] as number) >= 7200);
    const versions = await waitFor(async () => {
      const r = await query(t, "/api/v1/stats/versions?week=2026-W42");
      return r.json["hierarchies"] === 1 ? r.json : undefined;
    }, "the document behind the expired lock counted");
    assert.equal(versions["clients"], expired.clients.total);
  });
});
