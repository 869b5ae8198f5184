/**
 * What a snapshot adds to its week's statistics, and the statistics themselves as sums over
 * snapshots: every declared dimension (shared/aggregation/dimensions.ts) plus the features
 * statistics. Maps are `Map`s, never plain objects: an OS or feature may be called
 * `__proto__` or `constructor`.
 */
import type { UsageDocument } from "../validation/usageDocument";
import { emptyDimensionRollup, type CategoricalRollup, type DimensionRollup, type DistributionRollup, type ValueCounts } from "./dimensionRollup";
import { dimensionNamed, dimensions, type DimensionKind, type DimensionValueByKind } from "./dimensions";
import { numberOf, unitsOf, type ExactSum } from "./exactSum";
import { addToBucket, bucketIndexOf, type BucketCounts } from "./logBuckets";

/** What one snapshot gives one dimension (its reader's result). */
export type DimensionValue = DimensionValueByKind[DimensionKind];

export interface FeatureUse {
  enabled: boolean;
  uses: number;
}

/** What one snapshot adds to its week's statistics. */
export interface Contribution {
  clients: number;
  /** enhanced or full: counted in the features statistics. */
  featureLevel: boolean;
  features: Map<string, FeatureUse>;
  /** Every declared dimension that applies to the snapshot, by name, with its value(s). */
  dimensions: Map<string, DimensionValue>;
}

export interface FeatureCounts {
  enabledHierarchies: number;
  uses: number;
  /** Snapshots that name the feature, so that one never enabled is still listed. */
  named: number;
}

/**
 * A distribution dimension as aggregation keeps it: like DistributionRollup, but with the sum
 * exact (exactSum.ts), so that adding and taking out snapshots in any order gives one sum.
 */
export interface ExactDistribution {
  kind: "distribution";
  hierarchies: number;
  clients: number;
  sum: ExactSum;
  buckets: BucketCounts;
}

/** One dimension as a rollup row keeps it (its distribution sums exact); DimensionRollup (dimensionRollup.ts) is what readers get of it. */
export type DimensionTally = CategoricalRollup | ExactDistribution;

/** A week's statistics (or one shard's part of them), as sums over snapshots. */
export interface WeekRollup {
  hierarchies: number;
  clients: number;
  /** Snapshots at enhanced or full. */
  featureHierarchies: number;
  features: Map<string, FeatureCounts>;
  /** Every declared dimension, by name, always present (empty when no snapshot gives it). */
  dimensions: Map<string, DimensionTally>;
}

/**
 * The name that collects values and features a full rollup row has no room for. Versions
 * ("YYMM") and feature names (`^[a-z]…`) can never be spelled like it; an OS can.
 */
export const OTHER_NAME = "(other)";

/** A rollup's lists: `features`, or a dimension's name (no dimension is called `features`). */
export type RollupList = string;

/**
 * How much a rollup row holds, in bytes as Azure measures the row. The domain decides which
 * names and buckets a row keeps, but only storage knows what one costs once encoded (JSON
 * escapes, the width a count can grow to, the row's other properties), so storage hands that
 * over as this budget (weeklyStatsTable's `rollupRowBudget`) instead of the domain copying
 * its layout. Made-up names (any 1..128 characters, each escaping to up to six) and made-up
 * numbers (a bucket each) must never make a row unwritable, which would stop its week
 * counting; so a name that does not fit folds into OTHER_NAME, a bucket that does not fit
 * into the nearest bucket the row has, and totals and sums stay exact.
 */
export interface RollupBudget {
  /** What the entries of all lists may take together, each list's reserved entry included. */
  readonly bytes: number;
  /** What one entry of `list` costs in the row, whatever its counts grow to; `name` is a value, feature or bucket index. */
  entryBytes(list: RollupList, name: string): number;
}

/** No bound: every name is counted under itself (for sums that are never written to a row). */
export const unboundedRollup: RollupBudget = Object.freeze({ bytes: Infinity, entryBytes: () => 0 });

