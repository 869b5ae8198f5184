/**
 * One dimension over a range of weeks (`GET /api/v1/stats/dimensions/{name}/trend`,
 * contract section 4.1): each week is that week's `toDimensionStats`, cut down to what a
 * trend shows, with the same folding. Weeks are laid out as `/stats/trend` lays them.
 */
import type { CategoricalTrendWeek, DimensionTrend, DistributionTrendWeek } from "../resultsV1";
import type { Dimension } from "../aggregation/dimensions";
import type { DimensionRollup, DimensionRollupReader } from "../aggregation/dimensionRollup";
import type { CsvTable, CsvValue } from "../http/csv";
import type { IsoWeek } from "../isoWeek";
import { toDimensionStats, type DimensionStats, type DimensionStatsOptions } from "./dimensionStats";
import { compareCodeUnits } from "./ordering";
import type { WeekRange } from "./weekParameters";
import { resolveTrendRange, TREND_READ_CONCURRENCY, weeksOf } from "./weekTrend";

/** The body of `GET /api/v1/stats/dimensions/{name}/trend` and its weeks, as schemas/results.v1.schema.json defines them. */
export type { CategoricalTrendWeek, DimensionTrend, DistributionTrendWeek };

/** What a trend reads: one dimension of one week, and (for an open range) the weeks that have data. */
export interface DimensionTrendSource extends Pick<DimensionRollupReader, "readDimension"> {
  listWeeks(): Promise<readonly IsoWeek[]>;
}

function toCategoricalTrendWeek(stats: Exclude<DimensionStats, { kind: "distribution" }>): CategoricalTrendWeek {
  // Object.fromEntries defines own properties, so a value called `__proto__` is a key like
  // any other; foldSmallValues never lists a value twice, so no count overwrites another.
  const counts: [string, number][] =
    stats.kind === "clients" ? stats.values.map((row) => [row.value, row.clients]) : stats.values.map((row) => [row.value, row.hierarchies]);
  const values = Object.fromEntries(counts);
  return { week: stats.week, hierarchies: stats.hierarchies, values };
}

/**
 * The trend of `dimension` over `weeks` (in order) from each week's rollup (the empty rollup
 * where a week has no data, which gives zeros), folded as the one-week route folds.
 *
 * @throws RangeError when minHierarchies is not an integer of at least 1.
 */
export function toDimensionTrend(dimension: Dimension, weeks: readonly IsoWeek[], rollups: readonly DimensionRollup[], options: DimensionStatsOptions): DimensionTrend {
  const stats = weeks.map((week, i) => toDimensionStats(week, dimension, rollups[i]!, options));
  if (dimension.kind === "distribution") {
    const distributionWeeks = stats.flatMap((s) => (s.kind === "distribution" ? [{ week: s.week, hierarchies: s.hierarchies, p50: s.p50, p90: s.p90, p99: s.p99 }] : []));
    return { dimension: dimension.name, kind: "distribution", weeks: distributionWeeks };
  }
  const categoricalWeeks = stats.flatMap((s) => (s.kind === "distribution" ? [] : [toCategoricalTrendWeek(s)]));
  return { dimension: dimension.name, kind: dimension.kind, weeks: categoricalWeeks };
}

const own = (record: Record<string, number>, key: string): number => (Object.hasOwn(record, key) ? (record[key] ?? 0) : 0);

/**
 * The CSV form. A distribution: `week,hierarchies,p50,p90,p99` (an empty field for null).
 * A categorical dimension: `week,hierarchies`, then one column per value seen anywhere in
 * the range, the largest summed count first, then by value, holding that week's count (0
 * where the week does not list the value).
 */
export function toDimensionTrendCsv(trend: DimensionTrend): CsvTable {
  const orEmpty = (n: number | null): CsvValue => n ?? "";
  if (trend.kind === "distribution") {
    return { header: ["week", "hierarchies", "p50", "p90", "p99"], rows: trend.weeks.map((w) => [w.week, w.hierarchies, orEmpty(w.p50), orEmpty(w.p90), orEmpty(w.p99)]) };
  }
  const totals = new Map<string, number>();
  for (const w of trend.weeks) for (const [value, n] of Object.entries(w.values)) totals.set(value, (totals.get(value) ?? 0) + n);
  const values = [...totals].sort(([a, x], [b, y]) => y - x || compareCodeUnits(a, b)).map(([value]) => value);
  return { header: ["week", "hierarchies", ...values], rows: trend.weeks.map((w) => [w.week, w.hierarchies, ...values.map((v) => own(w.values, v))]) };
}

/**
 * The trend of a dimension over a range: the week index (one query) only when an end is
 * open, then that dimension of every week of the range, TREND_READ_CONCURRENCY weeks at a
 * time, as readWeekTrend reads them.
 *
 * @throws InvalidParameterError for a range beyond MAX_TREND_WEEKS.
 */
export async function readDimensionTrend(source: DimensionTrendSource, dimension: Dimension, range: WeekRange, options: DimensionStatsOptions): Promise<DimensionTrend> {
  const open = range.from === undefined || range.to === undefined;
  const resolved = resolveTrendRange(range, open ? await source.listWeeks() : []);
  const weeks = resolved === undefined ? [] : weeksOf(resolved);
  const rollups: DimensionRollup[] = [];
  for (let start = 0; start < weeks.length; start += TREND_READ_CONCURRENCY) {
    const slice = weeks.slice(start, start + TREND_READ_CONCURRENCY);
    rollups.push(...(await Promise.all(slice.map((week) => source.readDimension(week, dimension.name)))));
  }
  return toDimensionTrend(dimension, weeks, rollups, options);
}
