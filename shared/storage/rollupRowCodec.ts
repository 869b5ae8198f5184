/**
 * A rollup row of WeeklyStats: one shard's totals, its features and each dimension as JSON,
 * split over continuation properties (jsonProperties.ts) where a list outgrows one.
 */
import { dimensionNamed, dimensions } from "../aggregation/dimensions";
import { exactSumFromText, exactSumText } from "../aggregation/exactSum";
import { emptyRollup, type DimensionTally, type WeekRollup } from "../aggregation/weekRollup";
import type { IsoWeek } from "../isoWeek";
import { fromJsonProperties, int64, JSON_CHUNK_UNITS, toCount, toJsonProperties } from "./jsonProperties";
import { tableLimits } from "./tableLimits";
import { rowKeys } from "./weeklyStatsRowKeys";

type Entity = Record<string, unknown>;

/** The property of a rollup row that holds one dimension (continued in `<it>_1`, …). */
export const dimensionProperty = (name: string) => `d_${name}`;

/**
 * One dimension as JSON: `[hierarchies, clients, [[value, hierarchies, clients, count], …]]`,
 * or for a distribution `[hierarchies, clients, "<exact sum>", [[bucket, hierarchies], …]]`.
 */
type StoredCategorical = [number, number, [string, number, number, number][]];
type StoredDistribution = [number, number, string, [number, number][]];

function dimensionToJson(d: DimensionTally): StoredCategorical | StoredDistribution {
  if (d.kind === "distribution") return [d.hierarchies, d.clients, exactSumText(d.sum), [...d.buckets]];
  return [d.hierarchies, d.clients, [...d.values].map(([value, v]) => [value, v.hierarchies, v.clients, v.count])];
}

function dimensionFromEntity(e: Entity, name: string): DimensionTally | undefined {
  const kind = dimensionNamed(name)?.kind;
  const stored = fromJsonProperties<StoredCategorical | StoredDistribution | undefined>(e, dimensionProperty(name), undefined);
  if (kind === undefined || stored === undefined) return undefined;
  if (kind === "distribution") {
    const [hierarchies, clients, sum, buckets] = stored as StoredDistribution;
    return { kind, hierarchies, clients, sum: exactSumFromText(sum), buckets: new Map(buckets) };
  }
  const [hierarchies, clients, values] = stored as StoredCategorical;
  return { kind, hierarchies, clients, values: new Map(values.map(([value, h, c, n]) => [value, { hierarchies: h, clients: c, count: n }])) };
}

export function rollupToEntity(week: IsoWeek, shard: number, r: WeekRollup): Entity {
  const entity: Entity = {
    partitionKey: week,
    rowKey: rowKeys.rollup(shard),
    kind: "rollup",
    hierarchies: r.hierarchies,
    clients: int64(r.clients),
    featureHierarchies: r.featureHierarchies,
    ...toJsonProperties("features", [...r.features].map(([name, x]) => [name, x.enabledHierarchies, x.uses, x.named])),
  };
  for (const [name, d] of r.dimensions) Object.assign(entity, toJsonProperties(dimensionProperty(name), dimensionToJson(d)));
  return entity;
}

export function rollupFromEntity(e: Entity): WeekRollup {
  const features = fromJsonProperties<[string, number, number, number][]>(e, "features", []);
  const rollup = emptyRollup();
  rollup.hierarchies = toCount(e["hierarchies"]);
  rollup.clients = toCount(e["clients"]);
  rollup.featureHierarchies = toCount(e["featureHierarchies"]);
  rollup.features = new Map(features.map(([name, enabledHierarchies, uses, named]) => [name, { enabledHierarchies, uses, named }]));
  for (const { name } of dimensions) {
    const d = dimensionFromEntity(e, name);
    if (d !== undefined) rollup.dimensions.set(name, d);
  }
  return rollup;
}

/** A JSON value's properties in a rollup row, continuations included (a query selects them). */
function continuedProperties(name: string): string[] {
  const most = Math.ceil(tableLimits.maxEntityBytes / 2 / (JSON_CHUNK_UNITS - 1));
  return Array.from({ length: most + 1 }, (_, i) => (i === 0 ? name : `${name}_${i}`));
}

/** The properties that hold one dimension in a rollup row, continuations included. */
export const dimensionProperties = (name: string): string[] => continuedProperties(dimensionProperty(name));

/** The properties that hold the features of a rollup row: their count and their list. */
export const featureProperties = (): string[] => ["featureHierarchies", ...continuedProperties("features")];
