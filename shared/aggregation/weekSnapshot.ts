/**
 * What aggregation keeps of one hierarchy's week: the history row the weeks route shows, and
 * the snapshot that counts in the week's statistics. Storage encodes them
 * (hierarchyWeeksTable.ts, weeklyStatsTable.ts); they are the domain's.
 */
import type { IsoWeek } from "../isoWeek";
import type { Contribution, Placement } from "./weekRollup";

/** One row of a hierarchy's history: its snapshot for a week, as the weeks route returns it. */
export interface HierarchyWeek {
  hierarchyId: string;
  hierarchyKey: string;
  week: IsoWeek;
  docId: string;
  collectedAt: string;
  level: string;
  version: string;
  build: string;
  sites: number;
  clients: number;
}

/** A hierarchy's snapshot for one week: its history row, plus what the document contributes and where it was counted. */
export interface WeekSnapshot extends HierarchyWeek {
  contribution: Contribution;
  placement: Placement;
}
