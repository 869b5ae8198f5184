import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTimeout as pause } from "node:timers/promises";
import { aggregateDocument } from "../../../shared/aggregation/aggregateDocument";
import { shardOf, toHierarchyKey } from "../../../shared/aggregation/hierarchyKey";
import { isoWeekOf, weeksBetween } from "../../../shared/isoWeek";
import { rebuildLockSettings, storageNames } from "../../../shared/config";
import { listWeekLocks, RebuildLeaseLostError, rebuildWeeks } from "../../../shared/operations/rebuildWeeks";
import type { RawArchive } from "../../../shared/storage/rawArchive";
import type { RebuildLock } from "../../../shared/aggregation/rebuildLock";
import { rowKeys, type WeeklyStatsTable } from "../../../shared/storage/weeklyStatsTable";
import type { UsageDocument } from "../../../shared/validation/usageDocument";
import { QueueServiceClient } from "@azure/storage-queue";
import { PublishRequester } from "../../../shared/publishing/publishRequester";
import { PublishQueue } from "../../../shared/storage/publishQueue";
import { decodePublishRequest } from "../../../shared/storage/publishRequest";
import { AggregationHarness, assertMatchesModel, lockTaken, plantLock, type Tables } from "../../support/aggregationHarness";
import { referenceModel } from "../../../scripts/simulator/referenceModel";
import { base64Sha256Of, makeUsageDocument, makeUsageV2Document } from "../../../devkit/usageDocuments";
import { BlobServiceClient } from "@azure/storage-blob";
import { putArchived, toArchived } from "../../../devkit/archivedDocument";

let harness: AggregationHarness;

/** The raw archive, each read taking `ms` longer: a rebuild that lasts long enough for its lock's heartbeat to beat. */
function slowArchive(ms: number): RawArchive {
  const slow = Object.create(harness.rawArchive) as RawArchive;
  slow.read = async (name) => {
    await pause(ms);
    return harness.rawArchive.read(name);
  };
  return slow;
}

/** Records every lock the table is given (taken or renewed), passing it on. */
function recordLocks(table: WeeklyStatsTable): RebuildLock[] {
  const written: RebuildLock[] = [];
  const createLock = table.createLock.bind(table);
  const replaceLock = table.replaceLock.bind(table);
  table.createLock = async (week, lock) => {
    written.push(lock);
    return createLock(week, lock);
  };
  table.replaceLock = async (week, lock, etag) => {
    written.push(lock);
    return replaceLock(week, lock, etag);
  };
  return written;
}

/** `count` documents of distinct hierarchies collected on `day`, archived; returns them. */
async function archivedDocs(label: string, day: string, count: number): Promise<UsageDocument[]> {
  const docs = Array.from({ length: count }, (_, i) => makeUsageDocument({ hierarchyId: base64Sha256Of(`${label} ${i}`), collectedAt: `${day}T03:00:00Z` }));
  await Promise.all(docs.map((doc) => harness.archive(doc)));
  return docs;
}

const deferredOrCounted = async (doc: UsageDocument, tables: Tables) => aggregateDocument(await harness.archive(doc), harness.deps(tables));

/** Documents over two weeks and four hierarchies, with a replacement and a tie on collectedAt. */
function scenario(label: string, year = 2026): UsageDocument[] {
  const h = [0, 1, 2, 3].map((i) => base64Sha256Of(`${label} ${i}`));
  // Mid-November Mondays fall in weeks 46 and 47 in both 2025 and 2026.
  return [
    makeUsageDocument({ hierarchyId: h[0]!, collectedAt: `${year}-11-17T03:00:00Z` }),
    makeUsageDocument({ hierarchyId: h[0]!, collectedAt: `${year}-11-19T03:00:00Z`, level: "full" }),
    makeUsageDocument({ hierarchyId: h[1]!, collectedAt: `${year}-11-18T03:00:00Z`, level: "basic" }),
    makeUsageDocument({ hierarchyId: h[1]!, collectedAt: `${year}-11-18T03:00:00Z`, level: "basic" }),
    makeUsageDocument({ hierarchyId: h[2]!, collectedAt: `${year}-11-10T03:00:00Z` }),
    makeUsageDocument({ hierarchyId: h[3]!, collectedAt: `${year}-11-11T03:00:00Z`, level: "full" }),
  ];
}