/**
 * Where a snapshot's entries went when they did not go under their own name: its folded
 * features and values (by dimension) were counted under OTHER_NAME, and a distribution's
 * value in another bucket than its own. Removing the snapshot takes them from there.
 */
export interface Placement {
  features: string[];
  values: Map<string, string[]>;
  buckets: Map<string, number>;
}

/** A placement where everything went under its own name. */
export function noPlacement(): Placement {
  return { features: [], values: new Map(), buckets: new Map() };
}

/** True when something of the snapshot was folded (the snapshot row then records where). */
export function isFolded(p: Readonly<Placement>): boolean {
  return p.features.length > 0 || p.values.size > 0 || p.buckets.size > 0;
}

/** The empty rollup dimension of `kind`. */
function emptyDimension(kind: DimensionKind): DimensionTally {
  return kind === "distribution" ? { kind, hierarchies: 0, clients: 0, sum: 0n, buckets: new Map() } : { kind, hierarchies: 0, clients: 0, values: new Map() };
}

/** The statistics of no snapshot at all: every dimension there, empty. */
export function emptyRollup(): WeekRollup {
  return {
    hierarchies: 0,
    clients: 0,
    featureHierarchies: 0,
    features: new Map(),
    dimensions: new Map(dimensions.map((d) => [d.name, emptyDimension(d.kind)])),
  };
}

/** The part of a validated document that the weekly statistics count. */
export function contributionOf(doc: UsageDocument): Contribution {
  const featureLevel = doc.level !== "basic";
  const values = new Map<string, DimensionValue>();
  for (const dimension of dimensions) {
    const value = dimension.read(doc);
    if (value !== undefined) values.set(dimension.name, value);
  }
  return {
    clients: doc.clients.total,
    featureLevel,
    // Object.entries reads own properties only, `__proto__` included, as JSON.parse made them.
    features: new Map(
      featureLevel ? Object.entries(doc.features ?? {}).map(([name, f]) => [name, { enabled: f.enabled, uses: f.uses ?? 0 }]) : [],
    ),
    dimensions: values,
  };
}

/** The names a categorical value gives (one for kind `hierarchy`), each with its count. */
function namedValues(value: DimensionValue): ReadonlyMap<string, number> {
  return typeof value === "string" ? new Map([[value, 1]]) : (value as ReadonlyMap<string, number>);
}

/** The rollup's dimension called `name`, made if a row written before it was declared lacks it. */
function dimensionOf(rollup: WeekRollup, name: string, kind: DimensionKind): DimensionTally {
  let found = rollup.dimensions.get(name);
  if (found === undefined) {
    found = emptyDimension(kind);
    rollup.dimensions.set(name, found);
  }
  return found;
}

/**
 * What is left of a budget for new entries in a row: the row's entries are charged, and room
 * for one entry of each list is kept aside (OTHER_NAME, or a distribution's first bucket), so
 * that folding always fits. Charged lazily: most commits bring no new name at all.
 */
function roomIn(rollup: WeekRollup, budget: RollupBudget): (list: RollupList, name: string) => boolean {
  let left: number | undefined;
  const charge = (): number => {
    let bytes = budget.bytes;
    const lists: [RollupList, Iterable<string>][] = [["features", rollup.features.keys()]];
    // A distribution's first bucket took the room kept for the list.
    for (const [name, d] of rollup.dimensions) lists.push([name, d.kind === "distribution" ? [...d.buckets.keys()].slice(1).map(String) : d.values.keys()]);
    for (const [list, names] of lists) {
      bytes -= budget.entryBytes(list, OTHER_NAME);
      for (const name of names) if (name !== OTHER_NAME) bytes -= budget.entryBytes(list, name);
    }
    return bytes;
  };
  return (list, name) => {
    left ??= charge();
    const bytes = budget.entryBytes(list, name);
    if (bytes > left) return false;
    left -= bytes;
    return true;
  };
}

