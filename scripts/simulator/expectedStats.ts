/**
 * What the query routes must answer for the documents the service confirmed: the reference
 * model's figures (referenceModel.ts) as each route's body, in its list order, with nothing
 * folded (the verifier asks for `minHierarchies=1`).
 */
import type { IsoWeek } from "../../shared/isoWeek";
import type { UsageDocument } from "../../shared/validation/usageDocument";
import { modelDimension, weekTotals, type DimensionRule } from "./referenceModel";

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface VersionsBody {
  week: IsoWeek;
  hierarchies: number;
  clients: number;
  versions: { version: string; hierarchies: number; clients: number }[];
}

export function expectedVersions(week: IsoWeek, snapshots: ReadonlyMap<string, UsageDocument>): VersionsBody {
  const { hierarchies, clients, versions } = weekTotals(snapshots);
  const list = [...versions].map(([version, v]) => ({ version, ...v })).sort((a, b) => b.version.length - a.version.length || byCodeUnits(b.version, a.version));
  return { week, hierarchies, clients, versions: list };
}

export interface OsBody {
  week: IsoWeek;
  clients: number;
  os: { name: string; clients: number }[];
}

export function expectedOs(week: IsoWeek, snapshots: ReadonlyMap<string, UsageDocument>): OsBody {
  const { clients, os } = weekTotals(snapshots);
  return { week, clients, os: [...os].map(([name, n]) => ({ name, clients: n })).sort((a, b) => b.clients - a.clients || byCodeUnits(a.name, b.name)) };
}

export interface FeaturesBody {
  week: IsoWeek;
  hierarchies: number;
  features: { name: string; enabledHierarchies: number; uses: number }[];
}

export function expectedFeatures(week: IsoWeek, snapshots: ReadonlyMap<string, UsageDocument>): FeaturesBody {
  const { featureHierarchies, features } = weekTotals(snapshots);
  const list = [...features].map(([name, f]) => ({ name, ...f })).sort((a, b) => b.enabledHierarchies - a.enabledHierarchies || byCodeUnits(a.name, b.name));
  return { week, hierarchies: featureHierarchies, features: list };
}

/** A categorical dimension's expected body, values in the kind's list order (the route's shape, key by key). */
export interface CategoricalExpectation {
  kind: "hierarchy" | "set" | "clients";
  hierarchies: number;
  clients: number;
  values: Record<string, string | number>[];
}

/** A distribution's expectation: the raw numbers, from which the verifier checks each figure within the contract's tolerance. */
export interface DistributionExpectation {
  kind: "distribution";
  hierarchies: number;
  numbers: number[];
}

export type DimensionExpectation = CategoricalExpectation | DistributionExpectation;

/** One dimension of one week, as its route lists it. */
export function expectedDimension(rule: DimensionRule, snapshots: ReadonlyMap<string, UsageDocument>): DimensionExpectation {
  const d = modelDimension(rule, snapshots);
  if (d.kind === "distribution") return { kind: "distribution", hierarchies: d.hierarchies, numbers: d.numbers };
  const list = [...d.values];
  const values =
    d.kind === "clients"
      ? list.sort(([va, a], [vb, b]) => b.clients - a.clients || byCodeUnits(va, vb)).map(([value, r]) => ({ value, clients: r.clients, hierarchies: r.hierarchies }))
      : list
          .sort(([va, a], [vb, b]) => b.hierarchies - a.hierarchies || byCodeUnits(va, vb))
          .map(([value, r]): Record<string, string | number> => (d.kind === "set" ? { value, hierarchies: r.hierarchies, count: r.count } : { value, hierarchies: r.hierarchies, clients: r.clients }));
  return { kind: d.kind, hierarchies: d.hierarchies, clients: d.clients, values };
}
