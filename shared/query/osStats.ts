import { dimensionRollupOf, type WeekRollup } from "../aggregation/weekRollup";
import type { CsvTable } from "../http/csv";
import type { IsoWeek } from "../isoWeek";
import { largestFirstThenByName } from "./ordering";
import type { OsCount, OsStats } from "../resultsV1";

/** The body of `GET /api/v1/stats/os` and its rows, as schemas/results.v1.schema.json defines them. */
export type { OsCount, OsStats };

/**
 * The OS statistics of a week from its rollup (its `os` dimension). An OS named by any snapshot is listed, with
 * 0 clients if that is what they report. Output is an array built from the rollup's Map:
 * any name, `__proto__` and `constructor` included, is only ever a value here, never a key.
 */
export function toOsStats(week: IsoWeek, rollup: Pick<WeekRollup, "clients" | "dimensions">): OsStats {
  const os: OsCount[] = [];
  const dimension = dimensionRollupOf(rollup, "os");
  if (dimension.kind !== "distribution") for (const [name, entry] of dimension.values) if (entry.hierarchies > 0) os.push({ name, clients: entry.clients });
  os.sort(largestFirstThenByName((entry) => entry.clients));
  return { week, clients: rollup.clients, os };
}

/** The CSV form: `name,clients`. */
export function toOsStatsCsv(stats: OsStats): CsvTable {
  return { header: ["name", "clients"], rows: stats.os.map((entry) => [entry.name, entry.clients]) };
}
