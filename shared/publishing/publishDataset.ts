import { setTimeout as pause } from "node:timers/promises";
import { ContentionError } from "../errors";
import type { IsoWeek } from "../isoWeek";
import { weekFilePath, type DatasetManifest, type DatasetManifestEntry, type PublishedDatasetStore } from "./publishedDatasetStore";
import type { PublishedRow, PublishedSummary } from "./publishedRows";

export interface PublishDatasetOptions {
  /** Conditional writes tried in a row while other publishes keep writing in between; then ContentionError. */
  attempts?: number;
  /** The longest pause before a retry, in ms, times the attempt: publishes of other weeks race on the one manifest. */
  backoffMs?: number;
}

/** What publishing the dataset did: `stale` when a file or entry from a later state was already there. */
export interface PublishDatasetResponse {
  file: "written" | "stale";
  manifest: "written" | "stale";
}

/**
 * The manifest with `entry` in place of its week's, weeks in order; undefined when the
 * manifest already shows a later state of that week, which a slower publish must not undo.
 */
export function withWeek(manifest: DatasetManifest, entry: DatasetManifestEntry): DatasetManifest | undefined {
  const current = manifest.weeks.find((w) => w.week === entry.week);
  if (current !== undefined && current.asOf > entry.asOf) return undefined;
  const weeks = [...manifest.weeks.filter((w) => w.week !== entry.week), entry].sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  return { weeks };
}

/** Runs a read-then-conditional-write step until it writes or finds a later state; ContentionError after `attempts`. */
async function untilWritten(what: string, step: () => Promise<"written" | "stale" | "conflict">, options: PublishDatasetOptions): Promise<"written" | "stale"> {
  const attempts = options.attempts ?? 8;
  const backoffMs = options.backoffMs ?? 50;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const outcome = await step();
    if (outcome !== "conflict") return outcome;
    // Jitter, so that publishes of several weeks that collided do not collide again in step.
    await pause(Math.random() * backoffMs * attempt);
  }
  throw new ContentionError(`${what}: other publishes wrote in between ${attempts} attempts in a row`);
}

/**
 * Writes a week's published rows as its Parquet file and records it in `_published.json`
 * (contract section 4.3), from the rows just written to `WeeklyDimensions`, so that table and
 * file cannot disagree.
 *
 * Replaced whole: the file is one blob written by one request, which a reader sees entirely
 * old or entirely new. Each step reads the blob's ETag and the `asOf` it shows, writes only if
 * it is still that ETag, and reads again on a conflict; it leaves a blob that shows a later
 * `asOf` alone. So concurrent publishes of one week never put an older state over a newer one
 * (the last publish after the last change has the latest `asOf` and wins), and publishes of
 * different weeks never lose each other's manifest entries. The file is written before the
 * manifest: an entry never names a state its file does not yet hold.
 *
 * @throws ContentionError when other publishes wrote in between every attempt of a step.
 */
export async function publishDataset(
  week: IsoWeek,
  rows: readonly PublishedRow[],
  summary: PublishedSummary,
  store: PublishedDatasetStore,
  options: PublishDatasetOptions = {},
): Promise<PublishDatasetResponse> {
  const file = await untilWritten(`${week}'s dataset file`, async () => {
    const current = await store.readWeekFile(week);
    if (current.asOf !== undefined && current.asOf > summary.asOf) return "stale";
    return store.writeWeekFile(week, rows, summary, current.etag);
  }, options);
  const entry: DatasetManifestEntry = { week, asOf: summary.asOf, hierarchies: summary.hierarchies, path: weekFilePath(week) };
  const manifest = await untilWritten("the dataset manifest", async () => {
    const current = await store.readManifest();
    const next = withWeek(current.manifest, entry);
    if (next === undefined) return "stale";
    return store.writeManifest(next, current.etag);
  }, options);
  return { file, manifest };
}
