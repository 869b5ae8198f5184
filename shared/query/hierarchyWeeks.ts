import { NotFoundError } from "../errors";
import type { CsvTable } from "../http/csv";
import type { HierarchyWeek } from "../aggregation/weekSnapshot";
import type { HierarchyWeeksTable } from "../storage/hierarchyWeeksTable";
import { compareCodeUnits } from "./ordering";
import type { WeekRange } from "./weekParameters";

/** One week of a hierarchy: the snapshot that counts for it (`sites` is how many sites it lists). */
export type HierarchyWeekEntry = Omit<HierarchyWeek, "hierarchyId" | "hierarchyKey">;

/** The body of `GET /api/v1/hierarchies/{id}/weeks`. */
export interface HierarchyWeeks {
  /** Standard Base64, as SCPs send it. */
  hierarchyId: string;
  /** Oldest first. */
  weeks: HierarchyWeekEntry[];
}

/** The response from a hierarchy's rows: only the contract's members, oldest week first. */
export function toHierarchyWeeks(hierarchyId: string, rows: readonly HierarchyWeek[]): HierarchyWeeks {
  const weeks = rows.map(({ week, docId, collectedAt, level, version, build, sites, clients }) => ({ week, docId, collectedAt, level, version, build, sites, clients }));
  weeks.sort((a, b) => compareCodeUnits(a.week, b.week));
  return { hierarchyId, weeks };
}

/** The CSV form: `week,docId,collectedAt,level,version,build,sites,clients` (the hierarchy is in the URL). */
export function toHierarchyWeeksCsv(body: HierarchyWeeks): CsvTable {
  return {
    header: ["week", "docId", "collectedAt", "level", "version", "build", "sites", "clients"],
    rows: body.weeks.map((w) => [w.week, w.docId, w.collectedAt, w.level, w.version, w.build, w.sites, w.clients]),
  };
}

/**
 * A hierarchy's rows in a range: one partition query. Only when it finds nothing in a
 * bounded range does a second one ask whether the hierarchy is known at all (an unbounded
 * listing that finds nothing already says it is not). NotFoundError for an unknown hierarchy;
 * a known one with nothing in range gives no rows.
 */
export async function readHierarchyWeeks(
  table: Pick<HierarchyWeeksTable, "list" | "exists">,
  hierarchyKey: string,
  range: WeekRange,
): Promise<HierarchyWeek[]> {
  const rows = await table.list(hierarchyKey, range.from, range.to);
  if (rows.length > 0) return rows;
  const bounded = range.from !== undefined || range.to !== undefined;
  if (bounded && (await table.exists(hierarchyKey))) return rows;
  throw new NotFoundError("No data is known for this hierarchy");
}
