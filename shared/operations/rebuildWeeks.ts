import { WeekStats } from "../aggregation/weekStats";
import { aggregateDocument, lockExpiresAt, sightLock, type AggregationDeps, type LockSighting } from "../aggregation/aggregateDocument";
import { rebuildLockSettings } from "../config";
import { sha256Hex } from "../sha256Hex";
import { weeksBetween, type IsoWeek } from "../isoWeek";
import type { ClaimCheck } from "../storage/claimCheck";
import type { RebuildLock, WeeklyStatsTable } from "../storage/weeklyStatsTable";

export type RebuildLockSettings = { readonly [K in keyof typeof rebuildLockSettings]: number };

export interface RebuildOptions {
  /** Clear a week even when the raw archive holds nothing for it (its documents expired). */
  force?: boolean;
  /** Report what would be done, change nothing. */
  dryRun?: boolean;
  /** Documents aggregated at once. */
  concurrency?: number;
  /** Names the lock holder, for an operator who finds a lock left behind. */
  holder?: string;
  /** The lock's timings; config's rebuildLockSettings unless a test shortens them. */
  lockSettings?: RebuildLockSettings;
}

/** The rebuild lost its week's lock: it was not renewed in time, so live aggregation may already count the week again. */
export class RebuildLeaseLostError extends Error {
  override readonly name = "RebuildLeaseLostError";
}

/**
 * A rebuild's hold on its week: the lock row, renewed every `renewSeconds` (a heartbeat) so
 * that it stands while the rebuild runs and expires soon after the rebuild stops, however it
 * stops. `assertHeld` is called between steps: a rebuild whose lease lapsed (its process
 * stalled past it, or storage refused the renewals) stops, because live aggregation may have
 * counted documents of the week meanwhile that the rebuild is about to clear.
 */
class WeekLease {
  private timer: NodeJS.Timeout | undefined;
  /** The renewal in flight, if any: a release waits for it, or it would write the lock again after the delete. */
  private renewing: Promise<void> | undefined;
  private stopped = false;

  private constructor(
    private readonly week: IsoWeek,
    private readonly table: WeeklyStatsTable,
    private readonly lock: RebuildLock,
    private readonly settings: RebuildLockSettings,
    /** Until when the lock last written holds (epoch ms). */
    private expiresAt: number,
  ) {}

  static async take(week: IsoWeek, table: WeeklyStatsTable, holder: string, settings: RebuildLockSettings): Promise<WeekLease> {
    const now = Date.now();
    const expiresAt = now + settings.leaseSeconds * 1000;
    const lock = { holder, since: new Date(now).toISOString(), expiresAt: new Date(expiresAt).toISOString() };
    await table.lockWeek(week, lock);
    const lease = new WeekLease(week, table, lock, settings, expiresAt);
    lease.schedule();
    return lease;
  }

  private schedule(): void {
    if (this.stopped) return;
    // unref: a forgotten lease must never keep a process alive; each renewal waits for the last.
    this.timer = setTimeout(() => {
      this.renewing = this.renew().finally(() => this.schedule());
    }, this.settings.renewSeconds * 1000).unref();
  }

  private async renew(): Promise<void> {
    if (this.stopped) return;
    const expiresAt = Date.now() + this.settings.leaseSeconds * 1000;
    try {
      await this.table.lockWeek(this.week, { ...this.lock, expiresAt: new Date(expiresAt).toISOString() });
      this.expiresAt = expiresAt;
    } catch {
      // The next renewal tries again; assertHeld stops the rebuild if none succeeds in time.
    }
  }

  assertHeld(): void {
    if (Date.now() < this.expiresAt - this.settings.marginSeconds * 1000) return;
    throw new RebuildLeaseLostError(`the rebuild lock of ${this.week} was not renewed in time; live aggregation may count the week again`);
  }

  /** Stops renewing: the lock expires within a lease unless `release` deletes it. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  async release(): Promise<void> {
    this.stop();
    await this.renewing;
    await this.table.unlockWeek(this.week);
  }
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
 * 1. Lock the week: live aggregation defers its messages for it from then on. The lock is
 *    renewed while the rebuild runs and expires after it stops (WeekLease).
 * 2. Remove the week's history rows and clear its snapshot and rollup rows; clearing repeats
 *    until nothing is left, because a worker that read before the lock may still commit a
 *    (consistent) snapshot-and-rollup pair.
 * 3. Aggregate every raw document of the week, ignoring the lock (idempotent, any order).
 * 4. Unlock. Should a step fail, the lock is no longer renewed and expires within a lease;
 *    live messages wait until then (nothing is lost), and running the rebuild again
 *    completes the week.
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

  const lease = await WeekLease.take(week, deps.weeklyStats, options.holder ?? "reaggregate", options.lockSettings ?? rebuildLockSettings);
  try {
    await Promise.all(previous.map((snapshot) => deps.hierarchyWeeks.remove(snapshot.hierarchyKey, week)));
    lease.assertHeld();
    await deps.weeklyStats.clearWeek(week);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.max(1, options.concurrency ?? 8) }, async () => {
        for (let i = next++; i < names.length; i = next++) {
          lease.assertHeld();
          const claim = await claimFor(names[i]!, deps);
          if (claim === undefined) continue; // not a document blob, or deleted since the listing
          await aggregateDocument(claim, deps, { ignoreRebuildLock: true });
        }
      }),
    );
    lease.assertHeld();
    await lease.release();
  } finally {
    lease.stop();
  }
  return report("rebuilt", (await new WeekStats(deps.weeklyStats).readRollup(week)).hierarchies);
}

/** A week's rebuild lock as an operator sees it. */
export interface WeekLock extends LockSighting {
  week: IsoWeek;
  since: string;
  /** When it expires (or expired), ISO 8601; `unknown` when the row's times do not parse. */
  expiresAt: string;
}

/**
 * The rebuild locks of `weeks`, oldest week first: for `npm run reaggregate -- --status`.
 * A lock still standing long after its rebuild began, or expired, tells an operator that a
 * rebuild died (or still runs) and that the week needs rebuilding again.
 */
export async function listWeekLocks(weeks: readonly IsoWeek[], deps: Pick<AggregationDeps, "weeklyStats">, now = Date.now()): Promise<WeekLock[]> {
  const found: WeekLock[] = [];
  const pending = [...weeks];
  // A point read per week, a few at a time: the week index is short (one row per week with data).
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let week = pending.shift(); week !== undefined; week = pending.shift()) {
        const lock = await deps.weeklyStats.readLock(week);
        if (lock === undefined) continue;
        const expiresAt = lockExpiresAt(lock);
        found.push({ week, since: lock.since, expiresAt: Number.isFinite(expiresAt) ? new Date(expiresAt).toISOString() : "unknown", ...sightLock(lock, now) });
      }
    }),
  );
  return found.sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
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
