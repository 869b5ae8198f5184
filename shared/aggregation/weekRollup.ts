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
 * Versions ("YYMM") and feature names (`^[a-z]…`) can never be spelled like it; an OS can.
 */
export const OTHER_NAME = "(other)";

/** The name→count maps of a rollup. */
export type RollupMap = "versions" | "os" | "features";

/**
 * How much a rollup row holds, in bytes as Azure measures the row. The domain decides which
 * names a row keeps, but only storage knows what a name costs once encoded (JSON escapes, the
 * width a count can grow to, the row's other properties), so storage hands that over as this
 * budget (weeklyStatsTable's `rollupRowBudget`) instead of the domain copying its layout.
 * Made-up names (any 1..128 characters, each escaping to up to six) must never make a row
 * unwritable, which would stop its week counting; so names that do not fit fold into
 * OTHER_NAME, and totals stay exact.
 */
export interface RollupBudget {
  /** What the entries of the three maps may take together, each map's OTHER_NAME entry included. */
  readonly bytes: number;
  /** What the entries of the versions map may take alone (the trend route reads that map on its own). */
  readonly versionBytes: number;
  /** What one entry of `map` costs in the row, whatever its counts grow to. */
  entryBytes(map: RollupMap, name: string): number;
}

/** No bound: every name is counted under itself (for sums that are never written to a row). */
export const unboundedRollup: RollupBudget = Object.freeze({ bytes: Infinity, versionBytes: Infinity, entryBytes: () => 0 });

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
 * What is left of a budget for new names in a row: the row's entries are charged, and room
 * for each map's OTHER_NAME entry is kept aside, so that folding always fits.
 */
function roomIn(rollup: WeekRollup, budget: RollupBudget): (map: RollupMap, name: string) => boolean {
  const charge = (map: RollupMap, names: Iterable<string>) => {
    let bytes = 0;
    for (const name of names) if (name !== OTHER_NAME) bytes += budget.entryBytes(map, name);
    return bytes;
  };
  const others = (["versions", "os", "features"] as const).reduce((sum, map) => sum + budget.entryBytes(map, OTHER_NAME), 0);
  let versions = charge("versions", rollup.versions.keys());
  let all = versions + charge("os", rollup.os.keys()) + charge("features", rollup.features.keys());
  return (map, name) => {
    const bytes = budget.entryBytes(map, name);
    if (all + bytes > budget.bytes - others) return false;
    if (map === "versions" && versions + bytes > budget.versionBytes - budget.entryBytes("versions", OTHER_NAME)) return false;
    all += bytes;
    if (map === "versions") versions += bytes;
    return true;
  };
}

/**
 * Adds a contribution to a rollup (in place) and returns where its entries went: a name the
 * row knows is counted under itself; a new one too while the row's `budget` has room for it,
 * and under OTHER_NAME once it has not. Totals stay exact either way. Aggregation passes its
 * table's budget; without one nothing folds.
 */
export function addContribution(rollup: WeekRollup, c: Contribution, budget: RollupBudget = unboundedRollup): Placement {
  const fits = roomIn(rollup, budget);
  const placement: Placement = { version: false, os: [], features: [] };
  const keyFor = (map: RollupMap, known: Map<string, unknown>, added: Set<string>, name: string, folded: string[]): string => {
    // An OS may be called "(other)" itself: it is then counted there, which is already paid for.
    if (known.has(name) || added.has(name) || name === OTHER_NAME) return name;
    if (fits(map, name)) {
      added.add(name);
      return name;
    }
    folded.push(name);
    return OTHER_NAME;
  };
  const versionFolds: string[] = [];
  const versionKey = keyFor("versions", rollup.versions, new Set(), c.version, versionFolds);
  placement.version = versionFolds.length > 0;
  const newOs = new Set<string>();
  const osKeys = [...c.os.keys()].map((name) => keyFor("os", rollup.os, newOs, name, placement.os));
  const newFeatures = new Set<string>();
  const featureKeys = [...c.features.keys()].map((name) => keyFor("features", rollup.features, newFeatures, name, placement.features));
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
