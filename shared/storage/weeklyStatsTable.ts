import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import type { RebuildLock } from "../aggregation/rebuildLock";
import type { WeekSnapshot } from "../aggregation/weekSnapshot";
import type { ReadReservation, ShardSelection } from "../aggregation/weekStats";
import type { RollupBudget, WeekRollup } from "../aggregation/weekRollup";
import type { ClearedWeek, CommitResponse, CreateLockResponse, Versioned, WeekState, WeekStatsStore } from "../aggregation/weekStatsStore";
import { ROLLUP_SHARDS } from "../aggregation/hierarchyKey";
import type { IsoWeek } from "../isoWeek";
import { GuardedTable } from "./guardedTable";
import { rollupRowBudget } from "./rollupRowBudget";
import { dimensionProperties, featureProperties, rollupFromEntity, rollupToEntity } from "./rollupRowCodec";
import { snapshotFromEntity, snapshotToEntity } from "./snapshotRowCodec";
import { isStorageError, translateStorageError } from "./storageErrors";
import { entitySize, tableLimits } from "./tableLimits";
import { rowKeys, WEEK_INDEX_PARTITION } from "./weeklyStatsRowKeys";

// Bench and tests name the rows and the budget through the table's module.
export { rowKeys, WEEK_INDEX_PARTITION } from "./weeklyStatsRowKeys";
export { rollupRowBudget } from "./rollupRowBudget";

type Entity = Record<string, unknown>;

function lockEntity(week: IsoWeek, lock: RebuildLock): Entity & { partitionKey: string; rowKey: string } {
  return { partitionKey: week, rowKey: rowKeys.rebuildLock, holder: lock.holder, since: lock.since, ...(lock.expiresAt === undefined ? {} : { expiresAt: lock.expiresAt }) };
}

function lockFromEntity(e: Entity): RebuildLock {
  const text = (name: string) => {
    const value = e[name];
    return typeof value === "string" ? value : undefined;
  };
  return { holder: text("holder") ?? "", since: text("since") ?? "", expiresAt: text("expiresAt") };
}

/**
 * Rows a read asks for per request. Before each request the read reserves what that many
 * rows may weigh as received (1 MiB each, RECEIVED_PAGE_FACTOR times), and before it decodes
 * a row what the row costs decoded, so that what a read holds is always reserved first; a
 * week's 256 shard rows take 16 requests.
 */
const READ_PAGE_ROWS = 16;

/**
 * What a page weighs while the SDK receives it, as a multiple of its rows' stored size: the
 * response's bytes and the string made of them (each about half the UTF-16 size Azure
 * counts), alive while the SDK parses them into the entities it hands over (about half
 * again). Measured by bench (h) on a page of 16 rows full of short OS names: 1.61x, so 2.
 */
export const RECEIVED_PAGE_FACTOR = 2;

/**
 * What the entities of a page keep alive once received, as a multiple of their stored size,
 * until the page's last row is decoded: measured 0.50x by bench (h), so 1.
 */
export const KEPT_PAGE_FACTOR = 1;

/**
 * What a decoded rollup row keeps alive, as a multiple of its stored size (UTF-16 bytes, as
 * Azure counts them): the parsed JSON lists and the Maps made of them. Measured by bench (h)
 * on a row filled to its budget with short OS names (356 KiB stored, 7,498 names: the most
 * entries per byte): 2.14x decoded, 2.65x with the entity as received, so 3 is kept; see
 * docs/performance.md.
 */
export const DECODED_ROW_FACTOR = 3;

/** The most one page of a read can weigh as it is received. */
const PAGE_RESERVATION = READ_PAGE_ROWS * tableLimits.maxEntityBytes * RECEIVED_PAGE_FACTOR;

const rollupRange = (week: IsoWeek) =>
  odata`PartitionKey eq ${week} and RowKey ge ${rowKeys.rollup(0)} and RowKey le ${rowKeys.rollup(ROLLUP_SHARDS - 1)}`;

/**
 * The `WeeklyStats` table. Partition = ISO week. In it, one `snapshot:<hierarchy>` row per
 * hierarchy (the document that counts) and `rollup:000`..`rollup:255`, the week's statistics
 * split by hierarchy shard. A snapshot row and its shard's rollup row change together in one
 * entity group transaction, guarded by ETags: that is the exactly-once argument of
 * docs/data-model.md.
 */
export class WeeklyStatsTable implements WeekStatsStore {
  private readonly writes: GuardedTable;
  /** What a rollup row of this table may hold; aggregation keeps rows within it. */
  readonly rollupBudget: RollupBudget = rollupRowBudget;

  constructor(readonly table: TableClient) {
    this.writes = new GuardedTable(table);
  }

