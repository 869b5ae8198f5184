/**
 * The rows of the published `WeeklyDimensions` table (contract section 4.2), built from the
 * routes' own output (`toDimensionStats`), never from a second computation, so that a week's
 * rows say exactly what `GET /api/v1/stats/dimensions/{name}?week=` says with the same
 * `minHierarchies`.
 */
import type { DimensionStats } from "../query/dimensionStats";
import type { DistributionFigures } from "../query/foldSmallValues";

/** A (dimension, value) row of kind `hierarchy` or `clients`. */
export interface PublishedClientsRow {
  dimension: string;
  kind: "hierarchy" | "clients";
  /** As the API writes it (the folded row's is `(fewer than k)`). */
  value: string;
  hierarchies: number;
  clients: number;
}

/** A (dimension, value) row of kind `set`. */
export interface PublishedSetRow {
  dimension: string;
  kind: "set";
  value: string;
  hierarchies: number;
  count: number;
}

/** The one row of a distribution dimension: its figures, null where the API says null (its buckets stay in the API). */
export interface PublishedDistributionRow extends Omit<DistributionFigures, "buckets"> {
  dimension: string;
  kind: "distribution";
}

export type PublishedRow = PublishedClientsRow | PublishedSetRow | PublishedDistributionRow;

/** The `~published` row: what state the week's rows show. */
export interface PublishedSummary {
  /** The time of the aggregation state the rows show: every change committed before it is in them. */
  asOf: Date;
  /** The week's snapshots. */
  hierarchies: number;
  /** The folding applied (STATS_MIN_HIERARCHIES). */
  minHierarchies: number;
}

/**
 * The published rows of one dimension's week: one per listed value (in the route's order),
 * or the one row of a distribution (its buckets stay in the API).
 */
export function toPublishedRows(stats: DimensionStats): PublishedRow[] {
  const { dimension } = stats;
  switch (stats.kind) {
    case "hierarchy":
    case "clients": {
      const kind = stats.kind;
      return stats.values.map((v) => ({ dimension, kind, value: v.value, hierarchies: v.hierarchies, clients: v.clients }));
    }
    case "set":
      return stats.values.map((v) => ({ dimension, kind: "set", value: v.value, hierarchies: v.hierarchies, count: v.count }));
    case "distribution": {
      const { hierarchies, sum, mean, min, max, p50, p90, p99 } = stats;
      return [{ dimension, kind: "distribution", hierarchies, sum, mean, min, max, p50, p90, p99 }];
    }
  }
}
