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

/**
 * The name that collects versions, OS names and features a full rollup row has no room for.
 * Versions ("YYMM") and feature names (`^[a-z]…`) can never be spelled like it.
 */
export const OTHER_NAME = "(other)";

/**
 * Distinct entries one rollup row keeps before new names fold into OTHER_NAME. An entity
 * holds at most 1 MiB (strings count two bytes a character) and a transaction 4 MiB: at
 * these counts, with names at their longest (128 characters), a row stays near 650 KB.
 * Real fleets report a few hundred OS names; the limit is there so that made-up names from
 * a key holder cannot make a week's row unwritable, which would stop it counting anything.
 */
export const rollupCapacity = Object.freeze({ versions: 500, os: 1_500, features: 1_000 });
export type RollupCapacity = { readonly [K in keyof typeof rollupCapacity]: number };

/** Which of a snapshot's entries were counted under OTHER_NAME, so that removing it takes them from there. */
export interface Placement {
  version: boolean;
  os: string[];
  features: string[];
}

export const noPlacement: Readonly<Placement> = Object.freeze({ version: false, os: [], features: [] });

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

/**
 * The key an entry is counted under: its own, or OTHER_NAME when the map (with the names
 * this contribution has already added, `added`) is full and does not know it yet.
 */
function placeKey<V>(map: Map<string, V>, name: string, capacity: number, added: Set<string>, folded: string[]): string {
  if (map.has(name) || added.has(name)) return name;
  if (map.size + added.size < capacity) {
    added.add(name);
    return name;
  }
  folded.push(name);
  return OTHER_NAME;
}

/**
 * Adds a contribution to a rollup (in place) and returns where its entries went; new names
 * that find their map full are counted under OTHER_NAME. Totals stay exact either way.
 */
export function addContribution(rollup: WeekRollup, c: Contribution, capacity: RollupCapacity = rollupCapacity): Placement {
  const placement: Placement = { version: false, os: [], features: [] };
  const versionFolds: string[] = [];
  const versionKey = placeKey(rollup.versions, c.version, capacity.versions, new Set(), versionFolds);
  placement.version = versionFolds.length > 0;
  const newOs = new Set<string>();
  const osKeys = [...c.os.keys()].map((name) => placeKey(rollup.os, name, capacity.os, newOs, placement.os));
  const newFeatures = new Set<string>();
  const featureKeys = [...c.features.keys()].map((name) => placeKey(rollup.features, name, capacity.features, newFeatures, placement.features));
  changeRollup(rollup, c, 1, versionKey, osKeys, featureKeys);
  return placement;
}

/** Takes a contribution out of a rollup (in place), from where `addContribution` put it. */
export function removeContribution(rollup: WeekRollup, c: Contribution, placement: Readonly<Placement> = noPlacement): void {
  const foldedOs = new Set(placement.os);
  const foldedFeatures = new Set(placement.features);
  changeRollup(
    rollup,
    c,
    -1,
    placement.version ? OTHER_NAME : c.version,
    [...c.os.keys()].map((name) => (foldedOs.has(name) ? OTHER_NAME : name)),
    [...c.features.keys()].map((name) => (foldedFeatures.has(name) ? OTHER_NAME : name)),
  );
}

/** Adds `sign` times a contribution under the given keys; entries that reach zero are dropped. */
function changeRollup(rollup: WeekRollup, c: Contribution, sign: 1 | -1, versionKey: string, osKeys: string[], featureKeys: string[]): void {
  rollup.hierarchies += sign;
  rollup.clients += sign * c.clients;
  if (c.featureLevel) rollup.featureHierarchies += sign;
  const version = rollup.versions.get(versionKey) ?? { hierarchies: 0, clients: 0 };
  version.hierarchies += sign;
  version.clients += sign * c.clients;
  if (version.hierarchies === 0) rollup.versions.delete(versionKey);
  else rollup.versions.set(versionKey, version);
  [...c.os.values()].forEach((clients, i) => {
    const key = osKeys[i]!;
    const os = rollup.os.get(key) ?? { clients: 0, named: 0 };
    os.clients += sign * clients;
    os.named += sign;
    if (os.named === 0) rollup.os.delete(key);
    else rollup.os.set(key, os);
  });
  [...c.features.values()].forEach((f, i) => {
    const key = featureKeys[i]!;
    const feature = rollup.features.get(key) ?? { enabledHierarchies: 0, uses: 0, named: 0 };
    feature.enabledHierarchies += f.enabled ? sign : 0;
    feature.uses += sign * f.uses;
    feature.named += sign;
    if (feature.named === 0) rollup.features.delete(key);
    else rollup.features.set(key, feature);
  });
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
