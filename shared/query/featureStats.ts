import type { WeekRollup } from "../aggregation/weekRollup";
import type { CsvTable } from "../http/csv";
import type { IsoWeek } from "../isoWeek";
import { largestFirstThenByName } from "./ordering";
import type { FeatureCount, FeatureStats } from "../resultsV1";

/** The body of `GET /api/v1/stats/features` and its rows, as schemas/results.v1.schema.json defines them. */
export type { FeatureCount, FeatureStats };

/** The feature statistics of a week: every feature any snapshot names, enabled or not. */
export function toFeatureStats(week: IsoWeek, rollup: Pick<WeekRollup, "featureHierarchies" | "features">): FeatureStats {
  const features: FeatureCount[] = [];
  for (const [name, f] of rollup.features) if (f.named > 0) features.push({ name, enabledHierarchies: f.enabledHierarchies, uses: f.uses });
  features.sort(largestFirstThenByName((f) => f.enabledHierarchies));
  return { week, hierarchies: rollup.featureHierarchies, features };
}

/** The CSV form: `name,enabledHierarchies,uses`. */
export function toFeatureStatsCsv(stats: FeatureStats): CsvTable {
  return { header: ["name", "enabledHierarchies", "uses"], rows: stats.features.map((f) => [f.name, f.enabledHierarchies, f.uses]) };
}