describe("npm run reaggregate (rebuildWeeks) against Azurite", () => {
  before(async () => {
    harness = await AggregationHarness.start();
  });
  after(async () => harness.close());

  test("weeksBetween walks ISO weeks across a year end", () => {
    assert.deepEqual(weeksBetween("2026-W52", "2027-W02"), ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]);
    assert.deepEqual(weeksBetween("2026-W47", "2026-W47"), ["2026-W47"]);
    assert.deepEqual(weeksBetween("2026-W48", "2026-W47"), []);
  });

  test("a rebuild repairs damaged statistics and gives the same tables as live aggregation", async () => {
    const docs = scenario("rebuild");
    const tables = await harness.freshTables();
    const deps = harness.deps(tables);
    const claims = await Promise.all(docs.map((d) => harness.archive(d)));
    for (const claim of claims) await aggregateDocument(claim, deps);
    const model = referenceModel(docs);
    await assertMatchesModel(tables, model);

    // Damage: a rollup row that lies, a snapshot of a document that is not in the archive,
    // and a history row pointing at the wrong document.
    // (A row that exists: of the shard of one of the week's hierarchies.)
    const inWeek = docs.find((d) => isoWeekOf(new Date(d.collectedAt)) === "2026-W47")!;
    const lyingShard = shardOf(toHierarchyKey(inWeek.hierarchyId));
    await tables.weeklyStats.table.updateEntity({ partitionKey: "2026-W47", rowKey: rowKeys.rollup(lyingShard), hierarchies: 999 }, "Merge");
    const stray = makeUsageDocument({ hierarchyId: base64Sha256Of("stray"), collectedAt: "2026-11-18T04:00:00Z" });
    await aggregateDocument(await harness.archive(stray), deps);
    await harness.rawArchive.remove(`usage/${stray.docId}.json`);
    const first = docs[0]!;
    await tables.hierarchyWeeks.table.updateEntity({ partitionKey: toHierarchyKey(first.hierarchyId), rowKey: "2026-W47", docId: "wrong" }, "Merge");

    const progress: string[] = [];
    const results = await rebuildWeeks("2026-W46", "2026-W47", deps, {}, (r) => progress.push(r.week));
    assert.deepEqual(progress, ["2026-W46", "2026-W47"]);
    assert.deepEqual(results.map((r) => [r.week, r.status, r.documents]), [["2026-W46", "rebuilt", 2], ["2026-W47", "rebuilt", 4]]);
    await assertMatchesModel(tables, model);
    assert.equal((await tables.hierarchyWeeks.list(toHierarchyKey(stray.hierarchyId))).length, 0, "the stray history row survived");
    const state = await tables.weeklyStats.readForUpdate("2026-W47", toHierarchyKey(first.hierarchyId), 0);
    assert.equal(state.lock, undefined, "the week was left locked");

    // Idempotent: a second run changes nothing.
    await rebuildWeeks("2026-W46", "2026-W47", deps);
    await assertMatchesModel(tables, model);
  });

  test("a rebuild into empty tables (a backfill) equals live aggregation", async () => {
    // 2025, so that no other test's documents share these weeks of the raw archive.
    const docs = scenario("backfill", 2025);
    const tables = await harness.freshTables();
    await Promise.all(docs.map((d) => harness.archive(d)));
    const results = await rebuildWeeks("2025-W46", "2025-W47", harness.deps(tables));
    assert.deepEqual(results.map((r) => [r.week, r.documents, r.snapshots, r.previousSnapshots]), [["2025-W46", 2, 2, 0], ["2025-W47", 4, 2, 0]]);
    await assertMatchesModel(tables, referenceModel(docs));
  });

  test("an archive of the old layout (usage/v<N>/<docId>.json) is still rebuilt; its docId re-sent is claimed anew under the new name and still counts once", async () => {
    // 2021, so that no other test's documents share the week of the raw archive.
    const v1 = makeUsageDocument({ hierarchyId: base64Sha256Of("old layout 1"), collectedAt: "2021-03-10T03:00:00Z" });
    const v2 = makeUsageV2Document({ hierarchyId: base64Sha256Of("old layout 2"), collectedAt: "2021-03-11T03:00:00Z" });
    const raw = BlobServiceClient.fromConnectionString(harness.azurite.connectionString).getContainerClient(storageNames.rawContainer);
    for (const doc of [v1, v2]) {
      // Written as RawArchive.put wrote them before the name lost its version: same bytes, metadata and tags.
      const { body, claim, week } = toArchived(doc);
      await raw.getBlockBlobClient(`usage/v${doc.schemaVersion}/${doc.docId}.json`).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: "*" },
        metadata: { sha256: claim.sha256, receivedat: "2021-03-12T00:00:00.000Z" },
        tags: { docType: "usage", docVersion: String(doc.schemaVersion), week, collectedDate: doc.collectedAt.slice(0, 10), hierarchyId: doc.hierarchyId },
      });
    }
    const tables = await harness.freshTables();
    const deps = harness.deps(tables);
    const [rebuilt] = await rebuildWeeks("2021-W10", "2021-W10", deps);
    assert.deepEqual([rebuilt?.status, rebuilt?.documents, rebuilt?.snapshots], ["rebuilt", 2, 2]);
    await assertMatchesModel(tables, referenceModel([v1, v2]));

    // The transition limit docs/raw-archive.md states: the new name is free, so the re-sent
    // docId is a new claim (a submission would be 202, not 200) ...
    const again = toArchived(v1);
    assert.equal(await putArchived(harness.rawArchive, again), true);
    // ... but its hierarchy's snapshot already names the docId: the week counts it once.
    assert.equal((await aggregateDocument(again.claim, deps)).status, "unchanged");
    const [second] = await rebuildWeeks("2021-W10", "2021-W10", deps);
    assert.deepEqual([second?.documents, second?.snapshots], [3, 2]);
    await assertMatchesModel(tables, referenceModel([v1, v2]));
  });

  test("live aggregation during a rebuild: deferred messages delivered afterwards end in the same tables as one pass", async () => {
    const tables = await harness.freshTables();
    const deps = harness.deps(tables);
    const hierarchies = Array.from({ length: 12 }, (_, i) => base64Sha256Of(`during rebuild ${i}`));
    const first = hierarchies.map((hierarchyId) => makeUsageDocument({ hierarchyId, collectedAt: "2024-05-14T03:00:00Z" }));
    for (const doc of first) await aggregateDocument(await harness.archive(doc), deps);
    // Later documents for half the hierarchies, and first ones for new hierarchies, arrive during the rebuild.
    const during = [
      ...hierarchies.slice(0, 6).map((hierarchyId) => makeUsageDocument({ hierarchyId, collectedAt: "2024-05-15T03:00:00Z" })),
      ...Array.from({ length: 6 }, (_, i) => makeUsageDocument({ hierarchyId: base64Sha256Of(`new during rebuild ${i}`), collectedAt: "2024-05-16T03:00:00Z" })),
    ];
    const claims = await Promise.all(during.map((doc) => harness.archive(doc)));
    const live = claims.map(async (claim, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 3));
      return { claim, status: (await aggregateDocument(claim, harness.deps(tables))).status };
    });
    const [rebuilt, ...outcomes] = await Promise.all([rebuildWeeks("2024-W20", "2024-W20", deps), ...live]);
    assert.equal(rebuilt[0]?.status, "rebuilt");
    // The queue would deliver the deferred messages again after their delay: do it now.
    for (const { claim, status } of outcomes) if (status === "deferred") await aggregateDocument(claim, harness.deps(tables));
    assert.ok(outcomes.some((o) => o.status === "deferred"), "no message met the lock: the test did not exercise deferral");
    await assertMatchesModel(tables, referenceModel([...first, ...during]));
  });

  test("a v2 snapshot whose raw document the listing does not show yet is rebuilt from the v2 blob its docId names", async () => {
    const tables = await harness.freshTables();
    const deps = harness.deps(tables);
    const hierarchyId = base64Sha256Of("rebuild v2");
    // 2024-W20: no other test's documents in this week of the raw archive.
    const v1 = makeUsageDocument({ hierarchyId, collectedAt: "2024-05-13T03:00:00Z" });
    const v2: UsageDocument = { ...makeUsageDocument({ hierarchyId, collectedAt: "2024-05-15T03:00:00Z" }), schemaVersion: 2, cloud: { cmgCount: 1, cmgRegions: ["westeurope"], tenantAttached: true } };
    for (const doc of [v1, v2]) await aggregateDocument(await harness.archive(doc), deps);
    const model = referenceModel([v1, v2]);
    await assertMatchesModel(tables, model);
    // The listing lags the writes (blob index tags): only the snapshot's docId leads to the document.
    const lagging = Object.create(harness.rawArchive) as RawArchive;
    lagging.listByWeek = async function* () {};
    // --force: a listing that shows nothing would otherwise skip the week.
    const results = await rebuildWeeks("2024-W20", "2024-W20", { ...deps, rawArchive: lagging }, { force: true });
    assert.deepEqual(results.map((r) => [r.status, r.documents, r.snapshots]), [["rebuilt", 1, 1]]);
    await assertMatchesModel(tables, model);
  });

  test("a week whose raw documents are gone is skipped unless --force; --dry-run changes nothing", async () => {
    const tables = await harness.freshTables();
    const deps = harness.deps(tables);
    const doc = makeUsageDocument({ collectedAt: "2024-03-06T03:00:00Z" }); // 2024-W10
    const claim = await harness.archive(doc);
    await aggregateDocument(claim, deps);
    await harness.rawArchive.remove(claim.blobName);

    const dry = await rebuildWeeks("2024-W10", "2024-W10", deps, { dryRun: true, force: true });
    assert.deepEqual(dry.map((r) => [r.status, r.documents, r.previousSnapshots]), [["dry-run", 0, 1]]);
    const skipped = await rebuildWeeks("2024-W10", "2024-W10", deps);
    assert.equal(skipped[0]?.status, "skipped-no-raw");
    assert.equal((await tables.weekStats.readRollup("2024-W10")).hierarchies, 1);
    const forced = await rebuildWeeks("2024-W10", "2024-W10", deps, { force: true });
    assert.equal(forced[0]?.status, "rebuilt");
    assert.equal((await tables.weekStats.readRollup("2024-W10")).hierarchies, 0);
    assert.equal((await tables.hierarchyWeeks.list(toHierarchyKey(doc.hierarchyId))).length, 0);
  });

  test("a rebuild renews its lock while it runs (a heartbeat), and removes it when done", async () => {
    const docs = await archivedDocs("heartbeat", "2023-03-08", 20); // 2023-W10
    const tables = await harness.freshTables();
    const written = recordLocks(tables.weeklyStats);
    const deps = { ...harness.deps(tables), rawArchive: slowArchive(20) };
    const [result] = await rebuildWeeks("2023-W10", "2023-W10", deps, { concurrency: 1, lockSettings: { leaseSeconds: 30, renewSeconds: 0.02, marginSeconds: 1 } });
    assert.equal(result?.status, "rebuilt");
    assert.ok(written.length >= 2, `the lock was written ${written.length} time(s): never renewed`);
    assert.deepEqual(new Set(written.map((l) => `${l.holder} ${l.since}`)).size, 1, "a renewal changed the holder or the time it was taken");
    const expiries = written.map((l) => Date.parse(l.expiresAt ?? ""));
    assert.ok(expiries.every((at, i) => i === 0 || at > expiries[i - 1]!), "a renewal did not move the expiry forward");
    assert.equal(await tables.weeklyStats.readLock("2023-W10"), undefined);
    const renewals = written.length;
    await pause(100);
    assert.equal(written.length, renewals, "the lock was written again after the rebuild");
    await assertMatchesModel(tables, referenceModel(docs));
  });

  test("a failed rebuild leaves a lock that expires: live messages wait until then, count after (with the lock reported), and running it again completes the week", async () => {
    const docs = await archivedDocs("failed rebuild", "2023-03-22", 4); // 2023-W12
    const tables = await harness.freshTables();
    for (const doc of docs) await deferredOrCounted(doc, tables);
    const written = recordLocks(tables.weeklyStats);
    let reads = 0;
    const faults = (point: string) => {
      if (point === "afterRead" && ++reads === 2) throw new Error("the rebuild dies");
    };
    const settings = { leaseSeconds: rebuildLockSettings.leaseSeconds, renewSeconds: 0.02, marginSeconds: 1 };
    await assert.rejects(rebuildWeeks("2023-W12", "2023-W12", { ...harness.deps(tables), faults }, { concurrency: 1, lockSettings: settings }), /the rebuild dies/);
    const lock = await tables.weeklyStats.readLock("2023-W12");
    assert.ok(lock !== undefined, "the lock is gone: live messages would count into a half-rebuilt week at once");
    assert.ok(Date.parse(lock.expiresAt ?? "") <= Date.now() + rebuildLockSettings.leaseSeconds * 1000, "the lock does not expire within a lease");
    const renewals = written.length;
    await pause(100);
    assert.equal(written.length, renewals, "a failed rebuild kept renewing its lock");

    const late = makeUsageDocument({ hierarchyId: base64Sha256Of("failed rebuild late"), collectedAt: "2023-03-23T03:00:00Z" });
    const deferred = await deferredOrCounted(late, tables);
    assert.equal(deferred.status, "deferred");
    assert.equal(deferred.lock?.expired, false);
    // A lease later (here: the same lock, taken an hour ago), the lock has expired: the document counts.
    await plantLock(tables.weeklyStats, "2023-W12", lockTaken(lock.holder, 3600));
    const counted = await deferredOrCounted(late, tables);
    assert.equal(counted.status, "counted");
    assert.equal(counted.lock?.expired, true);
    assert.equal(counted.lock.holder, lock.holder);
    assert.ok(counted.lock.ageSeconds >= 3600);

    const [again] = await rebuildWeeks("2023-W12", "2023-W12", harness.deps(tables));
    assert.equal(again?.status, "rebuilt");
    assert.equal(await tables.weeklyStats.readLock("2023-W12"), undefined);
    await assertMatchesModel(tables, referenceModel([...docs, late]));
  });

  test("a rebuild whose lock was not renewed in time stops before it clears what live aggregation may have counted", async () => {
    const docs = await archivedDocs("lapsed lease", "2023-04-05", 10); // 2023-W14
    const tables = await harness.freshTables();
    for (const doc of docs.slice(0, 5)) await deferredOrCounted(doc, tables);
    const deps = { ...harness.deps(tables), rawArchive: slowArchive(50) };
    // A lease of 0.3 s that is never renewed: it lapses a few documents in.
    const lapsing = { leaseSeconds: 0.3, renewSeconds: 3600, marginSeconds: 0 };
    await assert.rejects(rebuildWeeks("2023-W14", "2023-W14", deps, { concurrency: 1, lockSettings: lapsing }), RebuildLeaseLostError);
    const [again] = await rebuildWeeks("2023-W14", "2023-W14", harness.deps(tables));
    assert.equal(again?.status, "rebuilt");
    await assertMatchesModel(tables, referenceModel(docs));
  });

  test("--status: the weeks' locks with their age, expired ones marked; weeks without a lock are not listed", async () => {
    const tables = await harness.freshTables();
    await plantLock(tables.weeklyStats, "2023-W20", lockTaken("reaggregate@ops-1", 120));
    await plantLock(tables.weeklyStats, "2023-W22", lockTaken("reaggregate@ops-2", 7200));
    // Left by a rebuild before locks expired: no expiresAt, so it holds one lease from `since`.
    await plantLock(tables.weeklyStats, "2023-W23", { holder: "reaggregate@old", since: new Date(Date.now() - 3600_000).toISOString(), expiresAt: undefined });
    const locks = await listWeekLocks(weeksBetween("2023-W19", "2023-W23"), { weeklyStats: tables.weeklyStats });
    assert.deepEqual(
      locks.map((l) => [l.week, l.holder, l.expired]),
      [["2023-W20", "reaggregate@ops-1", false], ["2023-W22", "reaggregate@ops-2", true], ["2023-W23", "reaggregate@old", true]],
    );
    assert.ok(locks[0]!.ageSeconds >= 120 && locks[1]!.ageSeconds >= 7200 && locks[2]!.ageSeconds >= 3600);
    assert.equal(Date.parse(locks[2]!.expiresAt) - Date.parse(locks[2]!.since), rebuildLockSettings.leaseSeconds * 1000);
  });

  test("rebuild --force of a week whose raw documents are all gone requests the week's publication, so its published rows are recomputed", async () => {
    const tables = await harness.freshTables();
    const doc = makeUsageDocument({ collectedAt: "2022-03-09T03:00:00Z" }); // 2022-W10
    const claim = await harness.archive(doc);
    await aggregateDocument(claim, harness.deps(tables));
    await harness.rawArchive.remove(claim.blobName);
    const queue = QueueServiceClient.fromConnectionString(harness.azurite.connectionString).getQueueClient("publish-empty-week");
    await queue.createIfNotExists();
    const weekChanges = new PublishRequester(new PublishQueue(queue), { delaySeconds: 0 });

    const [forced] = await rebuildWeeks("2022-W10", "2022-W10", { ...harness.deps(tables), weekChanges }, { force: true });
    assert.equal(forced?.status, "rebuilt");
    assert.equal((await tables.weekStats.readRollup("2022-W10")).hierarchies, 0);
    const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
    const weeks = peekedMessageItems.map((m) => decodePublishRequest(Buffer.from(m.messageText, "base64").toString("utf8")).week);
    assert.deepEqual(weeks, ["2022-W10"], "the emptied week was not queued for publishing");
  });

  test("a second rebuild of a week while the first runs is refused with a message naming the holder; the first is unaffected", async () => {
    const docs = await archivedDocs("concurrent rebuilds", "2022-03-16", 12); // 2022-W11
    const tables = await harness.freshTables();
    const slow = { ...harness.deps(tables), rawArchive: slowArchive(30) };
    const first = rebuildWeeks("2022-W11", "2022-W11", slow, { concurrency: 1, holder: "reaggregate@first" });
    for (let i = 0; i < 100 && (await tables.weeklyStats.readLock("2022-W11")) === undefined; i++) await pause(20);
    await assert.rejects(rebuildWeeks("2022-W11", "2022-W11", harness.deps(tables), { holder: "reaggregate@second" }), /being rebuilt by reaggregate@first#[0-9a-f]+/);
    // What --status shows: the run that owns the lock.
    const [standing] = await listWeekLocks(["2022-W11"], { weeklyStats: tables.weeklyStats });
    assert.match(standing?.holder ?? "", /^reaggregate@first#[0-9a-f]{8}$/);
    const [result] = await first;
    assert.equal(result?.status, "rebuilt");
    assert.equal(await tables.weeklyStats.readLock("2022-W11"), undefined);
    await assertMatchesModel(tables, referenceModel(docs));
  });

  test("a lock is renewed and released only with its owner's ETag: a stale owner cannot delete or renew the lock that took over", async () => {
    const tables = await harness.freshTables();
    const store = tables.weeklyStats;
    const taken = await store.createLock("2022-W12", lockTaken("reaggregate@a#1", 7200));
    assert.equal(taken.outcome, "taken");
    const again = await store.createLock("2022-W12", lockTaken("reaggregate@b#2"));
    assert.equal(again.outcome, "held", "a second create overwrote the lock");
    assert.equal(again.lock.value.holder, "reaggregate@a#1");
    // b takes the expired lock over with the ETag it read; a, still holding the old ETag, has lost it.
    const etagB = await store.replaceLock("2022-W12", lockTaken("reaggregate@b#2"), again.lock.etag);
    assert.ok(etagB !== undefined);
    assert.equal(await store.replaceLock("2022-W12", lockTaken("reaggregate@a#1"), taken.etag), undefined);
    assert.equal(await store.deleteLock("2022-W12", taken.etag), false);
    assert.equal((await store.readLock("2022-W12"))?.holder, "reaggregate@b#2", "a non-owner deleted or changed the lock");
    assert.equal(await store.deleteLock("2022-W12", etagB), true);
    assert.equal(await store.readLock("2022-W12"), undefined);
  });
});
