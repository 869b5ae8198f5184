/**
 * One week by one dimension (`GET /api/v1/stats/dimensions/{name}?week=`, contract section
 * 4.1) from the week's rollup of that dimension. The published `WeeklyDimensions` rows are
 * built from this same output (shared/publishing/toPublishedRows.ts), so the table and the
 * route cannot say different things.
 */
import type { ClientsDimensionStats, DimensionStats, DistributionDimensionStats, HierarchyDimensionStats, SetDimensionStats } from "../resultsV1";
import type { Dimension } from "../aggregation/dimensions";
import type { CategoricalRollup, DimensionRollup, DistributionRollup } from "../aggregation/dimensionRollup";
import { summarizeBuckets } from "../aggregation/logBuckets";
import type { CsvTable } from "../http/csv";
import type { IsoWeek } from "../isoWeek";
import {
  clientsValueRows,
  foldSmallDistribution,
  foldSmallValues,
  hierarchyValueRows,
  setValueRows,
  type FoldOptions,
} from "./foldSmallValues";

/** How the statistics are shown: `minHierarchies` folds small values (readMinHierarchies gives it). */
export type DimensionStatsOptions = FoldOptions;

/** The body of `GET /api/v1/stats/dimensions/{name}?week=`, one shape per kind, as schemas/results.v1.schema.json defines it. */
export type { ClientsDimensionStats, DimensionStats, DistributionDimensionStats, HierarchyDimensionStats, SetDimensionStats };

/** A rollup whose kind is not its dimension's: a bug in whoever read it, never client input. */
function checkKind(dimension: Dimension, rollup: DimensionRollup): void {
  if (dimension.kind !== rollup.kind) throw new TypeError(`${dimension.name} is of kind ${dimension.kind}, its rollup of kind ${rollup.kind}`);
}

/**
 * The distribution figures of a rollup: `sum` and `mean` exact from the rollup's sum, the
 * rest from its buckets (summarizeBuckets), all null for a week without a value. Estimates
 * are held to the dimension's upper bound: a percentage is never shown above 100.
 */
function distributionStats(week: IsoWeek, dimension: Dimension, rollup: DistributionRollup, options: DimensionStatsOptions): DistributionDimensionStats {
  const summary = summarizeBuckets(rollup.buckets);
  const { upperBound = Infinity } = dimension;
  const held = (estimate: number | null) => (estimate === null ? null : Math.min(estimate, upperBound));
  const { hierarchies } = rollup;
  const some = hierarchies > 0;
  const stats: DistributionDimensionStats = {
    week,
    dimension: dimension.name,
    kind: "distribution",
    hierarchies,
    sum: some ? rollup.sum : null,
    mean: some ? rollup.sum / hierarchies : null,
    min: held(summary.min),
    max: held(summary.max),
    p50: held(summary.p50),
    p90: held(summary.p90),
    p99: held(summary.p99),
    buckets: summary.buckets,
  };
  return foldSmallDistribution(stats, options);
}

/** The value rows of a categorical rollup in a kind's own row shape (keys in the contract's order). */
function categoricalStats(week: IsoWeek, name: string, rollup: CategoricalRollup, options: DimensionStatsOptions): DimensionStats {
  const { hierarchies, clients } = rollup;
  const entries = [...rollup.values].filter(([, counts]) => counts.hierarchies > 0);
  switch (rollup.kind) {
    case "hierarchy": {
      const rows = entries.map(([value, c]) => ({ value, hierarchies: c.hierarchies, clients: c.clients }));
      return { week, dimension: name, kind: "hierarchy", hierarchies, clients, values: foldSmallValues(rows, hierarchyValueRows, options) };
    }
    case "set": {
      const rows = entries.map(([value, c]) => ({ value, hierarchies: c.hierarchies, count: c.count }));
      return { week, dimension: name, kind: "set", hierarchies, clients, values: foldSmallValues(rows, setValueRows, options) };
    }
    case "clients": {
      const rows = entries.map(([value, c]) => ({ value, clients: c.clients, hierarchies: c.hierarchies }));
      return { week, dimension: name, kind: "clients", hierarchies, clients, values: foldSmallValues(rows, clientsValueRows, options) };
    }
  }
}

/**
 * One week of one dimension as the route answers it, from that week's rollup (the empty
 * rollup for a week without data: zeros, empty lists, null figures). Values come out of the
 * rollup's Map into arrays, so any value text, `__proto__` included, is only ever data.
 *
 * @throws RangeError when minHierarchies is not an integer of at least 1; TypeError when the
 * rollup is not of the dimension's kind.
 */
export function toDimensionStats(week: IsoWeek, dimension: Dimension, rollup: DimensionRollup, options: DimensionStatsOptions): DimensionStats {
  checkKind(dimension, rollup);
  return rollup.kind === "distribution" ? distributionStats(week, dimension, rollup, options) : categoricalStats(week, dimension.name, rollup, options);
}

/**
 * The CSV form: one row per value with the kind's columns in JSON order (`value,hierarchies,
 * clients`; `value,hierarchies,count`; `value,clients,hierarchies`), or for a distribution
 * one row per bucket, `lower,upper,hierarchies`.
 */
export function toDimensionStatsCsv(stats: DimensionStats): CsvTable {
  switch (stats.kind) {
    case "hierarchy":
      return { header: ["value", "hierarchies", "clients"], rows: stats.values.map((v) => [v.value, v.hierarchies, v.clients]) };
    case "set":
      return { header: ["value", "hierarchies", "count"], rows: stats.values.map((v) => [v.value, v.hierarchies, v.count]) };
    case "clients":
      return { header: ["value", "clients", "hierarchies"], rows: stats.values.map((v) => [v.value, v.clients, v.hierarchies]) };
    case "distribution":
      return { header: ["lower", "upper", "hierarchies"], rows: stats.buckets.map((b) => [b.lower, b.upper, b.hierarchies]) };
  }
}
