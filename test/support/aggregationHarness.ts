import assert from "node:assert/strict";
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { shardOf, toHierarchyKey } from "../../shared/aggregation/hierarchyKey";
import { rebuildLockSettings, storageNames } from "../../shared/config";
import type { ClaimCheck } from "../../shared/storage/claimCheck";
import { HierarchyWeeksTable } from "../../shared/storage/hierarchyWeeksTable";
import { IngestQueue } from "../../shared/storage/ingestQueue";
import type { IsoWeek } from "../../shared/isoWeek";
import { RawArchive } from "../../shared/storage/rawArchive";
import type { RebuildLock } from "../../shared/aggregation/rebuildLock";
import type { RebuildDeps } from "../../shared/operations/rebuildWeeks";
import { rowKeys, WeeklyStatsTable } from "../../shared/storage/weeklyStatsTable";
import { WeekStats } from "../../shared/aggregation/weekStats";
import type { UsageDocument } from "../../shared/validation/usageDocument";
import { startAzurite, type EmbeddedAzurite } from "../../local/azurite";
import { nearestRank, type Model, type ModelDimension } from "../../scripts/simulator/referenceModel";
import { summarizeBuckets } from "../../shared/aggregation/logBuckets";
import { osOf, versionsOf } from "./rollupViews";
import { putArchived, toArchived } from "../../devkit/archivedDocument";
import { base64Sha256Of } from "../../devkit/usageDocuments";

/** `count` fixed hierarchy ids (derived from `label`) that all fall in rollup shard 0, so that their documents share one row. */
export function sameShardHierarchies(count: number, label = "property hierarchy"): string[] {
  const found: string[] = [];
  for (let i = 0; found.length < count; i++) {
    const id = base64Sha256Of(`${label} ${i}`);
    if (shardOf(toHierarchyKey(id)) === 0) found.push(id);
  }
  return found;
}

/** A rebuild lock taken by `holder` `ageSeconds` ago, holding for `leaseSeconds` from then (negative: expired). */
export function lockTaken(holder: string, ageSeconds = 0, leaseSeconds = rebuildLockSettings.leaseSeconds): RebuildLock {
  const since = Date.now() - ageSeconds * 1000;
  return { holder, since: new Date(since).toISOString(), expiresAt: new Date(since + leaseSeconds * 1000).toISOString() };
}

/**
 * Writes a week's rebuild lock as it stands, whoever holds it: a lock left by a rebuild
 * elsewhere, for a test to meet. Rebuilds themselves take locks only with ETag conditions.
 */
export async function plantLock(table: WeeklyStatsTable, week: IsoWeek, lock: RebuildLock): Promise<void> {
  const { expiresAt, ...rest } = lock;
  await table.table.upsertEntity({ partitionKey: week, rowKey: rowKeys.rebuildLock, ...rest, ...(expiresAt === undefined ? {} : { expiresAt }) }, "Replace");
}

/** Deletes a week's rebuild lock, whoever holds it (what plantLock wrote). */
export async function removeLock(table: WeeklyStatsTable, week: IsoWeek): Promise<void> {
  await table.table.deleteEntity(week, rowKeys.rebuildLock);
}

export interface Tables {
  weeklyStats: WeeklyStatsTable;
  /** The week statistics read from weeklyStats, as the routes read them. */
  weekStats: WeekStats;
  hierarchyWeeks: HierarchyWeeksTable;
}

/**
 * A real in-memory Azurite with the raw container and the ingest queue, and fresh tables on
 * demand, so that each scenario (each fast-check run) starts from empty statistics.
 */
export class AggregationHarness {
  private tableCount = 0;

  private constructor(
    readonly azurite: EmbeddedAzurite,
    readonly rawArchive: RawArchive,
    readonly ingestQueue: IngestQueue,
  ) {}

  static async start(): Promise<AggregationHarness> {
    const azurite = await startAzurite();
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(storageNames.rawContainer);
    await container.createIfNotExists();
    const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(storageNames.ingestQueue);
    await queue.createIfNotExists();
    return new AggregationHarness(azurite, new RawArchive(container), new IngestQueue(queue));
  }

  async close(): Promise<void> {
    await this.azurite.close();
  }

  /** Fresh, empty tables for one scenario. */
  async freshTables(): Promise<Tables> {
    this.tableCount += 1;
    const make = async (name: string) => {
      const client = TableClient.fromConnectionString(this.azurite.connectionString, `${name}${this.tableCount}`, { allowInsecureConnection: true });
      await client.createTable();
      return client;
    };
    const weeklyStats = new WeeklyStatsTable(await make("Stats"));
    return { weeklyStats, weekStats: new WeekStats(weeklyStats), hierarchyWeeks: new HierarchyWeeksTable(await make("History")) };
  }

  /** What aggregateDocument needs, over the given tables. */
  deps(tables: Tables): RebuildDeps {
    return { rawArchive: this.rawArchive, ingestQueue: this.ingestQueue, ...tables, indexedWeeks: new Set() };
  }

