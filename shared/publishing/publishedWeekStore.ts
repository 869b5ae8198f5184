/**
 * The port publishing writes a week through (contract section 4.2): what it needs of the
 * published table, with its request and response types. shared/storage/weeklyDimensionsTable.ts
 * implements it; publishing never imports storage.
 */
import type { IsoWeek } from "../isoWeek";
import type { PublishedRow, PublishedSummary } from "./publishedRows";

/** What a publish finds in a week's partition before it writes. */
export interface PublishedPartition {
  /** Every RowKey of the week's value and distribution rows (not `~published`). */
  rowKeys: string[];
  /** The ETag of the `~published` row, undefined when the week was never published. */
  publishedEtag: string | undefined;
}

/** A week as the table holds it (for tests and tools; product teams read the table directly). */
export interface PublishedWeek {
  rows: PublishedRow[];
  summary: PublishedSummary | undefined;
}

/** `conflict`: another publish of the week wrote or removed `~published` since it was read. */
export type PublishSummaryResponse = "written" | "conflict";

/**
 * The table refused rows for a reason in them (a value or a transaction over a limit, a
 * request it calls invalid), not because it is away: writing them again cannot help. The
 * message names no value, since values are client text.
 */
export class RowsRefusedError extends Error {
  override readonly name = "RowsRefusedError";
}

export interface PublishedWeekStore {
  /** The keys a week's partition holds now, and the `~published` row's ETag. */
  readPartition(week: IsoWeek): Promise<PublishedPartition>;
  /**
   * Writes (replaces) rows of a week; writing the same rows twice is harmless.
   * @throws RowsRefusedError when the table refuses them for a reason in the rows.
   */
  writeRows(week: IsoWeek, rows: readonly PublishedRow[]): Promise<void>;
  /** Deletes rows of a week by key, a row already gone counting as deleted. */
  deleteRows(week: IsoWeek, rowKeys: readonly string[]): Promise<void>;
  /** Writes `~published` if it is still as `readPartition` found it (`etag`, or absent when undefined). */
  writeSummary(week: IsoWeek, summary: PublishedSummary, etag: string | undefined): Promise<PublishSummaryResponse>;
  /** A week's rows in key order, and its `~published` row. */
  readWeek(week: IsoWeek): Promise<PublishedWeek>;
}
