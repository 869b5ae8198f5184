import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { QueueServiceClient } from "@azure/storage-queue";
import { aggregateDocument, type AggregationDeps, type FaultPoint } from "../../../shared/aggregation/aggregateDocument";
import { toHierarchyKey } from "../../../shared/aggregation/hierarchyKey";
import { OTHER_NAME } from "../../../shared/aggregation/weekRollup";
import { isoWeekOf, type IsoWeek } from "../../../shared/isoWeek";
import { rowKeys } from "../../../shared/storage/weeklyStatsTable";
import type { ClaimCheck } from "../../../shared/storage/claimCheck";
import type { UsageDocument } from "../../../shared/validation/usageDocument";
import { AggregationHarness, assertMatchesModel, lockTaken, plantLock, sameShardHierarchies, type Tables } from "../../support/aggregationHarness";
import { referenceModel } from "../../../scripts/simulator/referenceModel";
import { seededRandom } from "../../../scripts/simulator/seededRandom";
import { osOf, versionsOf } from "../../support/rollupViews";
import { arbitraryEscapedName, arbitraryUsageDocument, arbitraryUsageV2Document, base64Sha256Of, makeDimensionDocuments, makeUsageDocument, withOsNames } from "../../../devkit/usageDocuments";

let harness: AggregationHarness;
const archive = (doc: UsageDocument) => harness.archive(doc);
const freshTables = () => harness.freshTables();

class Crash extends Error {}

/**
 * Delivers claims the way a queue does: in the given order, each at least once, to
 * `workers` concurrent workers; a worker "crashes" (throws at a fault point) with
 * probability `crashRate`, and then the message is delivered again and the worker starts
 * afresh (a new process: its week-index cache is empty).
 */
async function deliver(claims: ClaimCheck[], tables: Tables, workers: number, crashRate: number, random: () => number): Promise<number> {
  const pending = [...claims];
  let crashes = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      let deps: AggregationDeps = harness.deps(tables);
      const faults = (point: FaultPoint) => {
        if (random() < crashRate) throw new Crash(point);
      };
      for (let claim = pending.shift(); claim !== undefined; claim = pending.shift()) {
        try {
          await aggregateDocument(claim, { ...deps, faults });
        } catch (error) {
          if (!(error instanceof Crash)) throw error;
          crashes += 1;
          pending.push(claim);
          deps = harness.deps(tables);
        }
      }
    }),
  );
  return crashes;
}