  /**
   * The hierarchy's snapshot row, its shard's rollup row and the rebuild lock: three point
   * reads at once, one round trip's wait. Not one query with `RowKey eq a or RowKey eq b`:
   * storage serves an OR of row keys as a scan of the partition (Azure Tables' design guide;
   * Azurite scans the whole table), and a week's partition holds a row per hierarchy, so that
   * query grows with the fleet while a point read does not.
   */
  async readForUpdate(week: IsoWeek, hierarchyKey: string, shard: number): Promise<WeekState> {
    try {
      const [snapshot, rollup, lock] = await Promise.all([
        this.pointRead(week, rowKeys.snapshot(hierarchyKey)),
        this.pointRead(week, rowKeys.rollup(shard)),
        this.pointRead(week, rowKeys.rebuildLock),
      ]);
      return {
        snapshot: snapshot === undefined ? undefined : { value: snapshotFromEntity(snapshot), etag: snapshot.etag },
        rollup: rollup === undefined ? undefined : { value: rollupFromEntity(rollup), etag: rollup.etag },
        lock: lock === undefined ? undefined : lockFromEntity(lock),
      };
    } catch (error) {
      translateStorageError(error, "reading a week's statistics");
    }
  }

  /** One row by its keys, or undefined when there is none (404 is an answer here, not an error). */
  private async pointRead(week: IsoWeek, rowKey: string): Promise<(Entity & { etag: string }) | undefined> {
    try {
      return await this.table.getEntity<Entity>(week, rowKey);
    } catch (error) {
      if (isStorageError(error, 404, "ResourceNotFound")) return undefined;
      throw error;
    }
  }

  /**
   * Writes a snapshot and its shard's rollup atomically, each only if unchanged since it was
   * read (its ETag) or, when it was absent, only if still absent. `conflict` when another
   * worker or a rebuild got there first: the caller reads again and recomputes.
   */
  async commit(
    snapshot: WeekSnapshot,
    snapshotEtag: string | undefined,
    shard: number,
    rollup: WeekRollup,
    rollupEtag: string | undefined,
  ): Promise<CommitResponse> {
    const write = (entity: Entity, etag: string | undefined): TransactionAction =>
      etag === undefined
        ? ["create", entity as Entity & { partitionKey: string; rowKey: string }]
        : ["update", entity as Entity & { partitionKey: string; rowKey: string }, "Replace", { etag }];
    try {
      await this.writes.submitTransaction([
        write(snapshotToEntity(snapshot), snapshotEtag),
        write(rollupToEntity(snapshot.week, shard, rollup), rollupEtag),
      ]);
      return "committed";
    } catch (error) {
      // Changed since read, created since read as absent, deleted since read (a rebuild's clearing).
      if (
        isStorageError(error, 412, "UpdateConditionNotSatisfied") ||
        isStorageError(error, 409, "EntityAlreadyExists") ||
        isStorageError(error, 404, "ResourceNotFound")
      ) {
        return "conflict";
      }
      translateStorageError(error, "committing a week's statistics");
    }
  }

  /**
   * Every shard's rollup row of a week in one range query, each decoded when the caller takes
   * it and not merged (the domain merges: shared/aggregation/weekStats.ts), so that a reader
   * that folds them holds one page as received and one decoded row besides its sum. With
   * `only`, the query selects the totals and those dimensions' (and features') properties,
   * continuations included. Each request is reserved at its worst before it is sent, trued
   * up to what its entities keep once it has arrived (its wire text is garbage by then), and
   * given back once its rows are taken; each row's decoded cost is reserved before the row is
   * decoded, and kept.
   */
  async *shards(week: IsoWeek, only?: ShardSelection, reservation?: ReadReservation): AsyncGenerator<WeekRollup, void, undefined> {
    const filter = rollupRange(week);
    const select =
      only === undefined ? undefined : ["hierarchies", "clients", ...(only.features === true ? featureProperties() : []), ...only.dimensions.flatMap(dimensionProperties)];
    const queryOptions = select === undefined ? { filter } : { filter, select };
    const pages = this.table.listEntities<Entity>({ queryOptions }).byPage({ maxPageSize: READ_PAGE_ROWS });
    for (;;) {
      await reservation?.reserve(PAGE_RESERVATION);
      let page: IteratorResult<Entity[]>;
      try {
        page = await pages.next();
      } catch (error) {
        translateStorageError(error, "reading a week's statistics");
      }
      const entities = page.done === true ? [] : page.value;
      const kept = entities.reduce((sum, e) => sum + entitySize(e) * KEPT_PAGE_FACTOR, 0);
      reservation?.giveBack(PAGE_RESERVATION - kept);
      for (const e of entities) {
        await reservation?.reserve(entitySize(e) * DECODED_ROW_FACTOR);
        yield rollupFromEntity(e);
      }
      // The page is garbage once its rows are taken; their decoded cost stays reserved.
      reservation?.giveBack(kept);
      if (page.done === true) return;
    }
  }

  /** Every shard's rollup row of a week, decoded and not merged (tools and tests; reads fold `shards`). */
  async readShards(week: IsoWeek, only?: ShardSelection, reservation?: ReadReservation): Promise<WeekRollup[]> {
    const parts: WeekRollup[] = [];
    for await (const part of this.shards(week, only, reservation)) parts.push(part);
    return parts;
  }

  /** Records that a week has data (idempotent). */
  async markWeek(week: IsoWeek): Promise<void> {
    try {
      await this.writes.upsertEntity({ partitionKey: WEEK_INDEX_PARTITION, rowKey: week }, "Replace");
    } catch (error) {
      translateStorageError(error, "indexing a week");
    }
  }

