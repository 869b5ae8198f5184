import type { WeekSummary } from "../aggregation/weekRollup";
import type { WeekStats } from "../aggregation/weekStats";
import { InvalidParameterError } from "../errors";
import type { CsvTable } from "../http/csv";
import { isoWeekOf, mondayOf, weekCount, weeksBetween, type IsoWeek } from "../isoWeek";
import { newestVersionFirst } from "./ordering";
import type { WeekRange } from "./weekParameters";
import type { TrendWeek, WeekTrend } from "../resultsV1";

/** The body of `GET /api/v1/stats/trend` and its weeks, as schemas/results.v1.schema.json defines them. */
export type { TrendWeek, WeekTrend };

/**
 * The most weeks one trend covers: ten years. Each week costs one storage query, so an
 * unbounded range (`from=2015-W01&to=2099-W52`) would let one request cost thousands.
 */
export const MAX_TREND_WEEKS = 520;

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** How many weeks a trend covers when `from` is not given (contract section 4): a year. */
export const DEFAULT_TREND_WEEKS = 52;

/** Storage queries a trend keeps in flight at once: fast enough, and gentle on the table's partition servers. */
export const TREND_READ_CONCURRENCY = 8;

/** What a trend needs of a week: the totals and the hierarchies per version (its `version` dimension). */
export type { WeekSummary };


/** The week `count` weeks before `week`. */
function weeksBefore(week: IsoWeek, count: number): IsoWeek {
  return isoWeekOf(new Date(mondayOf(week).getTime() - count * WEEK_MS));
}

/**
 * The range a trend covers (contract section 4): without `to`, the last week with data;
 * without `from`, DEFAULT_TREND_WEEKS weeks ending at `to`, but never before the first week
 * with data. So one document with an old `collectedAt` cannot make the default trend longer
 * than a year: only a range whose ends are both given can reach MAX_TREND_WEEKS (`from`
 * alone is still held to it by weeksOf). Undefined when that leaves nothing to cover: no
 * data at all with an open end, `from` after the last week with data, or `to` before the first.
 *
 * @param weeksWithData - the weeks that have data, oldest first (only read for an open end)
 */
export function resolveTrendRange(range: WeekRange, weeksWithData: readonly IsoWeek[]): Required<WeekRange> | undefined {
  const first = weeksWithData[0];
  const to = range.to ?? weeksWithData[weeksWithData.length - 1];
  if (to === undefined) return undefined;
  let from = range.from;
  if (from === undefined) {
    if (first === undefined) return undefined;
    // Counted from `first`, so that a `to` far before the data never makes a week before year 1.
    from = weekCount(first, to) < DEFAULT_TREND_WEEKS ? first : weeksBefore(to, DEFAULT_TREND_WEEKS - 1);
  }
  if (from > to) return undefined;
  return { from, to };
}

/**
 * Every week from `from` to `to` inclusive, oldest first. InvalidParameterError beyond
 * MAX_TREND_WEEKS, checked before a single week is listed.
 */
export function weeksOf(range: Required<WeekRange>): IsoWeek[] {
  const count = weekCount(range.from, range.to) + 1;
  if (count > MAX_TREND_WEEKS) {
    throw new InvalidParameterError(`${range.from} to ${range.to} is ${count} weeks; a trend covers at most ${MAX_TREND_WEEKS}: give from and to closer together`);
  }
  return weeksBetween(range.from, range.to);
}

/**
 * The trend over `weeks` (in order) from their summaries; a week without one has zero counts.
 * `versions` is built with Object.fromEntries, which defines properties rather than assigning
 * them, so no key can reach a prototype setter (versions are digits anyway).
 */
export function toWeekTrend(weeks: readonly IsoWeek[], summaries: ReadonlyMap<IsoWeek, WeekSummary>): WeekTrend {
  return {
    weeks: weeks.map((week) => {
      const summary = summaries.get(week);
      if (summary === undefined) return { week, hierarchies: 0, clients: 0, versions: {} };
      // No sort: an object writes integer-like keys ("2409") in ascending order whatever the
      // order they were added in. The CSV form orders its version columns newest first.
      const versions = [...summary.versions].filter(([, v]) => v.hierarchies > 0);
      return {
        week,
        hierarchies: summary.hierarchies,
        clients: summary.clients,
        versions: Object.fromEntries(versions.map(([version, v]) => [version, v.hierarchies])),
      };
    }),
  };
}

/**
 * The CSV form: `week,hierarchies,clients`, then one column per version seen anywhere in the
 * range, newest first, holding that week's hierarchies on it (0 where it has none).
 */
export function toWeekTrendCsv(trend: WeekTrend): CsvTable {
  const seen = new Set<string>();
  for (const w of trend.weeks) for (const version of Object.keys(w.versions)) seen.add(version);
  const versions = [...seen].sort(newestVersionFirst);
  return {
    header: ["week", "hierarchies", "clients", ...versions],
    // Object.hasOwn: a version column must never read an inherited property.
    rows: trend.weeks.map((w) => [w.week, w.hierarchies, w.clients, ...versions.map((v) => (Object.hasOwn(w.versions, v) ? (w.versions[v] ?? 0) : 0))]),
  };
}

/** Runs `read` over `items` with at most `limit` calls in flight; rejects with the first failure and starts no more. */
async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await read(items[index]!);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The trend of a range: the week index (one query) only when an end is open, then one
 * summary query per week, TREND_READ_CONCURRENCY at a time. Every week of the range is read,
 * not only the indexed ones, so an explicit range does not depend on the index being current.
 */
export async function readWeekTrend(
  table: Pick<WeekStats, "listWeeks"> & { readSummary(week: IsoWeek): Promise<WeekSummary> },
  range: WeekRange,
): Promise<WeekTrend> {
  const open = range.from === undefined || range.to === undefined;
  const resolved = resolveTrendRange(range, open ? await table.listWeeks() : []);
  if (resolved === undefined) return { weeks: [] };
  const weeks = weeksOf(resolved);
  const summaries = await mapWithConcurrency(weeks, TREND_READ_CONCURRENCY, (week) => table.readSummary(week));
  return toWeekTrend(weeks, new Map(weeks.map((week, i) => [week, summaries[i]!])));
}
