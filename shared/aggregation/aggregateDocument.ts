import { ingestQueueSettings } from "../config";
import type { HistoryStore } from "./historyStore";
import { recordHistory } from "./recordHistory";
import { ContentionError } from "../errors";
import { sha256Hex } from "../sha256Hex";
import { isoWeekOf, type IsoWeek } from "../isoWeek";
import type { RawDocumentSource } from "./rawDocumentSource";
import { sightLock, type LockSighting } from "./rebuildLock";
import type { DocumentClaim, Requeue } from "./requeue";
import type { WeekSnapshot } from "./weekSnapshot";
import type { WeekStatsStore } from "./weekStatsStore";
import type { UsageDocument } from "../validation/usageDocument";
import { shardOf, toHierarchyKey } from "./hierarchyKey";
import type { WeekChangeListener } from "./dimensionRollup";
import { compareSnapshots } from "./compareSnapshots";
import { addContribution, contributionOf, emptyRollup, noPlacement, removeContribution } from "./weekRollup";

/** Points where a test may make aggregation "crash" (throw), to prove redelivery is safe. */
export type FaultPoint = "afterRead" | "beforeCommit" | "afterCommit" | "afterHistory";

export interface AggregationDeps<C extends DocumentClaim = DocumentClaim> {
  rawArchive: RawDocumentSource;
  weeklyStats: WeekStatsStore;
  /** The hierarchy's history row for the week (HierarchyWeeksTable); written after each commit. */
  hierarchyWeeks: HistoryStore;
  /** Where a deferred message goes back (IngestQueue). */
  ingestQueue: Requeue<C>;
  /** Weeks this process has already recorded in the week index; saves a write per document. */
  indexedWeeks?: Set<string>;
  /** Told before a commit changes a week (so that its published rows get recomputed); none: nobody is told. */
  weekChanges?: WeekChangeListener;
  faults?: (point: FaultPoint) => void;
}

export interface AggregateOptions {
  /** Set by a rebuild, which holds the week's lock itself. */
  ignoreRebuildLock?: boolean;
}

/** `counted`: the document became its hierarchy's snapshot; `unchanged`: a later one (or itself) already is; `deferred`: a rebuild holds the week. */
export type AggregateStatus = "counted" | "unchanged" | "deferred";

export interface AggregateResponse {
  status: AggregateStatus;
  docId: string;
  week: IsoWeek;
  /** The week's rebuild lock, when one stood in the way (`deferred`) or was found expired and ignored. */
  lock?: LockSighting;
}

/** A message that no retry can fix (its document is missing or not what was accepted): it goes straight to the poison queue. */
export class PermanentAggregationError extends Error {
  override readonly name = "PermanentAggregationError";
}

// Concurrent workers on one week's shard retry on ETag conflicts; this many is far beyond
// what host.json's 16 in flight per instance produces, and a message that still fails is retried by the queue.
const MAX_COMMIT_ATTEMPTS = 25;

/** The snapshot a validated document makes. */
export function snapshotOf(doc: UsageDocument): WeekSnapshot {
  return {
    hierarchyId: doc.hierarchyId,
    hierarchyKey: toHierarchyKey(doc.hierarchyId),
    week: isoWeekOf(new Date(doc.collectedAt)),
    docId: doc.docId.toLowerCase(),
    collectedAt: doc.collectedAt,
    level: doc.level,
    version: doc.product.version,
    build: doc.product.build,
    sites: doc.sites.length,
    clients: doc.clients.total,
    contribution: contributionOf(doc),
    placement: noPlacement(),
  };
}

