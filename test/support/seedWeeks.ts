/**
 * Fills WeeklyStats and HierarchyWeeks straight from documents, the way aggregation writes
 * them, so that query tests need neither the queue nor the aggregation trigger. Validation is
 * skipped: tests may seed what they like.
 */
import { shardOf, toHierarchyKey } from "../../shared/aggregation/hierarchyKey";
import { applyContribution, compareSnapshots, contributionOf, emptyRollup } from "../../shared/aggregation/weekRollup";
import { isoWeekOf, type IsoWeek } from "../../shared/isoWeek";
import type { Services } from "../../shared/services";
import type { WeekSnapshot } from "../../shared/storage/weeklyStatsTable";
import type { UsageV1 } from "../../shared/validation/usageV1";

type SeedServices = Pick<Services, "weeklyStats" | "hierarchyWeeks">;

/** The snapshot a document would be for its hierarchy and week. */
export function snapshotOf(doc: UsageV1): WeekSnapshot {
  return {
    hierarchyId: doc.hierarchyId,
    hierarchyKey: toHierarchyKey(doc.hierarchyId),
    week: isoWeekOf(new Date(doc.collectedAt)),
    docId: doc.docId,
    collectedAt: doc.collectedAt,
    level: doc.level,
    version: doc.product.version,
    build: doc.product.build,
    sites: doc.sites.length,
    clients: doc.clients.total,
    contribution: contributionOf(doc),
  };
}

const MAX_ATTEMPTS = 20;

/**
 * One document: read the hierarchy's snapshot and its shard's rollup, replace the snapshot
 * if the document is later in snapshot order, commit both under their ETags (again on a
 * conflict), then record the hierarchy's week. The week index is left to seedWeeks.
 */
async function seedDocument(services: SeedServices, doc: UsageV1): Promise<void> {
  const snapshot = snapshotOf(doc);
  const shard = shardOf(snapshot.hierarchyKey);
  for (let attempt = 0; ; attempt++) {
    if (attempt === MAX_ATTEMPTS) throw new Error(`seeding ${doc.docId}: ${MAX_ATTEMPTS} conflicts in a row`);
    const state = await services.weeklyStats.readForUpdate(snapshot.week, snapshot.hierarchyKey, shard);
    if (state.rebuilding) throw new Error(`week ${snapshot.week} is being rebuilt`);
    const current = state.snapshot?.value;
    if (current !== undefined && compareSnapshots(current, snapshot) >= 0) break;
    const rollup = state.rollup?.value ?? emptyRollup();
    if (current !== undefined) applyContribution(rollup, current.contribution, -1);
    applyContribution(rollup, snapshot.contribution, 1);
    const outcome = await services.weeklyStats.commit(snapshot, state.snapshot?.etag, shard, rollup, state.rollup?.etag);
    if (outcome === "committed") break;
  }
  const { hierarchyId, hierarchyKey, week, docId, collectedAt, level, version, build, sites, clients } = snapshot;
  await services.hierarchyWeeks.record({ hierarchyId, hierarchyKey, week, docId, collectedAt, level, version, build, sites, clients });
}

/**
 * Many documents: those that share a week and a shard one after the other (they would only
 * conflict), the groups in parallel. Documents of one group are seeded in the order given,
 * so a test can feed a later snapshot before an earlier one. Each week is indexed once, at the
 * end, as aggregation's per-process cache of indexed weeks makes it. Returns the weeks seeded.
 */
export async function seedWeeks(services: SeedServices, docs: readonly UsageV1[]): Promise<IsoWeek[]> {
  const groups = new Map<string, UsageV1[]>();
  for (const doc of docs) {
    const s = snapshotOf(doc);
    const key = `${s.week}|${shardOf(s.hierarchyKey)}`;
    groups.set(key, [...(groups.get(key) ?? []), doc]);
  }
  await Promise.all([...groups.values()].map(async (group) => {
    for (const doc of group) await seedDocument(services, doc);
  }));
  const weeks = [...new Set(docs.map((doc) => snapshotOf(doc).week))].sort();
  for (const week of weeks) await services.weeklyStats.markWeek(week);
  return weeks;
}
