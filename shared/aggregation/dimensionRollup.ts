/**
 * A week's counts of one dimension (shared/aggregation/dimensions.ts), as aggregation keeps
 * them and the query routes and the published `WeeklyDimensions` rows read them. Plain sums
 * over the week's snapshots that the dimension applies to, so they add and subtract exactly
 * when a snapshot is replaced, whatever the order.
 */
import type { BucketCounts } from "./logBuckets";
import type { DimensionKind } from "./dimensions";

/** What the week's snapshots give one value of a categorical dimension. */
export interface ValueCounts {
  /**
   * Snapshots that name the value: for kind `hierarchy` those whose value it is; for `set`
   * and `clients` those that name it at least once (a value named with 0 counts).
   */
  hierarchies: number;
  /** Kind `hierarchy`: the sum of `clients.total` of those snapshots; kind `clients`: the summed count; kind `set`: 0. */
  clients: number;
  /** Kind `set`: how often the value is named in all (sites of that type, sites with that role); 0 otherwise. */
  count: number;
}

/** One week of a `hierarchy`, `set` or `clients` dimension. */
export interface CategoricalRollup {
  kind: Exclude<DimensionKind, "distribution">;
  /** Snapshots the dimension applies to (at its level or above, carrying the field). */
  hierarchies: number;
  /** The sum of their `clients.total`. */
  clients: number;
  /** Keyed by value; a `Map` because a value may be `__proto__`. Never holds an entry whose `hierarchies` is 0. */
  values: Map<string, ValueCounts>;
}

/** One week of a `distribution` dimension. */
export interface DistributionRollup {
  kind: "distribution";
  /** Snapshots the dimension applies to. */
  hierarchies: number;
  /** The sum of their `clients.total`. */
  clients: number;
  /** The sum of the values, exact (kept so that adding and removing in any order gives the same number). */
  sum: number;
  /** Snapshots per bucket index (shared/aggregation/logBuckets.ts); only non-empty buckets. */
  buckets: BucketCounts;
}

export type DimensionRollup = CategoricalRollup | DistributionRollup;

/** The empty week of a dimension of `kind`. */
export function emptyDimensionRollup(kind: DimensionKind): DimensionRollup {
  return kind === "distribution"
    ? { kind, hierarchies: 0, clients: 0, sum: 0, buckets: new Map() }
    : { kind, hierarchies: 0, clients: 0, values: new Map() };
}

/**
 * What reads a week's dimension rollups from storage (WeekStats implements it, over the shard rows WeeklyStatsTable decodes). Each
 * call reads a number of entities that does not grow with the number of hierarchies.
 */
export interface DimensionRollupReader {
  /** One dimension of one week; the empty rollup for a week without data. */
  readDimension(week: string, name: string): Promise<DimensionRollup>;
  /** Every declared dimension of one week (for publishing `WeeklyDimensions`), keyed by name. */
  readDimensions(week: string): Promise<Map<string, DimensionRollup>>;
}

/**
 * Where aggregation says that a week's statistics are about to change, so that its
 * published rows get recomputed (debounced by the implementation). Called before the commit
 * that changes the week, so a crash after the commit cannot lose the request.
 */
export interface WeekChangeListener {
  weekChanging(week: string): Promise<void>;
}
