/**
 * The port aggregation records a hierarchy's history through: one row per hierarchy and
 * week (the weeks route's rows), with its request and response types.
 * shared/storage/hierarchyWeeksTable.ts implements it; the rule that decides what is written
 * is recordHistory.ts.
 */
import type { IsoWeek } from "../isoWeek";
import type { HierarchyWeek } from "./weekSnapshot";

/** A history row as read, with the version a conditional replace names. */
export interface StoredHistoryRow {
  row: HierarchyWeek;
  etag: string;
}

/** `exists`: the hierarchy already has a row for the week. */
export type CreateHistoryResponse = "created" | "exists";

/** `changed`: the row was rewritten or removed since it was read. */
export type ReplaceHistoryResponse = "replaced" | "changed";

/** What the weeks route reads of a hierarchy's history. */
export interface HistoryReader {
  /** The hierarchy's weeks from `from` to `to` (inclusive, either open), oldest first. */
  list(hierarchyKey: string, from?: IsoWeek, to?: IsoWeek): Promise<HierarchyWeek[]>;
  /** True when the hierarchy has any week at all. */
  exists(hierarchyKey: string): Promise<boolean>;
}

export interface HistoryStore {
  /** Writes the row unless the hierarchy already has one for its week. */
  create(row: HierarchyWeek): Promise<CreateHistoryResponse>;
  /** The hierarchy's row for the week, undefined when there is none. */
  read(hierarchyKey: string, week: IsoWeek): Promise<StoredHistoryRow | undefined>;
  /** Replaces the row if it is still the version `etag` names. */
  replace(row: HierarchyWeek, etag: string): Promise<ReplaceHistoryResponse>;
}
