/**
 * The reference model of contract section 4, written plainly and independently of
 * shared/aggregation: from a set of documents (in any order, with duplicates) to what the
 * statistics must be. Maps only, never objects keyed by names.
 */
import type { UsageV1 } from "../../shared/validation/usageV1";

const DAY = 86_400_000;

/**
 * The ISO week of an instant, by walking: week 1 starts on the Monday on or before 4
 * January; count whole weeks from there. Deliberately not shared/isoWeek.ts, so that a bug
 * there cannot hide in the model too.
 */
function isoWeekOf(instant: Date): string {
  const day = Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate());
  for (const year of [instant.getUTCFullYear() + 1, instant.getUTCFullYear(), instant.getUTCFullYear() - 1]) {
    const jan4 = Date.UTC(year, 0, 4);
    const week1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
    if (day >= week1) return `${year}-W${String(Math.floor((day - week1) / (7 * DAY)) + 1).padStart(2, "0")}`;
  }
  throw new RangeError(`no ISO week for ${instant.toISOString()}`);
}

export interface ModelWeek {
  hierarchies: number;
  clients: number;
  featureHierarchies: number;
  versions: Map<string, { hierarchies: number; clients: number }>;
  os: Map<string, number>;
  features: Map<string, { enabledHierarchies: number; uses: number }>;
}

export interface Model {
  /** week -> hierarchyId -> the document that is the snapshot */
  snapshots: Map<string, Map<string, UsageV1>>;
  weeks: Map<string, ModelWeek>;
}

function later(a: UsageV1, b: UsageV1): UsageV1 {
  // Whole seconds first, then the fraction digit by digit, then the docId.
  const split = (s: string): [number, string] => {
    const [head = s, frac = ""] = s.replace(/Z$/i, "").split(".");
    return [Date.parse(`${head}Z`), frac.padEnd(9, "0")];
  };
  const [sa, fa] = split(a.collectedAt);
  const [sb, fb] = split(b.collectedAt);
  if (sa !== sb) return sa > sb ? a : b;
  if (fa !== fb) return fa > fb ? a : b;
  return a.docId.toLowerCase() >= b.docId.toLowerCase() ? a : b;
}

export function referenceModel(documents: readonly UsageV1[]): Model {
  const snapshots = new Map<string, Map<string, UsageV1>>();
  for (const doc of documents) {
    const week = isoWeekOf(new Date(doc.collectedAt));
    const byHierarchy = snapshots.get(week) ?? new Map<string, UsageV1>();
    const current = byHierarchy.get(doc.hierarchyId);
    byHierarchy.set(doc.hierarchyId, current === undefined ? doc : later(current, doc));
    snapshots.set(week, byHierarchy);
  }
  const weeks = new Map<string, ModelWeek>();
  for (const [week, byHierarchy] of snapshots) {
    const w: ModelWeek = { hierarchies: 0, clients: 0, featureHierarchies: 0, versions: new Map(), os: new Map(), features: new Map() };
    for (const doc of byHierarchy.values()) {
      w.hierarchies += 1;
      w.clients += doc.clients.total;
      const v = w.versions.get(doc.product.version) ?? { hierarchies: 0, clients: 0 };
      w.versions.set(doc.product.version, { hierarchies: v.hierarchies + 1, clients: v.clients + doc.clients.total });
      for (const [name, count] of Object.entries(doc.clients.byOs)) w.os.set(name, (w.os.get(name) ?? 0) + count);
      if (doc.level === "basic") continue;
      w.featureHierarchies += 1;
      for (const [name, feature] of Object.entries(doc.features ?? {})) {
        const f = w.features.get(name) ?? { enabledHierarchies: 0, uses: 0 };
        w.features.set(name, { enabledHierarchies: f.enabledHierarchies + (feature.enabled ? 1 : 0), uses: f.uses + (feature.uses ?? 0) });
      }
    }
    weeks.set(week, w);
  }
  return { snapshots, weeks };
}