async function loadDocument(claim: DocumentClaim, rawArchive: RawDocumentSource): Promise<UsageDocument> {
  const stored = await rawArchive.read(claim.blobName);
  if (stored === undefined) throw new PermanentAggregationError(`raw document ${claim.blobName} is missing`);
  if (sha256Hex(stored.body) !== claim.sha256) {
    throw new PermanentAggregationError(`raw document ${claim.blobName} does not hash to the accepted document's SHA-256`);
  }
  try {
    return JSON.parse(stored.body) as UsageDocument;
  } catch {
    throw new PermanentAggregationError(`raw document ${claim.blobName} is not JSON`);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What counting a snapshot needs (no raw archive: the snapshot is already made). */
export type CountDeps = Pick<AggregationDeps, "weeklyStats" | "hierarchyWeeks" | "indexedWeeks" | "weekChanges" | "faults">;

/** `locked`: a rebuild holds the week and nothing was done. */
export type CountStatus = Exclude<AggregateStatus, "deferred"> | "locked";

/**
 * Makes a snapshot count in its week's statistics, exactly once.
 *
 * The hierarchy's snapshot row and its shard's rollup row change in one entity group
 * transaction, each guarded by the ETag it was read with (or by being absent). The snapshot
 * row says which document is counted, and the rollup row always equals the sum of the
 * snapshots of its shard, so: a duplicate or an older document finds its snapshot at or past
 * itself and changes nothing; a crash before the commit leaves nothing done, and one after
 * it leaves the snapshot already in place; two workers racing on a row cannot both commit.
 * The history row and the week index are written after the commit, idempotently, on every
 * delivery, so a crash between the steps is repaired by the retry. docs/data-model.md has
 * the whole argument. A rebuild lock that has expired is no lock: the week counts again.
 * Before a commit that changes the week, `deps.weekChanges` (when given) is told.
 */
export async function countSnapshot(next: WeekSnapshot, deps: CountDeps, options: AggregateOptions = {}): Promise<CountStatus> {
  return (await countPastLock(next, deps, options)).status;
}

/** countSnapshot, also saying what it saw of the week's rebuild lock. */
async function countPastLock(next: WeekSnapshot, deps: CountDeps, options: AggregateOptions): Promise<{ status: CountStatus; lock?: LockSighting }> {
  const shard = shardOf(next.hierarchyKey);
  let status: CountStatus | undefined;
  let hadSnapshot = false;
  let lock: LockSighting | undefined;
  let told = false;
  for (let attempt = 0; status === undefined; attempt++) {
    if (attempt === MAX_COMMIT_ATTEMPTS) throw new ContentionError(`gave up after ${attempt} conflicting commits on ${next.week}`);
    const state = await deps.weeklyStats.readForUpdate(next.week, next.hierarchyKey, shard);
    lock = state.lock === undefined || options.ignoreRebuildLock === true ? undefined : sightLock(state.lock, Date.now());
    if (lock !== undefined && !lock.expired) return { status: "locked", lock };
    const current = state.snapshot?.value;
    hadSnapshot = current !== undefined;
    if (current !== undefined && compareSnapshots(current, next) >= 0) {
      status = "unchanged";
      break;
    }
    const rollup = state.rollup?.value ?? emptyRollup();
    if (current !== undefined) removeContribution(rollup, current.contribution, current.placement);
    const placed: WeekSnapshot = { ...next, placement: addContribution(rollup, next.contribution, deps.weeklyStats.rollupBudget) };
    deps.faults?.("beforeCommit");
    // Before the commit, so that a crash after it cannot lose the week's republishing; once, as retries change the same week.
    if (!told && deps.weekChanges !== undefined) {
      await deps.weekChanges.weekChanging(next.week);
      told = true;
    }
    if ((await deps.weeklyStats.commit(placed, state.snapshot?.etag, shard, rollup, state.rollup?.etag)) === "committed") {
      status = "counted";
    } else {
      await pause(Math.random() * 20 * Math.min(attempt + 1, 5)); // jitter, so racers spread out
    }
  }
  deps.faults?.("afterCommit");
  // A week that already had a snapshot almost surely has its history row: read it first.
  await recordHistory(deps.hierarchyWeeks, next, hadSnapshot);
  deps.faults?.("afterHistory");
  if (deps.indexedWeeks?.has(next.week) !== true) {
    await deps.weeklyStats.markWeek(next.week);
    deps.indexedWeeks?.add(next.week);
  }
  return lock === undefined ? { status } : { status, lock };
}

/**
 * Makes one accepted document count in its week's statistics, exactly once: loads it from
 * the raw archive (checking it is what was accepted) and counts its snapshot. While a
 * rebuild holds the week, the claim check goes back on the queue with a delay instead; a lock
 * that has expired is reported in the response and otherwise ignored.
 */
export async function aggregateDocument<C extends DocumentClaim>(claim: C, deps: AggregationDeps<C>, options: AggregateOptions = {}): Promise<AggregateResponse> {
  const next = snapshotOf(await loadDocument(claim, deps.rawArchive));
  deps.faults?.("afterRead");
  const { status, lock } = await countPastLock(next, deps, options);
  const seen = lock === undefined ? {} : { lock };
  if (status === "locked") {
    await deps.ingestQueue.send(claim, ingestQueueSettings.rebuildDeferSeconds);
    return { status: "deferred", docId: next.docId, week: next.week, ...seen };
  }
  return { status, docId: next.docId, week: next.week, ...seen };
}