  /** Every week that has data, oldest first. */
  async listWeeks(): Promise<IsoWeek[]> {
    const weeks: IsoWeek[] = [];
    try {
      const filter = odata`PartitionKey eq ${WEEK_INDEX_PARTITION}`;
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter, select: ["RowKey"] } })) weeks.push(e.rowKey as IsoWeek);
    } catch (error) {
      translateStorageError(error, "listing weeks");
    }
    return weeks.sort();
  }

  /** Every snapshot of a week (for a rebuild). */
  async listSnapshots(week: IsoWeek): Promise<WeekSnapshot[]> {
    const snapshots: WeekSnapshot[] = [];
    // `;` follows `:`: the range is every row key that starts `snapshot:`.
    const filter = odata`PartitionKey eq ${week} and RowKey ge ${"snapshot:"} and RowKey lt ${"snapshot;"}`;
    try {
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter } })) snapshots.push(snapshotFromEntity(e));
    } catch (error) {
      translateStorageError(error, "listing a week's snapshots");
    }
    return snapshots;
  }

  /** The week's rebuild lock, if it has one. */
  async readLock(week: IsoWeek): Promise<RebuildLock | undefined> {
    return (await this.readVersionedLock(week))?.value;
  }

  private async readVersionedLock(week: IsoWeek): Promise<Versioned<RebuildLock> | undefined> {
    try {
      const e = await this.pointRead(week, rowKeys.rebuildLock);
      return e === undefined ? undefined : { value: lockFromEntity(e), etag: e.etag };
    } catch (error) {
      translateStorageError(error, "reading a week's lock");
    }
  }

  /** Takes the week's lock only if it has none (`If-None-Match: *`); else says who holds it. */
  async createLock(week: IsoWeek, lock: RebuildLock): Promise<CreateLockResponse> {
    for (;;) {
      try {
        const { etag } = await this.writes.createEntity(lockEntity(week, lock));
        if (etag !== undefined) return { outcome: "taken", etag };
        // Storage always answers with an ETag; without one the lock could not be renewed.
        throw new Error(`storage took the lock of ${week} without an ETag`);
      } catch (error) {
        if (!isStorageError(error, 409, "EntityAlreadyExists")) translateStorageError(error, "locking a week");
      }
      const held = await this.readVersionedLock(week);
      // Released between the two requests: try to take it again.
      if (held !== undefined) return { outcome: "held", lock: held };
    }
  }

  /** Renews, or takes over an expired lock: only if the row still has `etag` (`If-Match`). */
  async replaceLock(week: IsoWeek, lock: RebuildLock, etag: string): Promise<string | undefined> {
    try {
      return (await this.writes.updateEntity(lockEntity(week, lock), "Replace", { etag })).etag;
    } catch (error) {
      if (isStorageError(error, 412, "UpdateConditionNotSatisfied") || isStorageError(error, 404, "ResourceNotFound")) return undefined;
      translateStorageError(error, "renewing a week's lock");
    }
  }

  /** Releases the lock only if the row still has `etag`: a rebuild never deletes a lock another one took over. */
  async deleteLock(week: IsoWeek, etag: string): Promise<boolean> {
    try {
      await this.writes.deleteEntity(week, rowKeys.rebuildLock, etag);
      return true;
    } catch (error) {
      if (isStorageError(error, 412, "UpdateConditionNotSatisfied") || isStorageError(error, 404, "ResourceNotFound")) return false;
      translateStorageError(error, "unlocking a week");
    }
  }

  /**
   * Deletes every snapshot and rollup row of a week, in transactions of up to 100, until a
   * listing finds none (a worker that read before the lock may still insert a pair). Says
   * which documents the deleted snapshots counted, so that a rebuild counts them again
   * whether or not the raw listing shows them yet.
   */
  async clearWeek(week: IsoWeek): Promise<ClearedWeek> {
    const filter = odata`PartitionKey eq ${week} and RowKey ne ${rowKeys.rebuildLock}`;
    const cleared: ClearedWeek = { rows: 0, docIds: [] };
    for (;;) {
      const rows: { rowKey: string; docId: unknown }[] = [];
      try {
        for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter, select: ["RowKey", "docId"] } })) {
          if (e.rowKey !== undefined) rows.push({ rowKey: e.rowKey, docId: e["docId"] });
        }
      } catch (error) {
        translateStorageError(error, "listing a week's rows");
      }
      if (rows.length === 0) return cleared;
      for (let i = 0; i < rows.length; i += 100) {
        const group = rows.slice(i, i + 100);
        try {
          await this.writes.submitTransaction(group.map(({ rowKey }): TransactionAction => ["delete", { partitionKey: week, rowKey }]));
          cleared.rows += group.length;
          for (const { docId } of group) if (typeof docId === "string") cleared.docIds.push(docId);
        } catch (error) {
          // A row that vanished meanwhile fails the whole group; the next listing sorts it out.
          if (!isStorageError(error, 404, "ResourceNotFound")) translateStorageError(error, "clearing a week");
        }
      }
    }
  }
}
