/**
 * Fills WeeklyStats and HierarchyWeeks straight from documents, the way aggregation writes
 * them, so that query tests need neither the queue nor the aggregation trigger. Validation is
 * skipped: tests may seed what they like.
 */
import { countSnapshot, snapshotOf } from "../../shared/aggregation/aggregateDocument";
import { shardOf } from "../../shared/aggregation/hierarchyKey";
import type { IsoWeek } from "../../shared/isoWeek";
import type { Services } from "../../shared/services";
import type { UsageDocument } from "../../shared/validation/usageDocument";

type SeedServices = Pick<Services, "weeklyStats" | "hierarchyWeeks" | "indexedWeeks">;

/** One document, through the same counting step as live aggregation (without the raw archive). */
async function seedDocument(services: SeedServices, doc: UsageDocument): Promise<void> {
  const status = await countSnapshot(snapshotOf(doc), services);
  if (status === "locked") throw new Error(`week of ${doc.docId} is being rebuilt`);
}

/**
 * Many documents: those that share a week and a shard one after the other (they would only
 * conflict), the groups in parallel. Documents of one group are seeded in the order given,
 * so a test can feed a later snapshot before an earlier one. Returns the weeks seeded.
 */
export async function seedWeeks(services: SeedServices, docs: readonly UsageDocument[]): Promise<IsoWeek[]> {
  const groups = new Map<string, UsageDocument[]>();
  for (const doc of docs) {
    const s = snapshotOf(doc);
    const key = `${s.week}|${shardOf(s.hierarchyKey)}`;
    groups.set(key, [...(groups.get(key) ?? []), doc]);
  }
  await Promise.all([...groups.values()].map(async (group) => {
    for (const doc of group) await seedDocument(services, doc);
  }));
  return [...new Set(docs.map((doc) => snapshotOf(doc).week))].sort();
}
