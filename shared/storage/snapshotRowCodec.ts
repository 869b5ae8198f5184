/**
 * A snapshot row of WeeklyStats: the hierarchy's history columns, its contribution as JSON
 * over a Binary name list, and, only when something was folded, where it was counted.
 */
import { dimensionNamed } from "../aggregation/dimensions";
import { isFolded, type DimensionValue } from "../aggregation/weekRollup";
import type { WeekSnapshot } from "../aggregation/weekSnapshot";
import type { IsoWeek } from "../isoWeek";
import { fromBinaryNameProperties, toBinaryNameProperties } from "./binaryNames";
import { historyFromProperties, historyProperties } from "./hierarchyWeeksTable";
import { fromJsonProperties, toJsonProperties } from "./jsonProperties";
import { rowKeys } from "./weeklyStatsRowKeys";

type Entity = Record<string, unknown>;

/**
 * What a snapshot row holds of its contribution, as JSON that names nothing itself: every
 * name is its index in the row's binary name list (binaryNames.ts), where a name costs 2
 * bytes a code unit. `d` lists the dimensions that apply, by name: a value (kind hierarchy),
 * `[[name, count], …]` (set, clients) or the number (distribution).
 */
interface StoredContribution {
  f: [number, 0 | 1, number][];
  d: [string, number | [number, number][]][];
}

/**
 * Where a snapshot's folded entries went, by position: `f` its features' positions in `f`,
 * `v` per dimension its values' positions in that dimension's list, `b` per distribution the
 * bucket it was counted in.
 */
interface StoredPlacement {
  f: number[];
  v: [string, number[]][];
  b: [string, number][];
}

/** Positions of the `folded` among `names`. */
const positionsIn = (names: Iterable<string>, folded: readonly string[]): number[] => {
  const wanted = new Set(folded);
  return [...names].flatMap((name, i) => (wanted.has(name) ? [i] : []));
};

export function snapshotToEntity(s: WeekSnapshot): Entity {
  const names: string[] = [];
  const refs = new Map<string, number>();
  const ref = (name: string): number => {
    let at = refs.get(name);
    if (at === undefined) {
      at = names.length;
      names.push(name);
      refs.set(name, at);
    }
    return at;
  };
  const c = s.contribution;
  const stored: StoredContribution = {
    f: [...c.features].map(([name, f]) => [ref(name), f.enabled ? 1 : 0, f.uses]),
    d: [...c.dimensions].map(([dimension, value]) => {
      if (typeof value === "number") return [dimension, value];
      if (typeof value === "string") return [dimension, ref(value)];
      return [dimension, [...value].map(([name, count]): [number, number] => [ref(name), count])];
    }),
  };
  const p = s.placement;
  const placement: StoredPlacement = {
    f: positionsIn(c.features.keys(), p.features),
    v: [...p.values].map(([dimension, folded]) => [dimension, positionsIn(valueNames(c.dimensions.get(dimension)), folded)]),
    b: [...p.buckets],
  };
  return {
    partitionKey: s.week,
    rowKey: rowKeys.snapshot(s.hierarchyKey),
    kind: "snapshot",
    ...historyProperties(s),
    featureLevel: c.featureLevel,
    ...toJsonProperties("contribution", stored),
    ...toBinaryNameProperties("names", names),
    // Only when something was folded (a full rollup row): most rows never carry it.
    ...(isFolded(p) ? toJsonProperties("folded", placement) : {}),
  };
}

/** The names a categorical value gives, in order; none for a distribution's number. */
function valueNames(value: DimensionValue | undefined): string[] {
  if (value === undefined || typeof value === "number") return [];
  return typeof value === "string" ? [value] : [...value.keys()];
}

export function snapshotFromEntity(e: Entity): WeekSnapshot {
  const history = historyFromProperties(e, String(e["rowKey"]).slice("snapshot:".length), String(e["partitionKey"]) as IsoWeek);
  const names = fromBinaryNameProperties(e, "names");
  const name = (at: number) => names[at] ?? "";
  const stored = fromJsonProperties<StoredContribution>(e, "contribution", { f: [], d: [] });
  const folded = fromJsonProperties<StoredPlacement>(e, "folded", { f: [], v: [], b: [] });
  const features = stored.f.map(([at, enabled, uses]) => [name(at), { enabled: enabled === 1, uses }] as const);
  const values = new Map<string, DimensionValue>();
  for (const [dimension, value] of stored.d) {
    const kind = dimensionNamed(dimension)?.kind;
    if (kind === "distribution") values.set(dimension, value as number);
    else if (kind === "hierarchy") values.set(dimension, name(value as number));
    // A dimension no longer declared is left out: nothing counts it any more.
    else if (kind !== undefined) values.set(dimension, new Map((value as [number, number][]).map(([at, count]) => [name(at), count])));
  }
  const at = (list: readonly string[], positions: readonly number[]) => positions.map((i) => list[i] ?? "");
  return {
    ...history,
    contribution: { clients: history.clients, featureLevel: e["featureLevel"] === true, features: new Map(features), dimensions: values },
    placement: {
      features: at(features.map(([n]) => n), folded.f),
      values: new Map(folded.v.map(([dimension, positions]) => [dimension, at(valueNames(values.get(dimension)), positions)])),
      buckets: new Map(folded.b),
    },
  };
}
