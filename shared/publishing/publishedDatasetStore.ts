/**
 * The port publishing writes the weekly Parquet dataset through (contract section 4.3): a
 * week's file and the `_published.json` manifest, each written only if it is still as it was
 * read. shared/storage/weeklyDimensionsDataset.ts implements it; publishing never imports storage.
 */
import type { IsoWeek } from "../isoWeek";
import type { PublishedRow, PublishedSummary } from "./publishedRows";

/** The dataset's folder in the `datasets` container. */
export const DATASET_FOLDER = "weekly-dimensions";

/** Where the manifest of published weeks is, in the `datasets` container. */
export const MANIFEST_PATH = `${DATASET_FOLDER}/_published.json`;

/** A week's file, in the `datasets` container: Hive-style `week=` so that readers see `week` as a partition column. */
export function weekFilePath(week: IsoWeek): string {
  return `${DATASET_FOLDER}/week=${week}/part-0.parquet`;
}

/** One week of `_published.json`. */
export interface DatasetManifestEntry {
  week: IsoWeek;
  /** The aggregation state the week's file shows (the table's `~published` asOf). */
  asOf: Date;
  /** The week's snapshots. */
  hierarchies: number;
  /** The week's file, relative to the container. */
  path: string;
}

/** `_published.json`: `{weeks:[{week, asOf, hierarchies, path}]}`, oldest week first. */
export interface DatasetManifest {
  weeks: DatasetManifestEntry[];
}

/** What a publish finds before it writes; `etag` undefined when there is nothing yet. */
export interface DatasetFileState {
  asOf: Date | undefined;
  etag: string | undefined;
}

export interface DatasetManifestState {
  manifest: DatasetManifest;
  etag: string | undefined;
}

/** `conflict`: another publish wrote (or created) the blob since it was read. */
export type DatasetWriteResponse = "written" | "conflict";

export interface PublishedDatasetStore {
  /** The `asOf` and ETag of a week's file, both undefined when it has none. */
  readWeekFile(week: IsoWeek): Promise<DatasetFileState>;
  /** Replaces a week's file whole with these rows if it is still as read (`etag`, or absent when undefined). */
  writeWeekFile(week: IsoWeek, rows: readonly PublishedRow[], summary: PublishedSummary, etag: string | undefined): Promise<DatasetWriteResponse>;
  /** The manifest and its ETag; an empty manifest and undefined when there is none yet. */
  readManifest(): Promise<DatasetManifestState>;
  /** Replaces the manifest if it is still as read (`etag`, or absent when undefined). */
  writeManifest(manifest: DatasetManifest, etag: string | undefined): Promise<DatasetWriteResponse>;
}
