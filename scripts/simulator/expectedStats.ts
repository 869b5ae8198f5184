/**
 * What the query routes must answer for the documents the service confirmed, computed by the
 * simulator itself from the contract's words (sections 4 and 4.1), independently of
 * shared/aggregation and shared/query: a week's snapshot per hierarchy (latest
 * `collectedAt`, ties to the greater docId), then every route's body in its list order,
 * with nothing folded (the verifier asks for `minHierarchies=1`).
 */
import type { IsoWeek } from "../../shared/isoWeek";
import type { Level, UsageV1 } from "../../shared/validation/usageV1";
import type { FleetDocument } from "./generateFleet";

export type DimensionKind = "hierarchy" | "set" | "clients" | "distribution";

type Reading = string | ReadonlyMap<string, number> | number | undefined;

interface DimensionRule {
  name: string;
  kind: DimensionKind;
  level: Level;
  read: (doc: UsageV1) => Reading;
}

const count = (names: readonly string[]) => {
  const m = new Map<string, number>();
  for (const n of names) m.set(n, (m.get(n) ?? 0) + 1);
  return m;
};
const entries = (map: Record<string, number> | undefined) => (map === undefined ? undefined : new Map(Object.entries(map)));
const sqlMajorMinor = (doc: UsageV1) => doc.database.sqlVersion.split(".").slice(0, 2).join(".");
const shareOf = (doc: UsageV1, part: number | undefined) => (part === undefined || doc.clients.total === 0 ? undefined : (100 * part) / doc.clients.total);

/** The dimension table of contract section 4.1, row by row. */
export const dimensionRules: readonly DimensionRule[] = Object.freeze([
  { name: "version", kind: "hierarchy", level: "basic", read: (d) => d.product.version },
  { name: "build", kind: "hierarchy", level: "basic", read: (d) => d.product.build },
  { name: "branch", kind: "hierarchy", level: "basic", read: (d) => d.product.branch },
  { name: "level", kind: "hierarchy", level: "basic", read: (d) => d.level },
  { name: "connectionMode", kind: "hierarchy", level: "basic", read: (d) => d.connectionMode },
  { name: "topology", kind: "hierarchy", level: "basic", read: (d) => (d.sites.some((s) => s.type === "cas") ? "cas" : "standalone") },
  { name: "sqlVersion", kind: "hierarchy", level: "basic", read: sqlMajorMinor },
  { name: "sqlEdition", kind: "hierarchy", level: "basic", read: (d) => d.database.sqlEdition },
  { name: "alwaysOn", kind: "hierarchy", level: "basic", read: (d) => String(d.database.alwaysOn) },
  {
    name: "softwareAssurance",
    kind: "hierarchy",
    level: "basic",
    read: (d) => {
      const expires = d.product.softwareAssuranceExpires;
      if (expires === undefined) return "none";
      return expires >= d.collectedAt.slice(0, 10) ? "active" : "expired";
    },
  },
  { name: "versionBySqlVersion", kind: "hierarchy", level: "basic", read: (d) => `${d.product.version}|${sqlMajorMinor(d)}` },
  { name: "siteType", kind: "set", level: "basic", read: (d) => count(d.sites.map((s) => s.type)) },
  { name: "siteRole", kind: "set", level: "basic", read: (d) => count(d.sites.flatMap((s) => s.roles)) },
  { name: "os", kind: "clients", level: "basic", read: (d) => entries(d.clients.byOs) },
  { name: "clientBuild", kind: "clients", level: "basic", read: (d) => entries(d.clients.byClientBuild) },
  { name: "officeVersion", kind: "clients", level: "basic", read: (d) => entries(d.clients.byOfficeVersion) },
  {
    name: "endpointProtection",
    kind: "clients",
    level: "full",
    read: (d) => {
      const ep = d.compliance?.endpointProtection;
      return ep === undefined ? undefined : new Map([["protected", ep.protected], ["atRisk", ep.atRisk], ["unknown", ep.unknown], ["unsupported", ep.unsupported]]);
    },
  },
  { name: "clients", kind: "distribution", level: "basic", read: (d) => d.clients.total },
  { name: "sites", kind: "distribution", level: "basic", read: (d) => d.sites.length },
  { name: "databaseSizeMb", kind: "distribution", level: "basic", read: (d) => d.database.sizeMb },
  { name: "entraJoinedPercent", kind: "distribution", level: "basic", read: (d) => shareOf(d, d.clients.entraJoined) },
  { name: "coManagedPercent", kind: "distribution", level: "basic", read: (d) => shareOf(d, d.clients.coManaged) },
  { name: "softwareUpdateCompliancePercent", kind: "distribution", level: "full", read: (d) => d.compliance?.softwareUpdateCompliancePercent },
  { name: "scanSuccessPercent", kind: "distribution", level: "full", read: (d) => d.compliance?.scanSuccessPercent },
  { name: "collectionRuntimeSeconds", kind: "distribution", level: "basic", read: (d) => d.collection.runtimeSeconds },
]);

const rank: Record<Level, number> = { basic: 1, enhanced: 2, full: 3 };

/** week -> hierarchyId -> the document that counts for that hierarchy's week. */
export type Snapshots = Map<IsoWeek, Map<string, UsageV1>>;

function laterOf(a: UsageV1, b: UsageV1): UsageV1 {
  const ta = Date.parse(a.collectedAt);
  const tb = Date.parse(b.collectedAt);
  if (ta !== tb) return ta > tb ? a : b;
  return a.docId.toLowerCase() > b.docId.toLowerCase() ? a : b;
}

