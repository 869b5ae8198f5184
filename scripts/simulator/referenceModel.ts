/**
 * The reference model of contract sections 4 and 4.1: from a set of documents (in any order,
 * with duplicates) to what the statistics must be, written again from the contract's words
 * and independently of shared/aggregation, shared/query and shared/isoWeek (only their types
 * are imported), so that a bug there cannot hide in the model too. The aggregation property
 * tests hold the tables to it, and the simulator's `--verify` holds every query route to it.
 * Maps only, never objects keyed by names.
 */
import type { IsoWeek } from "../../shared/isoWeek";
import type { UsageDocument } from "../../shared/validation/usageDocument";
import type { Level } from "../../shared/validation/usageV1";

export type DimensionKind = "hierarchy" | "set" | "clients" | "distribution";

type Reading = string | ReadonlyMap<string, number> | number | undefined;

export interface DimensionRule {
  name: string;
  kind: DimensionKind;
  level: Level;
  read: (doc: UsageDocument) => Reading;
}

const count = (names: readonly string[]) => {
  const m = new Map<string, number>();
  for (const n of names) m.set(n, (m.get(n) ?? 0) + 1);
  return m;
};
const entries = (map: Record<string, number> | undefined) => (map === undefined ? undefined : new Map(Object.entries(map)));
const sqlMajorMinor = (doc: UsageDocument) => doc.database.sqlVersion.split(".").slice(0, 2).join(".");
const shareOf = (doc: UsageDocument, part: number | undefined) => (part === undefined || doc.clients.total === 0 ? undefined : (100 * part) / doc.clients.total);

/** The dimension table of contract section 4.1, row by row (not shared/aggregation/dimensions.ts). */
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
  // Version 2's table: a v1 document has none of these fields, so reads undefined.
  { name: "setupInstallType", kind: "hierarchy", level: "basic", read: (d) => d.setup?.installType },
  {
    name: "lastUpdatePackState",
    kind: "hierarchy",
    level: "basic",
    read: (d) => (d.setup?.lastUpdatePack === undefined ? undefined : `${d.setup.lastUpdatePack.version}|${d.setup.lastUpdatePack.state}`),
  },
  { name: "languagePack", kind: "set", level: "basic", read: (d) => (d.setup === undefined ? undefined : count(d.setup.languagePacks)) },
  { name: "windowsBuild", kind: "clients", level: "basic", read: (d) => entries(d.clients.byWindowsBuild) },
  { name: "architecture", kind: "clients", level: "basic", read: (d) => entries(d.clients.byArchitecture as Record<string, number> | undefined) },
  { name: "tenantAttached", kind: "hierarchy", level: "basic", read: (d) => (d.cloud === undefined ? undefined : String(d.cloud.tenantAttached)) },
  { name: "cmgRegion", kind: "set", level: "basic", read: (d) => (d.cloud === undefined ? undefined : count(d.cloud.cmgRegions)) },
  { name: "cmgCount", kind: "distribution", level: "basic", read: (d) => d.cloud?.cmgCount },
  {
    name: "coManagementWorkload",
    kind: "set",
    level: "enhanced",
    read: (d) => (d.coManagement === undefined ? undefined : count(Object.entries(d.coManagement.workloads).map(([w, a]) => `${w}|${a}`))),
  },
  { name: "adrCount", kind: "distribution", level: "enhanced", read: (d) => d.updates?.adrCount },
  {
    name: "updateScanError",
    kind: "set",
    level: "enhanced",
    read: (d) => {
      if (d.updates === undefined) return undefined;
      const m = new Map<string, number>();
      for (const e of d.updates.scanErrors) m.set(e.code.toString(10), (m.get(e.code.toString(10)) ?? 0) + e.count);
      return m;
    },
  },
  { name: "osdTaskSequences", kind: "distribution", level: "enhanced", read: (d) => d.osd?.taskSequences },
  { name: "osdStepType", kind: "clients", level: "enhanced", read: (d) => entries(d.osd?.stepsByType) },
]);

/** Contract section 4.1: the dimensions version 2 adds, which the list route gives `"sinceVersion": 2` (the others 1). */
const version2Dimensions: ReadonlySet<string> = new Set([
  "setupInstallType", "lastUpdatePackState", "languagePack", "windowsBuild", "architecture", "tenantAttached", "cmgRegion",
  "cmgCount", "coManagementWorkload", "adrCount", "updateScanError", "osdTaskSequences", "osdStepType",
]);

/** The `sinceVersion` the list route must give a dimension. */
export function sinceVersionOf(name: string): 1 | 2 {
  return version2Dimensions.has(name) ? 2 : 1;
}

const rank: Record<Level, number> = { basic: 1, enhanced: 2, full: 3 };
const DAY = 86_400_000;

/**
 * The ISO week of an instant, by walking: week 1 starts on the Monday on or before 4
 * January; count whole weeks from there. Deliberately not shared/isoWeek.ts.
 */
function isoWeekOf(instant: Date): IsoWeek {
  const day = Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate());
  for (const year of [instant.getUTCFullYear() + 1, instant.getUTCFullYear(), instant.getUTCFullYear() - 1]) {
    const jan4 = Date.UTC(year, 0, 4);
    const week1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY;
    if (day >= week1) return `${year}-W${String(Math.floor((day - week1) / (7 * DAY)) + 1).padStart(2, "0")}`;
  }
  throw new RangeError(`no ISO week for ${instant.toISOString()}`);
}