/** The bucket nearest `index` among those a distribution has (the row's room is spent). */
function nearestBucket(buckets: BucketCounts, index: number): number | undefined {
  let best: number | undefined;
  for (const known of buckets.keys()) if (best === undefined || Math.abs(known - index) < Math.abs(best - index)) best = known;
  return best;
}

/**
 * Adds a contribution to a rollup (in place) and returns where its entries went: a name or
 * bucket the row knows is counted under itself; a new one too while the row's `budget` has
 * room for it; once it has not, a name goes under OTHER_NAME and a bucket into the nearest one
 * the distribution has (a distribution without any takes the room kept for it). Totals, sums
 * and counts stay exact either way. Aggregation passes its table's budget; without one
 * nothing folds.
 */
export function addContribution(rollup: WeekRollup, c: Contribution, budget: RollupBudget = unboundedRollup): Placement {
  const fits = roomIn(rollup, budget);
  const placement = noPlacement();
  const admit = (list: RollupList, known: ReadonlyMap<string, unknown>, name: string): boolean =>
    // A value may be called "(other)" itself: it is then counted there, which is already paid for.
    known.has(name) || name === OTHER_NAME || fits(list, name);
  for (const name of c.features.keys()) if (!admit("features", rollup.features, name)) placement.features.push(name);
  for (const [name, value] of c.dimensions) {
    const dimension = dimensionOf(rollup, name, dimensionNamed(name)?.kind ?? "hierarchy");
    if (dimension.kind === "distribution") {
      const index = bucketIndexOf(value as number);
      if (dimension.buckets.has(index) || dimension.buckets.size === 0 || fits(name, String(index))) continue;
      placement.buckets.set(name, nearestBucket(dimension.buckets, index)!);
      continue;
    }
    const folded: string[] = [];
    for (const valueName of namedValues(value).keys()) if (!admit(name, dimension.values, valueName)) folded.push(valueName);
    if (folded.length > 0) placement.values.set(name, folded);
  }
  changeRollup(rollup, c, 1, placement);
  return placement;
}

/** Takes a contribution out of a rollup (in place), from where `addContribution` put it. */
export function removeContribution(rollup: WeekRollup, c: Contribution, placement: Readonly<Placement> = noPlacement()): void {
  changeRollup(rollup, c, -1, placement);
}

function changeValue(values: Map<string, ValueCounts>, key: string, hierarchies: number, clients: number, count: number): void {
  const entry = values.get(key) ?? { hierarchies: 0, clients: 0, count: 0 };
  entry.hierarchies += hierarchies;
  entry.clients += clients;
  entry.count += count;
  if (entry.hierarchies === 0) values.delete(key);
  else values.set(key, entry);
}

/** Adds `sign` times a contribution where `placement` says; entries that reach zero are dropped. */
function changeRollup(rollup: WeekRollup, c: Contribution, sign: 1 | -1, placement: Readonly<Placement>): void {
  rollup.hierarchies += sign;
  rollup.clients += sign * c.clients;
  if (c.featureLevel) rollup.featureHierarchies += sign;
  const foldedFeatures = new Set(placement.features);
  for (const [name, f] of c.features) {
    const key = foldedFeatures.has(name) ? OTHER_NAME : name;
    const feature = rollup.features.get(key) ?? { enabledHierarchies: 0, uses: 0, named: 0 };
    feature.enabledHierarchies += f.enabled ? sign : 0;
    feature.uses += sign * f.uses;
    feature.named += sign;
    if (feature.named === 0) rollup.features.delete(key);
    else rollup.features.set(key, feature);
  }
  for (const [name, value] of c.dimensions) {
    const dimension = dimensionOf(rollup, name, dimensionNamed(name)?.kind ?? "hierarchy");
    dimension.hierarchies += sign;
    dimension.clients += sign * c.clients;
    if (dimension.kind === "distribution") {
      const v = value as number;
      dimension.sum += sign === 1 ? unitsOf(v) : -unitsOf(v);
      addToBucket(dimension.buckets, placement.buckets.get(name) ?? bucketIndexOf(v), sign);
      continue;
    }
    const folded = new Set(placement.values.get(name) ?? []);
    for (const [valueName, count] of namedValues(value)) {
      const key = folded.has(valueName) ? OTHER_NAME : valueName;
      if (dimension.kind === "hierarchy") changeValue(dimension.values, key, sign, sign * c.clients, 0);
      else if (dimension.kind === "set") changeValue(dimension.values, key, sign, 0, sign * count);
      else changeValue(dimension.values, key, sign, sign * count, 0);
    }
  }
}

