import { randomBytes } from "node:crypto";
import { WeekStats } from "../aggregation/weekStats";
import { aggregateDocument, type AggregationDeps } from "../aggregation/aggregateDocument";
import { lockExpiresAt, sightLock, type LockSighting, type RebuildLock } from "../aggregation/rebuildLock";
import type { WeekSnapshot } from "../aggregation/weekSnapshot";
import type { WeekStatsStore } from "../aggregation/weekStatsStore";
import { rebuildLockSettings } from "../config";
import { sha256Hex } from "../sha256Hex";
import { weeksBetween, type IsoWeek } from "../isoWeek";
import type { ClaimCheck } from "../storage/claimCheck";
import type { HistoryStore } from "../aggregation/historyStore";
import type { HierarchyWeeksTable } from "../storage/hierarchyWeeksTable";
import { documentTypes } from "../validation/documentTypes";
import { parseRawBlobName, rawBlobName } from "../storage/rawArchive";

/** What a rebuild runs on: live aggregation's dependencies, and removing history rows. */
export type RebuildDeps = AggregationDeps<ClaimCheck> & { hierarchyWeeks: HistoryStore & Pick<HierarchyWeeksTable, "remove"> };

export type RebuildLockSettings = { readonly [K in keyof typeof rebuildLockSettings]: number };

export interface RebuildOptions {
  /** Clear a week even when the raw archive holds nothing for it (its documents expired). */
  force?: boolean;
  /** Report what would be done, change nothing. */
  dryRun?: boolean;
  /** Documents aggregated at once. */
  concurrency?: number;
  /** Names the lock holder, for an operator who finds a lock left behind; each run adds `#<random>` to make it its own. */
  holder?: string;
  /** The lock's timings; config's rebuildLockSettings unless a test shortens them. */
  lockSettings?: RebuildLockSettings;
}

/** The rebuild lost its week's lock: it was not renewed in time, so live aggregation may already count the week again. */
export class RebuildLeaseLostError extends Error {
  override readonly name = "RebuildLeaseLostError";
}

/** Another rebuild holds the week's lock (and it has not expired): this one did nothing. */
export class RebuildRefusedError extends Error {
  override readonly name = "RebuildRefusedError";
}

/**
 * A rebuild's hold on its week: the lock row, renewed every `renewSeconds` (a heartbeat) so
 * that it stands while the rebuild runs and expires soon after the rebuild stops, however it
 * stops. The row is only ever written with an ETag condition: taken if absent (or, once
 * expired, if still the expired row that was read), renewed and deleted only with the ETag
 * this lease last wrote, so a lock is renewed and released only by its owner. A renewal that
 * finds another ETag has lost the lease. `assertHeld` is called between steps: a rebuild
 * whose lease lapsed (its process stalled past it, storage refused the renewals, or another
 * rebuild took the expired lock over) stops, because live aggregation may have counted
 * documents of the week meanwhile that the rebuild is about to clear.
 */
class WeekLease {
  private timer: NodeJS.Timeout | undefined;
  /** The renewal in flight, if any: a release waits for it, or it would write the lock again after the delete. */
  private renewing: Promise<void> | undefined;
  private stopped = false;
  private lost = false;

  private constructor(
    private readonly week: IsoWeek,
    private readonly table: WeekStatsStore,
    private readonly lock: RebuildLock,
    private readonly settings: RebuildLockSettings,
    /** Until when the lock last written holds (epoch ms). */
    private expiresAt: number,
    private etag: string,
  ) {}

  static async take(week: IsoWeek, table: WeekStatsStore, holder: string, settings: RebuildLockSettings): Promise<WeekLease> {
    const now = Date.now();
    const expiresAt = now + settings.leaseSeconds * 1000;
    const lock = { holder, since: new Date(now).toISOString(), expiresAt: new Date(expiresAt).toISOString() };
    const created = await table.createLock(week, lock);
    let etag = created.outcome === "taken" ? created.etag : undefined;
    if (created.outcome === "held") {
      const standing = sightLock(created.lock.value, now);
      // An expired lock is a dead rebuild's: taken over only if nobody else did since it was read.
      if (standing.expired) etag = await table.replaceLock(week, lock, created.lock.etag);
      if (etag === undefined) {
        const by = standing.expired ? "another rebuild that took its expired lock over" : `${standing.holder} (locked ${standing.ageSeconds}s ago)`;
        throw new RebuildRefusedError(`${week} is being rebuilt by ${by}; not rebuilding it twice at once. npm run reaggregate -- --status shows the lock.`);
      }
    }
    const lease = new WeekLease(week, table, lock, settings, expiresAt, etag!);
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
    if (this.stopped || this.lost) return;
    const expiresAt = Date.now() + this.settings.leaseSeconds * 1000;
    try {
      const etag = await this.table.replaceLock(this.week, { ...this.lock, expiresAt: new Date(expiresAt).toISOString() }, this.etag);
      if (etag === undefined) {
        this.lost = true;
        return;
      }
      this.etag = etag;
      this.expiresAt = expiresAt;
    } catch {
      // The next renewal tries again; assertHeld stops the rebuild if none succeeds in time.
    }
  }

