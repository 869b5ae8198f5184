/**
 * The port aggregation and rebuilds count through: one week's snapshots, the rollup rows of
 * its shards, its rebuild lock and the index of weeks with data. WeeklyStatsTable
 * (shared/storage) implements it; the exactly-once argument of docs/data-model.md rests on
 * `commit` being one conditional, atomic write of a snapshot and its shard's rollup.
 */
import type { IsoWeek } from "../isoWeek";
import type { RebuildLock } from "./rebuildLock";
import type { WeekSnapshot } from "./weekSnapshot";
import type { RollupShardSource } from "./weekStats";
import type { RollupBudget, WeekRollup } from "./weekRollup";

/** A value as read, with the ETag a conditional write of it must name. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

/** What a commit needs to know of a week: one hierarchy's snapshot, its shard's rollup, and the lock. */
export interface WeekState {
  snapshot: Versioned<WeekSnapshot> | undefined;
  rollup: Versioned<WeekRollup> | undefined;
  /** The week's rebuild lock, if it has one (expired or not: the caller decides). */
  lock: RebuildLock | undefined;
}

/** `conflict`: another writer changed (or created) one of the two rows since they were read. */
export type CommitResponse = "committed" | "conflict";

/** `taken`: the lock row was absent and is now ours; `held`: a lock stands, as read (with its ETag, to take it over once expired). */
export type CreateLockResponse = { outcome: "taken"; etag: string } | { outcome: "held"; lock: Versioned<RebuildLock> };

/** What clearing a week removed. */
export interface ClearedWeek {
  /** Rows deleted, snapshots and rollups. */
  rows: number;
  /** The docIds of the snapshots deleted: documents that counted until then, to count again. */
  docIds: string[];
}

export interface WeekStatsStore extends RollupShardSource {
  /** What a rollup row may hold; aggregation keeps rows within it. */
  readonly rollupBudget: RollupBudget;
  /** One read: the hierarchy's snapshot, its shard's rollup, and the week's rebuild lock. */
  readForUpdate(week: IsoWeek, hierarchyKey: string, shard: number): Promise<WeekState>;
  /**
   * Writes a snapshot and its shard's rollup atomically, each only if unchanged since it was
   * read (its ETag) or, when it was absent, only if still absent.
   */
  commit(snapshot: WeekSnapshot, snapshotEtag: string | undefined, shard: number, rollup: WeekRollup, rollupEtag: string | undefined): Promise<CommitResponse>;
  /** Records that a week has data (idempotent). */
  markWeek(week: IsoWeek): Promise<void>;
  /** Every snapshot of a week. */
  listSnapshots(week: IsoWeek): Promise<WeekSnapshot[]>;
  /** Deletes every snapshot and rollup row of a week (the lock stays), until none is left. */
  clearWeek(week: IsoWeek): Promise<ClearedWeek>;
  /** The week's rebuild lock, if it has one. */
  readLock(week: IsoWeek): Promise<RebuildLock | undefined>;
  /** Writes the lock only if the week has none. */
  createLock(week: IsoWeek, lock: RebuildLock): Promise<CreateLockResponse>;
  /** Replaces the lock only if it still has `etag`: its new ETag, or undefined when it changed or is gone. */
  replaceLock(week: IsoWeek, lock: RebuildLock, etag: string): Promise<string | undefined>;
  /** Deletes the lock only if it still has `etag`: false when it changed or is gone (someone else's now, or nobody's). */
  deleteLock(week: IsoWeek, etag: string): Promise<boolean>;
}