/**
 * The week's snapshot of every hierarchy, from documents labelled with the week they were
 * generated for. The simulator writes collectedAt with milliseconds, so Date.parse orders them exactly.
 */
export function snapshotsOf(documents: readonly FleetDocument[]): Snapshots {
  const weeks: Snapshots = new Map();
  for (const { week, document } of documents) {
    const byHierarchy = weeks.get(week) ?? new Map<string, UsageV1>();
    const current = byHierarchy.get(document.hierarchyId);
    byHierarchy.set(document.hierarchyId, current === undefined ? document : laterOf(current, document));
    weeks.set(week, byHierarchy);
  }
  return weeks;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const sumOf = (docs: Iterable<UsageV1>) => [...docs].reduce((s, d) => s + d.clients.total, 0);

export interface VersionsBody {
  week: IsoWeek;
  hierarchies: number;
  clients: number;
  versions: { version: string; hierarchies: number; clients: number }[];
}

export function expectedVersions(week: IsoWeek, snapshots: ReadonlyMap<string, UsageV1>): VersionsBody {
  const by = new Map<string, { version: string; hierarchies: number; clients: number }>();
  for (const d of snapshots.values()) {
    const v = by.get(d.product.version) ?? { version: d.product.version, hierarchies: 0, clients: 0 };
    v.hierarchies += 1;
    v.clients += d.clients.total;
    by.set(d.product.version, v);
  }
  const versions = [...by.values()].sort((a, b) => b.version.length - a.version.length || byCodeUnits(b.version, a.version));
  return { week, hierarchies: snapshots.size, clients: sumOf(snapshots.values()), versions };
}

export interface OsBody {
  week: IsoWeek;
  clients: number;
  os: { name: string; clients: number }[];
}

export function expectedOs(week: IsoWeek, snapshots: ReadonlyMap<string, UsageV1>): OsBody {
  const by = new Map<string, number>();
  for (const d of snapshots.values()) for (const [name, n] of Object.entries(d.clients.byOs)) by.set(name, (by.get(name) ?? 0) + n);
  const os = [...by].map(([name, clients]) => ({ name, clients })).sort((a, b) => b.clients - a.clients || byCodeUnits(a.name, b.name));
  return { week, clients: sumOf(snapshots.values()), os };
}

export interface FeaturesBody {
  week: IsoWeek;
  hierarchies: number;
  features: { name: string; enabledHierarchies: number; uses: number }[];
}

export function expectedFeatures(week: IsoWeek, snapshots: ReadonlyMap<string, UsageV1>): FeaturesBody {
  const by = new Map<string, { name: string; enabledHierarchies: number; uses: number }>();
  let hierarchies = 0;
  for (const d of snapshots.values()) {
    if (d.level === "basic") continue;
    hierarchies += 1;
    for (const [name, f] of Object.entries(d.features ?? {})) {
      const e = by.get(name) ?? { name, enabledHierarchies: 0, uses: 0 };
      e.enabledHierarchies += f.enabled ? 1 : 0;
      e.uses += f.uses ?? 0;
      by.set(name, e);
    }
  }
  const features = [...by.values()].sort((a, b) => b.enabledHierarchies - a.enabledHierarchies || byCodeUnits(a.name, b.name));
  return { week, hierarchies, features };
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

/** One dimension of one week. */
export function expectedDimension(rule: DimensionRule, snapshots: ReadonlyMap<string, UsageV1>): DimensionExpectation {
  const applying: [UsageV1, Exclude<Reading, undefined>][] = [];
  for (const d of snapshots.values()) {
    const reading = rank[d.level] >= rank[rule.level] ? rule.read(d) : undefined;
    if (reading !== undefined) applying.push([d, reading]);
  }
  if (rule.kind === "distribution") return { kind: "distribution", hierarchies: applying.length, numbers: applying.map(([, n]) => n as number).sort((a, b) => a - b) };
  const rows = new Map<string, { hierarchies: number; clients: number; count: number }>();
  for (const [doc, reading] of applying) {
    const named = typeof reading === "string" ? new Map([[reading, 1]]) : (reading as ReadonlyMap<string, number>);
    for (const [value, n] of named) {
      const row = rows.get(value) ?? { hierarchies: 0, clients: 0, count: 0 };
      row.hierarchies += 1;
      row.clients += rule.kind === "clients" ? n : doc.clients.total;
      row.count += n;
      rows.set(value, row);
    }
  }
  const list = [...rows];
  const values =
    rule.kind === "clients"
      ? list.sort(([va, a], [vb, b]) => b.clients - a.clients || byCodeUnits(va, vb)).map(([value, r]) => ({ value, clients: r.clients, hierarchies: r.hierarchies }))
      : list
          .sort(([va, a], [vb, b]) => b.hierarchies - a.hierarchies || byCodeUnits(va, vb))
          .map(([value, r]): Record<string, string | number> => (rule.kind === "set" ? { value, hierarchies: r.hierarchies, count: r.count } : { value, hierarchies: r.hierarchies, clients: r.clients }));
  return { kind: rule.kind, hierarchies: applying.length, clients: applying.reduce((s, [d]) => s + d.clients.total, 0), values };
}

/** The nearest-rank percentile (the value at rank ⌈p·n⌉, p in whole percents so the rank is exact) of ascending numbers; null for none. */
export function nearestRank(ascending: readonly number[], percent: number): number | null {
  if (ascending.length === 0) return null;
  return ascending[Math.max(1, Math.ceil((percent * ascending.length) / 100)) - 1]!;
}