  assertHeld(): void {
    if (this.lost) throw new RebuildLeaseLostError(`the rebuild lock of ${this.week} was taken over; live aggregation may count the week again`);
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
    if (!this.lost) await this.table.deleteLock(this.week, this.etag);
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

/** The document's version: its old-layout name says it, otherwise the body does (its `schemaVersion`, which equals the docVersion it was accepted as). */
function versionOf(named: number | undefined, body: string): number | undefined {
  if (named !== undefined) return named;
  try {
    const version = (JSON.parse(body) as { schemaVersion?: unknown } | null)?.schemaVersion;
    return typeof version === "number" ? version : undefined;
  } catch {
    return undefined;
  }
}

async function claimFor(name: string, deps: RebuildDeps): Promise<ClaimCheck | undefined> {
  const parts = parseRawBlobName(name);
  const stored = parts === undefined ? undefined : await deps.rawArchive.read(name);
  if (parts === undefined || stored === undefined) return undefined;
  // A body that is not a document still gets its claim: aggregation then refuses it loudly, as before.
  const docVersion = versionOf(parts.docVersion, stored.body) ?? 0;
  return { v: 1, docType: parts.docType, docVersion, docId: parts.docId, blobName: name, sha256: stored.sha256 ?? sha256Hex(stored.body) };
}

/** `reaggregate@host#3f9c0a1e`: the holder, made one run's own. */
const ownerId = (holder: string) => `${holder}#${randomBytes(4).toString("hex")}`;

/**
 * Rebuilds one week's snapshots, rollups and history rows from the raw archive, through the
 * same `aggregateDocument` that live aggregation runs, so the result is the same tables, and
 * loses no document answered 2xx while uploads go on:
 *
 * 1. Lock the week (refused with RebuildRefusedError while another rebuild holds it): live
 *    aggregation defers its messages for it from then on, so whatever was not counted by now
 *    is counted after the rebuild. The lock is renewed while the rebuild runs and expires
 *    after it stops (WeekLease).
 * 2. Only then list the week's raw documents, and ask for the week's republication (it
 *    changes, also when it is left empty).
 * 3. Remove the week's history rows and clear its snapshot and rollup rows, noting the
 *    documents the cleared snapshots counted; clearing repeats until nothing is left,
 *    because a worker that read before the lock may still commit a (consistent) pair.
 * 4. Aggregate every document of the listing and of the cleared snapshots (read by name:
 *    the listing may lag the writes), ignoring the lock (idempotent, any order): what was
 *    counted is counted again.
 * 5. Unlock. Should a step fail, the lock is no longer renewed and expires within a lease;
 *    live messages wait until then (nothing is lost), and running the rebuild again
 *    completes the week.
 */
export async function rebuildWeek(week: IsoWeek, deps: RebuildDeps, options: RebuildOptions = {}): Promise<WeekRebuild> {
  const started = performance.now();
  const listRaw = async () => {
    const names = new Set<string>();
    for await (const name of deps.rawArchive.listByWeek(week, week)) names.add(name);
    return names;
  };
  const report = (status: WeekRebuildStatus, documents: number, previousSnapshots: number, snapshots = previousSnapshots): WeekRebuild => ({
    week,
    status,
    documents,
    previousSnapshots,
    snapshots,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  });
  if (options.dryRun === true) {
    const [names, previous] = await Promise.all([listRaw(), deps.weeklyStats.listSnapshots(week)]);
    return report("dry-run", names.size, previous.length);
  }

  const lease = await WeekLease.take(week, deps.weeklyStats, ownerId(options.holder ?? "reaggregate"), options.lockSettings ?? rebuildLockSettings);
  let documents = 0;
  let previous: WeekSnapshot[] = [];
  try {
    const names = await listRaw();
    previous = await deps.weeklyStats.listSnapshots(week);
    if (names.size === 0 && previous.length > 0 && options.force !== true) {
      await lease.release();
      return report("skipped-no-raw", 0, previous.length);
    }
    await deps.weekChanges?.weekChanging(week);
    await Promise.all(previous.map((snapshot) => deps.hierarchyWeeks.remove(snapshot.hierarchyKey, week)));
    lease.assertHeld();
    const cleared = await deps.weeklyStats.clearWeek(week);
    // A snapshot names its docId, and the blob name is the docType and docId alone (a name
    // with no blob is skipped below). Blobs of the old layout, `usage/v<N>/<docId>.json`, are
    // not added here: they were written before this layout, long enough ago to be listed.
    for (const docId of [...previous.map((s) => s.docId), ...cleared.docIds]) {
      for (const docType of new Set(documentTypes.map((type) => type.docType))) names.add(rawBlobName(docType, docId));
    }
    const pending = [...names];
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.max(1, options.concurrency ?? 8) }, async () => {
        for (let i = next++; i < pending.length; i = next++) {
          lease.assertHeld();
          const claim = await claimFor(pending[i]!, deps);
          if (claim === undefined) continue; // not a document blob, or deleted since (expired)
          await aggregateDocument(claim, deps, { ignoreRebuildLock: true });
          documents += 1;
        }
      }),
    );
    lease.assertHeld();
    await lease.release();
  } finally {
    lease.stop();
  }
  return report("rebuilt", documents, previous.length, (await new WeekStats(deps.weeklyStats).readTotals(week)).hierarchies);
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
export async function listWeekLocks(weeks: readonly IsoWeek[], deps: { weeklyStats: Pick<WeekStatsStore, "readLock"> }, now = Date.now()): Promise<WeekLock[]> {
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
  deps: RebuildDeps,
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
