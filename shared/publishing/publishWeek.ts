import { dimensions } from "../aggregation/dimensions";
import { emptyDimensionRollup, type DimensionRollupReader } from "../aggregation/dimensionRollup";
import { ContentionError } from "../errors";
import type { IsoWeek } from "../isoWeek";
import { toDimensionStats } from "../query/dimensionStats";
import { publishDataset } from "./publishDataset";
import type { PublishedDatasetStore } from "./publishedDatasetStore";
import { publishedRowKey } from "./publishedRowKey";
import { toPublishedRows, type PublishedRow } from "./publishedRows";
import { RowsRefusedError, type PublishedWeekStore } from "./publishedWeekStore";

/** What publishing a week needs. */
export interface PublishWeekDeps {
  reader: Pick<DimensionRollupReader, "readDimensions">;
  table: Pick<PublishedWeekStore, "readPartition" | "writeRows" | "deleteRows" | "writeSummary">;
  /** The same rows as the week's Parquet file (contract section 4.3), written once the table holds them. */
  dataset: PublishedDatasetStore;
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
  /** Value and distribution rows written (those of refused dimensions not counted). */
  written: number;
  /** Rows of values that disappeared, deleted. */
  deleted: number;
  /** Publishes tried (more than 1 when another publish of the week overlapped). */
  attempts: number;
  /** Dimensions whose rows the table refused for what they hold: absent from the week, whose other dimensions are published. */
  refused: string[];
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
 * Writes the week's rows; when the table refuses them for what they hold, writes each
 * dimension's rows alone, so that one value the table cannot take costs its own dimension
 * and never the week: the refused dimensions are returned, the rest written. The common
 * case stays one pass of full transactions.
 */
async function writeRowsIsolated(week: IsoWeek, rows: readonly PublishedRow[], table: PublishWeekDeps["table"]): Promise<string[]> {
  try {
    await table.writeRows(week, rows);
    return [];
  } catch (error) {
    if (!(error instanceof RowsRefusedError)) throw error;
  }
  const byDimension = new Map<string, PublishedRow[]>();
  for (const row of rows) byDimension.set(row.dimension, [...(byDimension.get(row.dimension) ?? []), row]);
  const refused: string[] = [];
  for (const [dimension, its] of byDimension) {
    try {
      await table.writeRows(week, its);
    } catch (error) {
      if (!(error instanceof RowsRefusedError)) throw error;
      refused.push(dimension);
    }
  }
  return refused;
}

/**
 * Recomputes a week's `WeeklyDimensions` rows from its rollups and makes the table hold
 * exactly them (contract section 4.2): reads what the partition holds, reads the rollups,
 * upserts every row, deletes the rows of values that are gone, and last writes `~published`,
 * guarded by the ETag it had at the start; then writes the same rows as the week's Parquet
 * file (publishDataset), so that a file never shows rows the table does not.
 *
 * Why it converges: every step can be repeated. A crash anywhere leaves the request on the
 * queue, and the next attempt reads the partition again, so rows left by a crash before the
 * deletes are deleted then. Two publishes of the same week that overlap could leave the older
 * state's rows last; but only one of them can write `~published` over the ETag both read, and
 * the other starts again from fresh reads, so the last to finish shows the newest state.
 * `asOf` is taken before the rollups are read: every change committed before it is shown.
 *
 * A dimension whose rows the table refuses for what they hold (`RowsRefusedError`, never an
 * outage) is left out of the week and named in `refused`: delivering the request again would
 * be refused again, and would hold back every other dimension of the week with it.
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
    const refused = await writeRowsIsolated(week, rows, deps.table);
    const kept = rows.filter((row) => !refused.includes(row.dimension));
    const keep = new Set(kept.map((row) => publishedRowKey(row)));
    // A refused dimension may be half written: all of its rows go, so that it is absent rather than wrong.
    const halfWritten = rows.filter((row) => refused.includes(row.dimension)).map((row) => publishedRowKey(row));
    const gone = [...new Set([...before.rowKeys, ...halfWritten])].filter((key) => !keep.has(key));
    await deps.table.deleteRows(week, gone);
    const summary = { asOf, hierarchies, minHierarchies: deps.minHierarchies };
    if ((await deps.table.writeSummary(week, summary, before.publishedEtag)) !== "written") continue;
    // Only the publish that wrote `~published` writes the file, from the rows it kept.
    await publishDataset(week, kept, summary, deps.dataset);
    return { week, written: kept.length, deleted: gone.length, attempts: attempt, asOf, refused };
  }
  throw new ContentionError(`${week}: other publishes of the week overlapped ${attempts} attempts in a row`);
}
