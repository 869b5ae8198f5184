import type { WeekRollup } from "../aggregation/weekRollup";
import type { CsvTable } from "../http/csv";
import type { IsoWeek } from "../isoWeek";
import { largestFirstThenByName } from "./ordering";

/** One feature in a week, over the snapshots at enhanced or full. */
export interface FeatureCount {
  name: string;
  /** Snapshots that report it enabled. */
  enabledHierarchies: number;
  /** Sum of `uses`, a missing `uses` counting 0. */
  uses: number;
}

/** The body of `GET /api/v1/stats/features`. */
export interface FeatureStats {
  week: IsoWeek;
  /** Snapshots at enhanced or full: basic ones report no features, so they are not in the denominator. */
  hierarchies: number;
  /** Most enabled first, then by name. */
  features: FeatureCount[];
}

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
