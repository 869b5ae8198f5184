import type { HierarchyWeekEntry, HierarchyWeeks, Level } from "../resultsV1";
import { NotFoundError } from "../errors";
import type { CsvTable } from "../http/csv";
import type { HierarchyWeek } from "../aggregation/weekSnapshot";
import type { HistoryReader } from "../aggregation/historyStore";
import { compareCodeUnits } from "./ordering";
import type { WeekRange } from "./weekParameters";

/** The body of `GET /api/v1/hierarchies/{id}/weeks` (weeks oldest first) and its weeks, as schemas/results.v1.schema.json defines them. */
export type { HierarchyWeekEntry, HierarchyWeeks };

const isLevel = (text: string): text is Level => text === "basic" || text === "enhanced" || text === "full";

/** A stored level, which aggregation wrote from a validated document: anything else is a bug, never client input. */
function toLevel(stored: string): Level {
  if (!isLevel(stored)) throw new TypeError(`a HierarchyWeeks row holds the level ${JSON.stringify(stored)}`);
  return stored;
}

/** The response from a hierarchy's rows: only the contract's members, oldest week first. */
export function toHierarchyWeeks(hierarchyId: string, rows: readonly HierarchyWeek[]): HierarchyWeeks {
  const weeks = rows.map(({ week, docId, collectedAt, level, version, build, sites, clients }) => ({ week, docId, collectedAt, level: toLevel(level), version, build, sites, clients }));
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
  table: HistoryReader,
  hierarchyKey: string,
  range: WeekRange,
): Promise<HierarchyWeek[]> {
  const rows = await table.list(hierarchyKey, range.from, range.to);
  if (rows.length > 0) return rows;
  const bounded = range.from !== undefined || range.to !== undefined;
  if (bounded && (await table.exists(hierarchyKey))) return rows;
  throw new NotFoundError("No data is known for this hierarchy");
}
