import { listWeekLocks } from "../operations/rebuildWeeks";
import type { QueueGauge } from "../storage/queueGauge";
import type { WeeklyStatsTable } from "../storage/weeklyStatsTable";

/** One reading of the queues and the rebuild locks; the fields name the `queueHealth` log line's. */
export interface QueueHealth {
  ingestMessages: number;
  /** Age of the oldest visible ingest message, 0 when none is visible. */
  ingestOldestAgeSeconds: number;
  poisonMessages: number;
  /** Rebuild lock rows, standing or expired (an expired one is a rebuild that died). */
  rebuildLocks: number;
  /** Age of the oldest lock row, 0 when there is none. */
  oldestRebuildLockAgeSeconds: number;
}

/** What a reading takes: gauges over the ingest and poison queues, and the table that holds the rebuild locks. */
export interface QueueHealthDeps {
  ingestQueue: QueueGauge;
  poisonQueue: QueueGauge;
  weeklyStats: WeeklyStatsTable;
}

/**
 * Measures what the alerts watch: how far aggregation is behind (the oldest ingest message),
 * what gave up (the poison queue), and rebuild locks that stand too long. The locks are found
 * through the week index, one point read per week with data, instead of a scan of the table
 * for `rebuild-lock` rows, which would read every row of every week.
 */
export async function measureQueueHealth(deps: QueueHealthDeps, now = Date.now()): Promise<QueueHealth> {
  const [ingest, poison, locks] = await Promise.all([
    deps.ingestQueue.read(),
    deps.poisonQueue.read(),
    deps.weeklyStats.listWeeks().then((weeks) => listWeekLocks(weeks, deps, now)),
  ]);
  const front = ingest.frontInsertedOn?.getTime();
  return {
    ingestMessages: ingest.approximateMessages,
    ingestOldestAgeSeconds: front === undefined ? 0 : Math.max(0, Math.floor((now - front) / 1000)),
    poisonMessages: poison.approximateMessages,
    rebuildLocks: locks.length,
    oldestRebuildLockAgeSeconds: locks.reduce((oldest, lock) => Math.max(oldest, lock.ageSeconds), 0),
  };
}
