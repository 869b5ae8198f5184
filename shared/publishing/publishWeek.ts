import { dimensions } from "../aggregation/dimensions";
import { emptyDimensionRollup, type DimensionRollupReader } from "../aggregation/dimensionRollup";
import { ContentionError } from "../errors";
import type { IsoWeek } from "../isoWeek";
import { toDimensionStats } from "../query/dimensionStats";
import type { WeeklyDimensionsTable } from "../storage/weeklyDimensionsTable";
import { publishedRowKey } from "../storage/weeklyDimensionsTable";
import { toPublishedRows, type PublishedRow } from "./publishedRows";

/** What publishing a week needs. */
export interface PublishWeekDeps {
  reader: Pick<DimensionRollupReader, "readDimensions">;
  table: Pick<WeeklyDimensionsTable, "readPartition" | "writeRows" | "deleteRows" | "writeSummary">;
  /** The folding applied (STATS_MIN_HIERARCHIES), as the routes apply it by default. */
  minHierarchies: number;
}

export interface PublishWeekOptions {
  /** The clock, for `asOf` (tests pass one). */
  now?: () => Date;
  /** Publishes tried in a row when other publishes of the week keep writing in between; then ContentionError. */
  attempts?: number;
}

export interface PublishWeekResponse {
  week: IsoWeek;
  /** Value and distribution rows written. */
  written: number;
  /** Rows of values that disappeared, deleted. */
  deleted: number;
  /** Publishes tried (more than 1 when another publish of the week overlapped). */
  attempts: number;
  asOf: Date;
}

/**
 * Why a week's total is the `version` dimension's: every snapshot, at every level, carries
 * `product.version`, so that dimension applies to all of them (as `/stats/versions` counts).
 */
const EVERY_SNAPSHOT_DIMENSION = "version";

/** The rows `GET /api/v1/stats/dimensions/{name}?week=` would answer for every dimension of a week, and the week's snapshots. */
async function computeRows(week: IsoWeek, deps: PublishWeekDeps): Promise<{ rows: PublishedRow[]; hierarchies: number }> {
  const rollups = await deps.reader.readDimensions(week);
  let hierarchies = 0;
  const rows = dimensions.flatMap((dimension) => {
    const stats = toDimensionStats(week, dimension, rollups.get(dimension.name) ?? emptyDimensionRollup(dimension.kind), { minHierarchies: deps.minHierarchies });
    if (dimension.name === EVERY_SNAPSHOT_DIMENSION) hierarchies = stats.hierarchies;
    return toPublishedRows(stats);
  });
  return { rows, hierarchies };
}

/**
 * Recomputes a week's `WeeklyDimensions` rows from its rollups and makes the table hold
 * exactly them (contract section 4.2): reads what the partition holds, reads the rollups,
 * upserts every row, deletes the rows of values that are gone, and last writes `~published`,
 * guarded by the ETag it had at the start.
 *
 * Why it converges: every step can be repeated. A crash anywhere leaves the request on the
 * queue, and the next attempt reads the partition again, so rows left by a crash before the
 * deletes are deleted then. Two publishes of the same week that overlap could leave the older
 * state's rows last; but only one of them can write `~published` over the ETag both read, and
 * the other starts again from fresh reads, so the last to finish shows the newest state.
 * `asOf` is taken before the rollups are read: every change committed before it is shown.
 *
 * @throws ContentionError when other publishes of the week overlapped every attempt.
 */
export async function publishWeek(week: IsoWeek, deps: PublishWeekDeps, options: PublishWeekOptions = {}): Promise<PublishWeekResponse> {
  const now = options.now ?? (() => new Date());
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const before = await deps.table.readPartition(week);
    const asOf = now();
    const { rows, hierarchies } = await computeRows(week, deps);
    await deps.table.writeRows(week, rows);
    const keep = new Set(rows.map((row) => publishedRowKey(row)));
    const gone = before.rowKeys.filter((key) => !keep.has(key));
    await deps.table.deleteRows(week, gone);
    const summary = await deps.table.writeSummary(week, { asOf, hierarchies, minHierarchies: deps.minHierarchies }, before.publishedEtag);
    if (summary === "written") return { week, written: rows.length, deleted: gone.length, attempts: attempt, asOf };
  }
  throw new ContentionError(`${week}: other publishes of the week overlapped ${attempts} attempts in a row`);
}
