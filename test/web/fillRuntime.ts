/**
 * Fills a running local runtime for the dashboard test with the fleet simulator (issue 10,
 * scripts/simulator/): a small seeded fleet over the last whole weeks, some of it offline
 * and sent in batches, some sent twice, then waits until aggregation has taken all of it in
 * and the simulator's own verification finds every figure as expected. The one place that
 * decides what the dashboard is tested against.
 */
import assert from "node:assert/strict";
import { isoWeekOf, weeksBetween, type IsoWeek } from "../../shared/isoWeek";
import { confirmedDocuments, runSimulation } from "../../scripts/simulator/runSimulation";
import { verifyStats } from "../../scripts/simulator/verifyStats";

export interface RuntimeKeys {
  ingest: string;
  query: string;
}

export interface FillRuntimeOptions {
  hierarchies?: number;
  weeks?: number;
  seed?: number;
  /** How long aggregation may take before the fill gives up. */
  timeoutMs?: number;
}

/** What was sent: the weeks, oldest first, and how many hierarchies the fleet has. */
export interface FilledFleet {
  weeks: IsoWeek[];
  hierarchies: number;
}

const DAY_MS = 86_400_000;

/**
 * Simulates `hierarchies` SCPs over the `weeks` whole weeks before the current one (so no
 * collectedAt is in the future), then verifies the service against the simulator's
 * expectation: the dashboard is then compared with routes known to be right.
 */
export async function fillRuntime(url: string, keys: RuntimeKeys, options: FillRuntimeOptions = {}): Promise<FilledFleet> {
  const { hierarchies = 40, weeks: weekCount = 6, seed = 11, timeoutMs = 120_000 } = options;
  const last = isoWeekOf(new Date(Date.now() - 7 * DAY_MS));
  const weeks = weeksBetween(isoWeekOf(new Date(Date.now() - 7 * weekCount * DAY_MS)), last);
  const run = await runSimulation({
    seed,
    hierarchies,
    weeks,
    offlineShare: 0.2,
    duplicateShare: 0.1,
    concurrency: 4,
    client: { url, ingestKey: keys.ingest },
  });
  const report = await verifyStats(confirmedDocuments(run), { url, queryKey: keys.query, waitMs: timeoutMs });
  assert.deepEqual(report.differences.slice(0, 5), [], `the simulator found ${report.differences.length} difference(s) before the dashboard was opened`);
  return { weeks, hierarchies };
}