/** The later of two documents of one hierarchy's week: whole seconds first, then the fraction digit by digit, then the docId. */
function laterOf(a: UsageDocument, b: UsageDocument): UsageDocument {
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

/** week -> hierarchyId -> the document that counts for that hierarchy's week. */
export type Snapshots = Map<IsoWeek, Map<string, UsageDocument>>;

/** The week's snapshot of every hierarchy, from documents labelled with their week (latest `collectedAt`, ties to the greater docId). */
export function snapshotsOf(documents: readonly { week: IsoWeek; document: UsageDocument }[]): Snapshots {
  const weeks: Snapshots = new Map();
  for (const { week, document } of documents) {
    const byHierarchy = weeks.get(week) ?? new Map<string, UsageDocument>();
    const current = byHierarchy.get(document.hierarchyId);
    byHierarchy.set(document.hierarchyId, current === undefined ? document : laterOf(current, document));
    weeks.set(week, byHierarchy);
  }
  return weeks;
}

/** One categorical value of a week: as contract section 4.1 counts it (clients for hierarchy and clients kinds, count for sets). */
export interface ModelValue {
  hierarchies: number;
  clients: number;
  count: number;
}

/** One dimension of a week: the snapshots it applies to, and per value its counts or, for a distribution, the raw values (ascending). */
export interface ModelDimension {
  kind: DimensionKind;
  hierarchies: number;
  clients: number;
  values: Map<string, ModelValue>;
  numbers: number[];
}

/** One dimension of one week's snapshots. */
export function modelDimension(rule: DimensionRule, snapshots: ReadonlyMap<string, UsageDocument>): ModelDimension {
  const d: ModelDimension = { kind: rule.kind, hierarchies: 0, clients: 0, values: new Map(), numbers: [] };
  for (const doc of snapshots.values()) {
    const reading = rank[doc.level] >= rank[rule.level] ? rule.read(doc) : undefined;
    if (reading === undefined) continue;
    d.hierarchies += 1;
    d.clients += doc.clients.total;
    if (typeof reading === "number") {
      d.numbers.push(reading);
      continue;
    }
    const named = typeof reading === "string" ? new Map([[reading, 1]]) : reading;
    for (const [value, n] of named) {
      const e = d.values.get(value) ?? { hierarchies: 0, clients: 0, count: 0 };
      e.hierarchies += 1;
      if (rule.kind === "hierarchy") e.clients += doc.clients.total;
      if (rule.kind === "clients") e.clients += n;
      if (rule.kind === "set") e.count += n;
      d.values.set(value, e);
    }
  }
  d.numbers.sort((a, b) => a - b);
  return d;
}

/** A week's totals over its snapshots: what the versions, OS and features routes count. */
export interface WeekTotals {
  hierarchies: number;
  clients: number;
  featureHierarchies: number;
  versions: Map<string, { hierarchies: number; clients: number }>;
  os: Map<string, number>;
  features: Map<string, { enabledHierarchies: number; uses: number }>;
}

export function weekTotals(snapshots: ReadonlyMap<string, UsageDocument>): WeekTotals {
  const w: WeekTotals = { hierarchies: snapshots.size, clients: 0, featureHierarchies: 0, versions: new Map(), os: new Map(), features: new Map() };
  for (const doc of snapshots.values()) {
    w.clients += doc.clients.total;
    const v = w.versions.get(doc.product.version) ?? { hierarchies: 0, clients: 0 };
    w.versions.set(doc.product.version, { hierarchies: v.hierarchies + 1, clients: v.clients + doc.clients.total });
    for (const [name, n] of Object.entries(doc.clients.byOs)) w.os.set(name, (w.os.get(name) ?? 0) + n);
    // Features are not collected at level basic: such a hierarchy is not counted for them at all.
    if (doc.level === "basic") continue;
    w.featureHierarchies += 1;
    for (const [name, feature] of Object.entries(doc.features ?? {})) {
      const f = w.features.get(name) ?? { enabledHierarchies: 0, uses: 0 };
      w.features.set(name, { enabledHierarchies: f.enabledHierarchies + (feature.enabled ? 1 : 0), uses: f.uses + (feature.uses ?? 0) });
    }
  }
  return w;
}

export interface ModelWeek extends WeekTotals {
  /** Every dimension of the contract's table, by name. */
  dimensions: Map<string, ModelDimension>;
}

export interface Model {
  snapshots: Snapshots;
  weeks: Map<IsoWeek, ModelWeek>;
}

/** The statistics that `documents` must give, each in the ISO week of its `collectedAt`. */
export function referenceModel(documents: readonly UsageDocument[]): Model {
  const snapshots = snapshotsOf(documents.map((document) => ({ week: isoWeekOf(new Date(document.collectedAt)), document })));
  const weeks = new Map<IsoWeek, ModelWeek>();
  for (const [week, byHierarchy] of snapshots) {
    weeks.set(week, { ...weekTotals(byHierarchy), dimensions: new Map(dimensionRules.map((rule) => [rule.name, modelDimension(rule, byHierarchy)])) });
  }
  return { snapshots, weeks };
}

/** The nearest-rank percentile (the value at rank ⌈p·n⌉, p in whole percents so the rank is exact) of raw numbers; null for none. */
export function nearestRank(numbers: readonly number[], percent: number): number | null {
  if (numbers.length === 0) return null;
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil((percent * sorted.length) / 100)) - 1]!;
}