describe("aggregation against Azurite", () => {
  before(async () => {
    harness = await AggregationHarness.start();
  });
  after(async () => harness.close());

  test("property: duplicates, any order, concurrent workers and crashes at any step end in the reference model's statistics, every dimension included", async () => {
    // Three hierarchies of one rollup shard, so that workers race on its row, not only on snapshots.
    const hierarchies = sameShardHierarchies(3);
    // Two adjacent weeks and one a year and a half earlier (a late offline upload).
    const weekStarts = [Date.parse("2026-11-16T00:00:00Z"), Date.parse("2026-11-09T00:00:00Z"), Date.parse("2025-03-03T00:00:00Z")];
    const arbitraryDelivery = fc.record({
      docs: fc.array(
        fc.record({
          // Random documents of both versions mixed (so a hierarchy's week may move from v1 to v2 or
          // back), and those made to exercise every dimension (absent fields, each level, `__proto__`).
          doc: fc.oneof(arbitraryUsageDocument, arbitraryUsageV2Document, fc.constantFrom(...makeDimensionDocuments().map((d) => d.document))),
          hierarchy: fc.integer({ min: 0, max: 2 }),
          week: fc.integer({ min: 0, max: 2 }),
          // Few distinct instants, so that ties (decided by docId) happen.
          slot: fc.constantFrom(0, 1, 1, 2, 3),
          fraction: fc.constantFrom("", ".5", ".1234567"),
          // Sometimes OS names at their costliest: 128 characters that each escape to six.
          escapedOs: fc.oneof(
            { weight: 3, arbitrary: fc.constant(undefined) },
            { weight: 1, arbitrary: fc.uniqueArray(arbitraryEscapedName, { minLength: 1, maxLength: 3 }) },
          ),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 8, maxLength: 8 }),
      seed: fc.integer(),
      workers: fc.integer({ min: 1, max: 4 }),
      crashRate: fc.constantFrom(0, 0.1, 0.3),
    });
    let totalCrashes = 0;
    await fc.assert(
      fc.asyncProperty(arbitraryDelivery, async ({ docs, copies, seed, workers, crashRate }) => {
        // Seeded from the fast-check run, so that a failing run replays exactly.
        const stream = seededRandom(seed, "deliveries");
        const random = () => stream.next();
        const documents = docs.map(({ doc, hierarchy, week, slot, fraction, escapedOs }) => {
          const at = new Date(weekStarts[week]! + slot * 36 * 3_600_000).toISOString().slice(0, 19);
          const named = escapedOs === undefined ? doc : withOsNames(doc, escapedOs);
          return { ...named, docId: randomUUID(), hierarchyId: hierarchies[hierarchy]!, collectedAt: `${at}${fraction}Z` };
        });
        const claims = await Promise.all(documents.map(archive));
        const deliveries = claims.flatMap((claim, i) => Array.from({ length: copies[i] ?? 1 }, () => claim));
        for (let i = deliveries.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
        }
        const tables = await freshTables();
        totalCrashes += await deliver(deliveries, tables, workers, crashRate, random);
        await assertMatchesModel(tables, referenceModel(documents));
      }),
      { numRuns: 25 },
    );
    assert.ok(totalCrashes > 0, "no crash was ever injected: the property did not test redelivery");
  });

  test("the week change listener hears of a week before the commit that changes it, never for an unchanged document, and during a rebuild too", async () => {
    const tables = await freshTables();
    const heard: [string, number][] = [];
    const weekChanges = {
      // What the week held when told: the commit must not have happened yet.
      weekChanging: async (week: string) => void heard.push([week, (await tables.weekStats.readRollup(week as IsoWeek)).hierarchies]),
    };
    const doc = makeUsageDocument();
    const week = isoWeekOf(new Date(doc.collectedAt));
    const claim = await archive(doc);
    assert.equal((await aggregateDocument(claim, { ...harness.deps(tables), weekChanges })).status, "counted");
    assert.deepEqual(heard, [[week, 0]]);
    assert.equal((await aggregateDocument(claim, { ...harness.deps(tables), weekChanges })).status, "unchanged");
    assert.deepEqual(heard, [[week, 0]], "an unchanged document changed nothing, so nobody is told");
    const later = await archive({ ...doc, docId: randomUUID(), collectedAt: "2026-11-19T03:00:00Z" });
    await plantLock(tables.weeklyStats, week, lockTaken("test"));
    assert.equal((await aggregateDocument(later, { ...harness.deps(tables), weekChanges }, { ignoreRebuildLock: true })).status, "counted");
    assert.deepEqual(heard, [[week, 0], [week, 1]]);
  });

  test("twenty hierarchies of one shard aggregated at once are all counted (no lost update on the shared rollup row)", async () => {
    const tables = await freshTables();
    const docs = sameShardHierarchies(20).map((hierarchyId) => makeUsageDocument({ hierarchyId }));
    const claims = await Promise.all(docs.map(archive));
    const results = await Promise.all(claims.map((claim) => aggregateDocument(claim, harness.deps(tables))));
    assert.deepEqual(new Set(results.map((r) => r.status)), new Set(["counted"]));
    const rollup = await tables.weekStats.readRollup(isoWeekOf(new Date(docs[0]!.collectedAt)));
    assert.equal(rollup.hierarchies, 20);
    assert.equal(rollup.clients, docs.reduce((sum, d) => sum + d.clients.total, 0));
  });

  test("made-up OS names cannot grow a week's rollup row past the 1 MiB entity limit; totals stay exact", async () => {
    const tables = await freshTables();
    const hierarchies = sameShardHierarchies(12);
    const docs = hierarchies.map((hierarchyId, i) => {
      const byOs = Object.fromEntries(Array.from({ length: 500 }, (_, j) => [`${i}-${j} `.padEnd(128, "x"), 2]));
      return makeUsageDocument({ hierarchyId, clients: { total: 1000, byClientBuild: { "5.00.9132.1000": 1000 }, byOs } });
    });
    for (const doc of docs) await aggregateDocument(await archive(doc), harness.deps(tables));
    const week = isoWeekOf(new Date(docs[0]!.collectedAt));
    const entity = await tables.weeklyStats.table.getEntity(week, rowKeys.rollup(0));
    // Azure's accounting: strings are UTF-16 (2 bytes a character) plus per-property overhead.
    const size = Object.entries(entity).reduce((sum, [name, value]) => sum + 8 + name.length * 2 + (typeof value === "string" ? 4 + value.length * 2 : 8), 4);
    assert.ok(size < 1_000_000, `the rollup row is ${size} bytes`);
    const rollup = await tables.weekStats.readRollup(week);
    assert.equal(rollup.hierarchies, 12);
    assert.equal([...osOf(rollup).values()].reduce((sum, o) => sum + o.clients, 0), 12 * 1000);
    assert.ok((osOf(rollup).get(OTHER_NAME)?.clients ?? 0) > 0, "nothing was folded: the test did not reach the row's capacity");
    // Replacing a snapshot whose names were folded takes them back out of (other).
    const replacement = makeUsageDocument({ hierarchyId: hierarchies[11]!, collectedAt: "2026-11-19T03:00:00.000Z" });
    await aggregateDocument(await archive(replacement), harness.deps(tables));
    const after = await tables.weekStats.readRollup(week);
    assert.equal([...osOf(after).values()].reduce((sum, o) => sum + o.clients, 0), 11 * 1000 + replacement.clients.total);
  });

  test("__proto__, constructor and hasOwnProperty as OS and feature names are counted like any other", async () => {
    const tables = await freshTables();
    const doc = makeUsageDocument({ level: "enhanced" });
    const total = doc.clients.total;
    const byOs = Object.fromEntries([["__proto__", 1], ["constructor", 2], ["hasOwnProperty", total - 3]]) as Record<string, number>;
    const features = Object.fromEntries([["constructor", { enabled: true, uses: 4 }], ["hasOwnProperty", { enabled: false }]]) as UsageDocument["features"];
    const trap = { ...doc, clients: { ...doc.clients, byOs }, features };
    await aggregateDocument(await archive(trap), harness.deps(tables));
    const rollup = await tables.weekStats.readRollup(isoWeekOf(new Date(doc.collectedAt)));
    assert.deepEqual([...osOf(rollup)].map(([n, o]) => [n, o.clients]).sort(), [["__proto__", 1], ["constructor", 2], ["hasOwnProperty", total - 3]]);
    assert.deepEqual(rollup.features.get("constructor"), { enabledHierarchies: 1, uses: 4, named: 1 });
    assert.deepEqual(rollup.features.get("hasOwnProperty"), { enabledHierarchies: 0, uses: 0, named: 1 });
    assert.equal(Object.getPrototypeOf(osOf(rollup)), Map.prototype);
  });

  test("a late document for an old week counts there, and a later one of the same week replaces it", async () => {
    const tables = await freshTables();
    const hierarchyId = base64Sha256Of("late hierarchy");
    const recent = makeUsageDocument({ hierarchyId, collectedAt: "2026-11-18T03:00:00.000Z" });
    const old = makeUsageDocument({ hierarchyId, collectedAt: "2025-02-04T03:00:00.000Z", product: { ...recent.product, version: "2403" } });
    const older = makeUsageDocument({ hierarchyId, collectedAt: "2025-02-03T03:00:00.000Z", product: { ...recent.product, version: "2309" } });
    const deps = harness.deps(tables);
    assert.equal((await aggregateDocument(await archive(recent), deps)).status, "counted");
    assert.equal((await aggregateDocument(await archive(old), deps)).status, "counted");
    assert.equal((await aggregateDocument(await archive(older), deps)).status, "unchanged");
    const oldWeek = await tables.weekStats.readRollup("2025-W06");
    assert.deepEqual([...versionsOf(oldWeek).keys()], ["2403"]);
    const history = await tables.hierarchyWeeks.list(toHierarchyKey(hierarchyId));
    assert.deepEqual(history.map((h) => [h.week, h.version]), [["2025-W06", "2403"], ["2026-W47", "2409"]]);
    assert.deepEqual(await tables.weeklyStats.listWeeks(), ["2025-W06", "2026-W47"]);
  });

  test("while a rebuild holds the week, a message is deferred back to the queue, not counted", async () => {
    const tables = await freshTables();
    const doc = makeUsageDocument();
    const week = isoWeekOf(new Date(doc.collectedAt));
    await plantLock(tables.weeklyStats, week, lockTaken("test"));
    const queue = QueueServiceClient.fromConnectionString(harness.azurite.connectionString).getQueueClient("usage-ingested");
    const before = (await queue.getProperties()).approximateMessagesCount ?? 0;
    const claim = await archive(doc);
    assert.equal((await aggregateDocument(claim, harness.deps(tables))).status, "deferred");
    assert.equal((await queue.getProperties()).approximateMessagesCount, before + 1);
    assert.equal((await tables.weekStats.readRollup(week)).hierarchies, 0);
    assert.equal((await aggregateDocument(claim, harness.deps(tables), { ignoreRebuildLock: true })).status, "counted");
  });

  test("a rebuild lock that has expired, or one left without an expiry more than a lease ago, is ignored and reported; a fresh one defers", async () => {
    const tables = await freshTables();
    const [expired, old, fresh] = ["2026-10-07", "2026-10-14", "2026-10-21"].map((day) => makeUsageDocument({ collectedAt: `${day}T03:00:00Z` }));
    const weekOf = (doc: UsageDocument) => isoWeekOf(new Date(doc.collectedAt));
    await plantLock(tables.weeklyStats, weekOf(expired!), lockTaken("reaggregate@dead", 7200));
    // Locks written before locks expired carry no expiresAt: they hold one lease from `since`.
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    await plantLock(tables.weeklyStats, weekOf(old!), { holder: "reaggregate@old", since: hoursAgo(2), expiresAt: undefined });
    await plantLock(tables.weeklyStats, weekOf(fresh!), { holder: "reaggregate@running", since: hoursAgo(0), expiresAt: undefined });

    const counted = await aggregateDocument(await archive(expired!), harness.deps(tables));
    assert.equal(counted.status, "counted");
    assert.equal(counted.lock?.expired, true);
    assert.equal(counted.lock.holder, "reaggregate@dead");
    assert.ok(Number.isInteger(counted.lock.ageSeconds) && counted.lock.ageSeconds >= 7200);
    const leftover = await aggregateDocument(await archive(old!), harness.deps(tables));
    assert.deepEqual([leftover.status, leftover.lock?.expired], ["counted", true]);
    const waiting = await aggregateDocument(await archive(fresh!), harness.deps(tables));
    assert.deepEqual([waiting.status, waiting.lock?.expired, waiting.lock?.holder], ["deferred", false, "reaggregate@running"]);
    assert.equal((await tables.weekStats.readRollup(weekOf(expired!))).hierarchies, 1);
    assert.equal((await tables.weekStats.readRollup(weekOf(fresh!))).hierarchies, 0);
    // Without a lock there is nothing to report.
    const plain = await aggregateDocument(await archive(makeUsageDocument()), harness.deps(tables));
    assert.equal(plain.lock, undefined);
  });
});
