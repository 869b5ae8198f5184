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
  /** Every dimension of the contract's table, by name. */
  dimensions: Map<string, ModelDimension>;
  hierarchies: number;
  clients: number;
  featureHierarchies: number;
  versions: Map<string, { hierarchies: number; clients: number }>;
  os: Map<string, number>;
  features: Map<string, { enabledHierarchies: number; uses: number }>;
}

/** One categorical value of a week: as contract section 4.1 counts it. */
export interface ModelValue {
  hierarchies: number;
  clients: number;
  count: number;
}

/** One dimension of a week: the snapshots it applies to, and per value its counts or, for a distribution, the raw values. */
export interface ModelDimension {
  kind: "hierarchy" | "set" | "clients" | "distribution";
  hierarchies: number;
  clients: number;
  values: Map<string, ModelValue>;
  numbers: number[];
}

const percent = (doc: UsageV1, part: number | undefined) => (part === undefined || doc.clients.total === 0 ? undefined : (100 * part) / doc.clients.total);

/**
 * What each dimension of the contract's table reads from a document, written again from the
 * contract's words (not shared/aggregation/dimensions.ts): undefined where it does not apply.
 */
function dimensionValues(doc: UsageV1): [string, ModelDimension["kind"], string | Map<string, number> | number | undefined][] {
  const sql = doc.database.sqlVersion.split(".").slice(0, 2).join(".");
  const expires = doc.product.softwareAssuranceExpires;
  const tally = (names: string[]) => {
    const m = new Map<string, number>();
    for (const n of names) m.set(n, (m.get(n) ?? 0) + 1);
    return m;
  };
  // Endpoint Protection and the compliance percentages need level full.
  const full = doc.level === "full";
  const ep = full ? doc.compliance?.endpointProtection : undefined;
  return [
    ["version", "hierarchy", doc.product.version],
    ["build", "hierarchy", doc.product.build],
    ["branch", "hierarchy", doc.product.branch],
    ["level", "hierarchy", doc.level],
    ["connectionMode", "hierarchy", doc.connectionMode],
    ["topology", "hierarchy", doc.sites.some((s) => s.type === "cas") ? "cas" : "standalone"],
    ["sqlVersion", "hierarchy", sql],
    ["sqlEdition", "hierarchy", doc.database.sqlEdition],
    ["alwaysOn", "hierarchy", doc.database.alwaysOn ? "true" : "false"],
    ["softwareAssurance", "hierarchy", expires === undefined ? "none" : expires >= doc.collectedAt.slice(0, 10) ? "active" : "expired"],
    ["versionBySqlVersion", "hierarchy", `${doc.product.version}|${sql}`],
    ["siteType", "set", tally(doc.sites.map((s) => s.type))],
    ["siteRole", "set", tally(doc.sites.flatMap((s) => s.roles))],
    ["os", "clients", new Map(Object.entries(doc.clients.byOs))],
    ["clientBuild", "clients", new Map(Object.entries(doc.clients.byClientBuild))],
    ["officeVersion", "clients", doc.clients.byOfficeVersion === undefined ? undefined : new Map(Object.entries(doc.clients.byOfficeVersion))],
    [
      "endpointProtection",
      "clients",
      ep === undefined ? undefined : new Map([["protected", ep.protected], ["atRisk", ep.atRisk], ["unknown", ep.unknown], ["unsupported", ep.unsupported]]),
    ],
    ["clients", "distribution", doc.clients.total],
    ["sites", "distribution", doc.sites.length],
    ["databaseSizeMb", "distribution", doc.database.sizeMb],
    ["entraJoinedPercent", "distribution", percent(doc, doc.clients.entraJoined)],
    ["coManagedPercent", "distribution", percent(doc, doc.clients.coManaged)],
    ["softwareUpdateCompliancePercent", "distribution", full ? doc.compliance?.softwareUpdateCompliancePercent : undefined],
    ["scanSuccessPercent", "distribution", full ? doc.compliance?.scanSuccessPercent : undefined],
    ["collectionRuntimeSeconds", "distribution", doc.collection.runtimeSeconds],
  ];
}

/** Adds a snapshot to a week's dimensions. */
function countDimensions(dimensions: Map<string, ModelDimension>, doc: UsageV1): void {
  for (const [name, kind, value] of dimensionValues(doc)) {
    const d: ModelDimension = dimensions.get(name) ?? { kind, hierarchies: 0, clients: 0, values: new Map(), numbers: [] };
    dimensions.set(name, d);
    if (value === undefined) continue;
    d.hierarchies += 1;
    d.clients += doc.clients.total;
    if (typeof value === "number") {
      d.numbers.push(value);
      continue;
    }
    const named = typeof value === "string" ? new Map([[value, 1]]) : value;
    for (const [v, n] of named) {
      const e = d.values.get(v) ?? { hierarchies: 0, clients: 0, count: 0 };
      e.hierarchies += 1;
      if (kind === "hierarchy") e.clients += doc.clients.total;
      if (kind === "clients") e.clients += n;
      if (kind === "set") e.count += n;
      d.values.set(v, e);
    }
  }
}

/** The nearest-rank percentile of raw values (the value at rank ⌈p·n⌉), from the values themselves. */
export function nearestRank(numbers: readonly number[], p: number): number | null {
  if (numbers.length === 0) return null;
  const sorted = [...numbers].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1]!;
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
    const w: ModelWeek = { dimensions: new Map(), hierarchies: 0, clients: 0, featureHierarchies: 0, versions: new Map(), os: new Map(), features: new Map() };
    for (const doc of byHierarchy.values()) {
      countDimensions(w.dimensions, doc);
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
