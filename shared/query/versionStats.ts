import { weekSummaryOf, type WeekRollup } from "../aggregation/weekRollup";
import type { CsvTable } from "../http/csv";
import type { IsoWeek } from "../isoWeek";
import { newestVersionFirst } from "./ordering";
import type { VersionCount, VersionStats } from "../resultsV1";

/** The body of `GET /api/v1/stats/versions` and its rows, as schemas/results.v1.schema.json defines them. */
export type { VersionCount, VersionStats };

/** The versions statistics of a week from its rollup (its `version` dimension); an empty rollup gives zeros and no versions. */
export function toVersionStats(week: IsoWeek, rollup: Pick<WeekRollup, "hierarchies" | "clients" | "dimensions">): VersionStats {
  const versions: VersionCount[] = [];
  for (const [version, v] of weekSummaryOf(rollup).versions) versions.push({ version, hierarchies: v.hierarchies, clients: v.clients });
  versions.sort((a, b) => newestVersionFirst(a.version, b.version));
  return { week, hierarchies: rollup.hierarchies, clients: rollup.clients, versions };
}

/** The CSV form: `version,hierarchies,clients`, one row per version (the week and totals are in the request and the JSON form). */
export function toVersionStatsCsv(stats: VersionStats): CsvTable {
  return { header: ["version", "hierarchies", "clients"], rows: stats.versions.map((v) => [v.version, v.hierarchies, v.clients]) };
}