/** The sum of several rollups (a week's shards). */
export function mergeRollups(parts: Iterable<WeekRollup>): WeekRollup {
  const total = emptyRollup();
  for (const part of parts) addRollup(total, part);
  return total;
}

/**
 * Adds one rollup into another, in place: a week's shards folded one at a time, so that a
 * read holds the running sum and one shard rather than every shard at once.
 */
export function addRollup(total: WeekRollup, part: Readonly<WeekRollup>): void {
  total.hierarchies += part.hierarchies;
  total.clients += part.clients;
  total.featureHierarchies += part.featureHierarchies;
  for (const [key, v] of part.features) {
    const t = total.features.get(key) ?? { enabledHierarchies: 0, uses: 0, named: 0 };
    total.features.set(key, { enabledHierarchies: t.enabledHierarchies + v.enabledHierarchies, uses: t.uses + v.uses, named: t.named + v.named });
  }
  for (const [name, d] of part.dimensions) mergeDimension(dimensionOf(total, name, d.kind), d);
}

/** Adds one rollup dimension into another of the same kind, in place. */
export function mergeDimension(into: DimensionTally, part: DimensionTally): void {
  into.hierarchies += part.hierarchies;
  into.clients += part.clients;
  if (into.kind === "distribution" && part.kind === "distribution") {
    into.sum += part.sum;
    for (const [index, count] of part.buckets) addToBucket(into.buckets, index, count);
  } else if (into.kind !== "distribution" && part.kind !== "distribution") {
    for (const [key, v] of part.values) changeValue(into.values, key, v.hierarchies, v.clients, v.count);
  }
}

/** A rollup dimension as the routes and the published rows read it (DimensionRollup): the sum as a double. */
export function toDimensionRollup(d: DimensionTally): DimensionRollup {
  if (d.kind !== "distribution") return { kind: d.kind, hierarchies: d.hierarchies, clients: d.clients, values: new Map(d.values) };
  const rollup: DistributionRollup = { kind: "distribution", hierarchies: d.hierarchies, clients: d.clients, sum: numberOf(d.sum), buckets: new Map(d.buckets) };
  return rollup;
}

/** The rollup of one declared dimension of a week, or the empty one. */
export function dimensionRollupOf(rollup: Pick<WeekRollup, "dimensions">, name: string): DimensionRollup {
  const d = rollup.dimensions.get(name);
  if (d !== undefined) return toDimensionRollup(d);
  return emptyDimensionRollup(dimensionNamed(name)?.kind ?? "hierarchy");
}

/** What a trend shows of a week: the totals and the hierarchies and clients per version. */
export interface WeekSummary {
  hierarchies: number;
  clients: number;
  versions: Map<string, { hierarchies: number; clients: number }>;
}

/** The totals of a week and its `version` dimension's values (only those some snapshot has). */
export function weekSummaryOf(rollup: Pick<WeekRollup, "hierarchies" | "clients" | "dimensions">): WeekSummary {
  const version = dimensionRollupOf(rollup, "version");
  const versions = new Map<string, { hierarchies: number; clients: number }>();
  // The rollup drops a value when its last snapshot leaves; the filter keeps a damaged row from showing one.
  if (version.kind !== "distribution") for (const [name, v] of version.values) if (v.hierarchies > 0) versions.set(name, { hierarchies: v.hierarchies, clients: v.clients });
  return { hierarchies: rollup.hierarchies, clients: rollup.clients, versions };
}
