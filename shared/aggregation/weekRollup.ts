import type { UsageV1 } from "../validation/usageV1";

/**
 * What one snapshot adds to its week's statistics. Maps are `Map`s, never plain objects:
 * an OS or feature may be called `__proto__` or `constructor`.
 */
export interface Contribution {
  clients: number;
  version: string;
  /** enhanced or full: counted in the features statistics. */
  featureLevel: boolean;
  os: Map<string, number>;
  features: Map<string, { enabled: boolean; uses: number }>;
}

/** A week's statistics (or one shard's part of them), as sums over snapshots. */
export interface WeekRollup {
  hierarchies: number;
  clients: number;
  /** Snapshots at enhanced or full. */
  featureHierarchies: number;
  versions: Map<string, { hierarchies: number; clients: number }>;
  /** `named`: how many snapshots name the OS, so that one named with 0 clients is still listed. */
  os: Map<string, { clients: number; named: number }>;
  features: Map<string, { enabledHierarchies: number; uses: number; named: number }>;
}

/** The statistics of no snapshot at all. */
export function emptyRollup(): WeekRollup {
  return { hierarchies: 0, clients: 0, featureHierarchies: 0, versions: new Map(), os: new Map(), features: new Map() };
}

/** The part of a validated document that the weekly statistics count. */
export function contributionOf(doc: Pick<UsageV1, "clients" | "product" | "level" | "features">): Contribution {
  const featureLevel = doc.level !== "basic";
  return {
    clients: doc.clients.total,
    version: doc.product.version,
    featureLevel,
    // Object.entries reads own properties only, `__proto__` included, as JSON.parse made them.
    os: new Map(Object.entries(doc.clients.byOs)),
    features: new Map(
      featureLevel ? Object.entries(doc.features ?? {}).map(([name, f]) => [name, { enabled: f.enabled, uses: f.uses ?? 0 }]) : [],
    ),
  };
}

/** Adds `sign` (+1 or -1) times a contribution to a rollup, in place; entries that reach zero are dropped. */
export function applyContribution(rollup: WeekRollup, c: Contribution, sign: 1 | -1): void {
  rollup.hierarchies += sign;
  rollup.clients += sign * c.clients;
  if (c.featureLevel) rollup.featureHierarchies += sign;
  const version = rollup.versions.get(c.version) ?? { hierarchies: 0, clients: 0 };
  version.hierarchies += sign;
  version.clients += sign * c.clients;
  if (version.hierarchies === 0) rollup.versions.delete(c.version);
  else rollup.versions.set(c.version, version);
  for (const [name, clients] of c.os) {
    const os = rollup.os.get(name) ?? { clients: 0, named: 0 };
    os.clients += sign * clients;
    os.named += sign;
    if (os.named === 0) rollup.os.delete(name);
    else rollup.os.set(name, os);
  }
  for (const [name, f] of c.features) {
    const feature = rollup.features.get(name) ?? { enabledHierarchies: 0, uses: 0, named: 0 };
    feature.enabledHierarchies += f.enabled ? sign : 0;
    feature.uses += sign * f.uses;
    feature.named += sign;
    if (feature.named === 0) rollup.features.delete(name);
    else rollup.features.set(name, feature);
  }
}

/** The sum of several rollups (a week's shards). */
export function mergeRollups(parts: Iterable<WeekRollup>): WeekRollup {
  const total = emptyRollup();
  for (const part of parts) {
    total.hierarchies += part.hierarchies;
    total.clients += part.clients;
    total.featureHierarchies += part.featureHierarchies;
    for (const [key, v] of part.versions) {
      const t = total.versions.get(key) ?? { hierarchies: 0, clients: 0 };
      total.versions.set(key, { hierarchies: t.hierarchies + v.hierarchies, clients: t.clients + v.clients });
    }
    for (const [key, v] of part.os) {
      const t = total.os.get(key) ?? { clients: 0, named: 0 };
      total.os.set(key, { clients: t.clients + v.clients, named: t.named + v.named });
    }
    for (const [key, v] of part.features) {
      const t = total.features.get(key) ?? { enabledHierarchies: 0, uses: 0, named: 0 };
      total.features.set(key, { enabledHierarchies: t.enabledHierarchies + v.enabledHierarchies, uses: t.uses + v.uses, named: t.named + v.named });
    }
  }
  return total;
}

/**
 * An RFC 3339 UTC instant as [whole seconds, fraction padded to 9 digits]: the schema allows
 * nanoseconds (.NET writes 7 digits), which a Date would cut to milliseconds.
 */
function instantOf(text: string): [number, string] {
  const match = /^(.*?)(?:\.(\d+))?Z$/i.exec(text);
  return [Date.parse(`${match?.[1] ?? text}Z`), (match?.[2] ?? "").padEnd(9, "0")];
}

/** Snapshot order: the later `collectedAt` wins, ties go to the greater docId (contract section 4). */
export function compareSnapshots(a: { collectedAt: string; docId: string }, b: { collectedAt: string; docId: string }): number {
  const [sa, fa] = instantOf(a.collectedAt);
  const [sb, fb] = instantOf(b.collectedAt);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (fa !== fb) return fa < fb ? -1 : 1;
  const da = a.docId.toLowerCase();
  const db = b.docId.toLowerCase();
  return da === db ? 0 : da < db ? -1 : 1;
}
