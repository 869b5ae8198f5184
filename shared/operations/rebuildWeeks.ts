import { aggregateDocument, type AggregationDeps } from "../aggregation/aggregateDocument";
import { sha256Hex } from "../ingestion/canonicalJson";
import { weeksBetween, type IsoWeek } from "../isoWeek";
import type { ClaimCheck } from "../storage/claimCheck";

export interface RebuildOptions {
  /** Clear a week even when the raw archive holds nothing for it (its documents expired). */
  force?: boolean;
  /** Report what would be done, change nothing. */
  dryRun?: boolean;
  /** Documents aggregated at once. */
  concurrency?: number;
  /** Names the lock holder, for an operator who finds a lock left behind. */
  holder?: string;
}

export type WeekRebuildStatus = "rebuilt" | "skipped-no-raw" | "dry-run";

export interface WeekRebuild {
  week: IsoWeek;
  status: WeekRebuildStatus;
  documents: number;
  /** Snapshots (hierarchies) the week had before, and has after. */
  previousSnapshots: number;
  snapshots: number;
  seconds: number;
}

const RAW_NAME = /^([a-z]+)\/v(\d+)\/([0-9a-fA-F-]{36})\.json$/;

async function claimFor(name: string, deps: AggregationDeps): Promise<ClaimCheck | undefined> {
  const match = RAW_NAME.exec(name);
  const stored = match === null ? undefined : await deps.rawArchive.read(name);
  if (match === null || stored === undefined) return undefined;
  return { v: 1, docType: match[1]!, docVersion: Number(match[2]), docId: match[3]!, blobName: name, sha256: stored.sha256 ?? sha256Hex(stored.body) };
}

/**
 * Rebuilds one week's snapshots, rollups and history rows from the raw archive, through the
 * same `aggregateDocument` that live aggregation runs, so the result is the same tables.
 *
 * 1. Lock the week: live aggregation defers its messages for it from then on.
 * 2. Remove the week's history rows and clear its snapshot and rollup rows; clearing repeats
 *    until nothing is left, because a worker that read before the lock may still commit a
 *    (consistent) snapshot-and-rollup pair.
 * 3. Aggregate every raw document of the week, ignoring the lock (idempotent, any order).
 * 4. Unlock. Should a step fail, the week stays locked (live messages keep waiting, nothing
 *    is lost) and running the rebuild again completes it.
 */
export async function rebuildWeek(week: IsoWeek, deps: AggregationDeps, options: RebuildOptions = {}): Promise<WeekRebuild> {
  const started = performance.now();
  const names: string[] = [];
  for await (const name of deps.rawArchive.listByWeek(week, week)) names.push(name);
  const previous = await deps.weeklyStats.listSnapshots(week);
  const report = (status: WeekRebuildStatus, snapshots = previous.length): WeekRebuild => ({
    week,
    status,
    documents: names.length,
    previousSnapshots: previous.length,
    snapshots,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
  if (options.dryRun === true) return report("dry-run");
  if (names.length === 0 && previous.length > 0 && options.force !== true) return report("skipped-no-raw");

  await deps.weeklyStats.lockWeek(week, options.holder ?? "reaggregate");
  await Promise.all(previous.map((snapshot) => deps.hierarchyWeeks.remove(snapshot.hierarchyKey, week)));
  await deps.weeklyStats.clearWeek(week);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency ?? 8) }, async () => {
      for (let i = next++; i < names.length; i = next++) {
        const claim = await claimFor(names[i]!, deps);
        if (claim === undefined) continue; // not a document blob, or deleted since the listing
        await aggregateDocument(claim, deps, { ignoreRebuildLock: true });
      }
    }),
  );
  await deps.weeklyStats.unlockWeek(week);
  return report("rebuilt", (await deps.weeklyStats.readRollup(week)).hierarchies);
}

/** Rebuilds each week from `from` to `to` in turn, reporting each as it finishes. */
export async function rebuildWeeks(
  from: IsoWeek,
  to: IsoWeek,
  deps: AggregationDeps,
  options: RebuildOptions = {},
  onWeek: (result: WeekRebuild) => void = () => undefined,
): Promise<WeekRebuild[]> {
  const results: WeekRebuild[] = [];
  for (const week of weeksBetween(from, to)) {
    const result = await rebuildWeek(week, deps, options);
    results.push(result);
    onWeek(result);
  }
  return results;
}
