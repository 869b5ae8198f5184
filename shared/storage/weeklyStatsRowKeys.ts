import { ROLLUP_SHARDS } from "../aggregation/hierarchyKey";

const SHARD_DIGITS = String(ROLLUP_SHARDS - 1).length;

/** Row keys inside a week's partition; readable in Storage Explorer. */
export const rowKeys = {
  snapshot: (hierarchyKey: string) => `snapshot:${hierarchyKey}`,
  rollup: (shard: number) => `rollup:${String(shard).padStart(SHARD_DIGITS, "0")}`,
  rebuildLock: "rebuild-lock",
} as const;

/** The partition that lists the weeks that have data (one row each). */
export const WEEK_INDEX_PARTITION = "weeks";