  /** Stores a document in the raw archive as ingestion does and returns its claim check. */
  async archive(doc: UsageDocument): Promise<ClaimCheck> {
    const archived = toArchived(doc);
    await putArchived(this.rawArchive, archived);
    return archived.claim;
  }
}

/** Asserts that the tables hold exactly what the reference model says: rollups, snapshots, history, week index. */
export async function assertMatchesModel(tables: Tables, model: Model): Promise<void> {
  assert.deepEqual(await tables.weeklyStats.listWeeks(), [...model.weeks.keys()].sort());
  for (const [week, expected] of model.weeks) {
    const actual = await tables.weekStats.readRollup(week);
    assert.equal(actual.hierarchies, expected.hierarchies, `${week} hierarchies`);
    assert.equal(actual.clients, expected.clients, `${week} clients`);
    assert.equal(actual.featureHierarchies, expected.featureHierarchies, `${week} featureHierarchies`);
    assert.deepEqual(new Map([...versionsOf(actual)].sort()), new Map([...expected.versions].sort()), `${week} versions`);
    assert.deepEqual(new Map([...osOf(actual)].map(([n, o]) => [n, o.clients] as const).sort()), new Map([...expected.os].sort()), `${week} os`);
    assert.deepEqual(
      new Map([...actual.features].map(([n, f]) => [n, { enabledHierarchies: f.enabledHierarchies, uses: f.uses }] as const).sort()),
      new Map([...expected.features].sort()),
      `${week} features`,
    );
    await assertDimensionsMatch(tables, week, expected.dimensions);
    const snapshots = await tables.weeklyStats.listSnapshots(week);
    const expectedSnapshots = model.snapshots.get(week) ?? new Map<string, UsageDocument>();
    assert.deepEqual(
      new Map(snapshots.map((s) => [s.hierarchyId, s.docId])),
      new Map([...expectedSnapshots].map(([h, d]) => [h, d.docId.toLowerCase()])),
      `${week} snapshots`,
    );
    for (const [hierarchyId, doc] of expectedSnapshots) {
      const history = await tables.hierarchyWeeks.list(toHierarchyKey(hierarchyId), week, week);
      assert.equal(history.length, 1, `${week} history rows of ${hierarchyId}`);
      assert.equal(history[0]!.docId, doc.docId.toLowerCase(), `${week} history of ${hierarchyId}`);
      assert.equal(history[0]!.clients, doc.clients.total);
    }
  }
}

/** Within 1% of the exact value, and exactly 0 when it is 0 (contract section 4.1). */
function assertWithinOnePercent(actual: number | null, exact: number | null, what: string): void {
  if (exact === null || exact === 0) {
    assert.equal(actual, exact, what);
    return;
  }
  assert.ok(actual !== null && Math.abs(actual - exact) <= 0.01 * exact, `${what}: ${actual} is not within 1% of ${exact}`);
}

/**
 * Every dimension of a week as readDimension gives it against the model: categorical counts
 * exact, distribution sums exact (to the rounding of one double), and min, max and the
 * percentiles within 1% of the model's nearest-rank values of the raw numbers.
 */
export async function assertDimensionsMatch(tables: Tables, week: string, expected: ReadonlyMap<string, ModelDimension>): Promise<void> {
  const all = await tables.weekStats.readDimensions(week);
  for (const [name, model] of expected) {
    const actual = await tables.weekStats.readDimension(week, name);
    assert.deepEqual(all.get(name), actual, `${week} ${name}: readDimensions and readDimension differ`);
    assert.equal(actual.kind, model.kind, `${week} ${name} kind`);
    assert.equal(actual.hierarchies, model.hierarchies, `${week} ${name} hierarchies`);
    assert.equal(actual.clients, model.clients, `${week} ${name} clients`);
    if (actual.kind !== "distribution") {
      assert.deepEqual(new Map([...actual.values].sort()), new Map([...model.values].sort()), `${week} ${name} values`);
      continue;
    }
    // The model adds doubles in sorted order; the exact sum rounds once, so they agree to a few units of the last place.
    const sum = [...model.numbers].sort((a, b) => a - b).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(actual.sum - sum) <= 1e-12 * Math.max(sum, Number.MIN_VALUE), `${week} ${name} sum: ${actual.sum} is not ${sum}`);
    const summary = summarizeBuckets(actual.buckets);
    assert.equal(summary.hierarchies, model.hierarchies, `${week} ${name} bucket counts`);
    const max = model.numbers.length === 0 ? null : Math.max(...model.numbers);
    assertWithinOnePercent(summary.min, nearestRank(model.numbers, 0), `${week} ${name} min`);
    assertWithinOnePercent(summary.max, max, `${week} ${name} max`);
    for (const p of [50, 90, 99] as const) assertWithinOnePercent(summary[`p${p}`], nearestRank(model.numbers, p), `${week} ${name} p${p}`);
  }
}
