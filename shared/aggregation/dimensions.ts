/**
 * Every dimension of contract section 4.1, declared once: its name, kind, the lowest level
 * it needs, a description for product teams, and how a validated document gives its value.
 * Aggregation, the routes, CSV, the published rows and docs/dimensions.md all follow from
 * this list; adding a dimension is one entry here plus its tests.
 *
 * Readers return `Map`s, never plain objects: an OS or Office version may be called
 * `__proto__` or `constructor`.
 */
import type { UsageDocument } from "../validation/usageDocument";
import type { Level } from "../validation/usageV1";

/** How a snapshot gives a dimension's value(s), and so how a week counts them (contract section 4.1). */
export type DimensionKind = "hierarchy" | "set" | "clients" | "distribution";

/** What one snapshot gives, by kind. */
export interface DimensionValueByKind {
  /** One value. */
  hierarchy: string;
  /** value -> how often the snapshot names it (siteType: its sites of that type; siteRole: its sites with that role). */
  set: ReadonlyMap<string, number>;
  /** name -> clients; a name reported with 0 clients is there with 0. */
  clients: ReadonlyMap<string, number>;
  /** One finite number ≥ 0. */
  distribution: number;
}

/** One declared dimension of a given kind. */
export interface DimensionOf<K extends DimensionKind> {
  readonly name: string;
  readonly kind: K;
  /** The lowest collection level it needs: snapshots below it do not count for it. */
  readonly level: Level;
  /** One sentence a product team reads (the dimensions route and docs/dimensions.md show it). */
  readonly description: string;
  /**
   * The usage version that first carries the field (contract section 4.1, `sinceVersion`):
   * a snapshot of an earlier version never counts in it, as it cannot carry the field.
   */
  readonly sinceVersion: 1 | 2;
  /**
   * A distribution's largest possible value (a percentage's 100). A bucket reaches up to 0.97%
   * past its values, so estimates taken from buckets are held to it.
   */
  readonly upperBound?: number;
  /**
   * The snapshot's value(s), or undefined when the dimension does not apply to it: the
   * snapshot is below the dimension's level, or does not carry the field. Only snapshots it
   * applies to count in its `hierarchies` and `clients`.
   */
  readonly read: (doc: UsageDocument) => DimensionValueByKind[K] | undefined;
}

/** Any declared dimension; switch on `kind` to get its reader's type. */
export type Dimension = { [K in DimensionKind]: DimensionOf<K> }[DimensionKind];

const levelRanks: Readonly<Record<Level, number>> = Object.freeze({ basic: 1, enhanced: 2, full: 3 });

/**
 * A dimension with its level enforced: the one place that keeps snapshots below a
 * dimension's level out of it, so that no reader has to remember to.
 */
function declare<K extends DimensionKind>(kind: K, entry: DimensionEntry<K>): DimensionOf<K> {
  const needed = levelRanks[entry.level];
  return Object.freeze({
    name: entry.name,
    kind,
    level: entry.level,
    description: entry.description,
    sinceVersion: entry.sinceVersion ?? 1,
    ...(entry.upperBound === undefined ? {} : { upperBound: entry.upperBound }),
    read: (doc: UsageDocument) => (levelRanks[doc.level] >= needed ? entry.read(doc) : undefined),
  });
}

/** A declaration as written below: `sinceVersion` defaults to 1. */
type DimensionEntry<K extends DimensionKind> = Omit<DimensionOf<K>, "kind" | "sinceVersion"> & { sinceVersion?: 1 | 2 };

const hierarchy = (entry: DimensionEntry<"hierarchy">) => declare("hierarchy", entry);
const set = (entry: DimensionEntry<"set">) => declare("set", entry);
const clients = (entry: DimensionEntry<"clients">) => declare("clients", entry);
const distribution = (entry: DimensionEntry<"distribution">) => declare("distribution", entry);

/** `15.0` from `15.0.4153.1`: the schema requires four dot-separated numbers. */
function sqlMajorMinor(doc: UsageDocument): string {
  return doc.database.sqlVersion.split(".").slice(0, 2).join(".");
}

/**
 * `active` when Software Assurance expires on or after the UTC date of collectedAt. The
 * schema makes collectedAt `YYYY-MM-DDT…Z` and the expiry `YYYY-MM-DD`, so the first ten
 * characters are the UTC date and dates of that form compare as text.
 */
function softwareAssuranceOf(doc: UsageDocument): string {
  const expires = doc.product.softwareAssuranceExpires;
  if (expires === undefined) return "none";
  return expires >= doc.collectedAt.slice(0, 10) ? "active" : "expired";
}

/** How often each value occurs. */
function occurrences(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Object.entries reads own properties only, `__proto__` included, as JSON.parse made them. */
function mapOf(record: Readonly<Record<string, number>>): Map<string, number> {
  return new Map(Object.entries(record));
}

/** 100 × part / total, where the part is reported and there are clients to divide by. */
function percentOfClients(doc: UsageDocument, part: number | undefined): number | undefined {
  return part === undefined || doc.clients.total === 0 ? undefined : (100 * part) / doc.clients.total;
}

/** Every dimension, in the order of the contract's tables (version 1's, then version 2's); names are unique. */
export const dimensions: readonly Dimension[] = Object.freeze([
  hierarchy({
    name: "version",
    level: "basic",
    description: "The Configuration Manager version the top-level site runs, as YYMM (2409).",
    read: (doc) => doc.product.version,
  }),
  hierarchy({
    name: "build",
    level: "basic",
    description: "The full build number of the top-level site (5.00.9132.1000).",
    read: (doc) => doc.product.build,
  }),
  hierarchy({
    name: "branch",
    level: "basic",
    description: "The servicing branch: current, ltsb (long-term servicing) or technical-preview.",
    read: (doc) => doc.product.branch,
  }),
  hierarchy({
    name: "level",
    level: "basic",
    description: "The level the hierarchy collects diagnostic data at: basic, enhanced or full.",
    read: (doc) => doc.level,
  }),
  hierarchy({
    name: "connectionMode",
    level: "basic",
    description: "Whether the service connection point uploads by itself (online) or through the service connection tool (offline).",
    read: (doc) => doc.connectionMode,
  }),
  hierarchy({
    name: "topology",
    level: "basic",
    description: "Whether the hierarchy has a central administration site (cas) or is one primary site on its own (standalone).",
    read: (doc) => (doc.sites.some((site) => site.type === "cas") ? "cas" : "standalone"),
  }),
  hierarchy({
    name: "sqlVersion",
    level: "basic",
    description: "The SQL Server major and minor version of the site database (15.0 is SQL Server 2019).",
    read: sqlMajorMinor,
  }),
  hierarchy({
    name: "sqlEdition",
    level: "basic",
    description: "The SQL Server edition of the site database: enterprise, standard, express, developer or azure-sql-mi.",
    read: (doc) => doc.database.sqlEdition,
  }),
  hierarchy({
    name: "alwaysOn",
    level: "basic",
    description: "Whether the site database is in an Always On availability group: true or false.",
    read: (doc) => String(doc.database.alwaysOn),
  }),
  hierarchy({
    name: "softwareAssurance",
    level: "basic",
    description: "Whether Software Assurance was active or expired on the day the data was collected, or none when no expiry is recorded.",
    read: softwareAssuranceOf,
  }),
  hierarchy({
    name: "versionBySqlVersion",
    level: "basic",
    description: "The Configuration Manager version and the SQL Server version together, as version|sqlVersion (2409|15.0).",
    read: (doc) => `${doc.product.version}|${sqlMajorMinor(doc)}`,
  }),
  set({
    name: "siteType",
    level: "basic",
    description: "The types of site a hierarchy has (cas, primary, secondary); count is the number of such sites.",
    read: (doc) => occurrences(doc.sites.map((site) => site.type)),
  }),
  set({
    name: "siteRole",
    level: "basic",
    description: "The site system roles a hierarchy has installed; count is the number of sites with the role.",
    // The schema makes each site's roles unique, so occurrences are sites with the role.
    read: (doc) => occurrences(doc.sites.flatMap((site) => site.roles)),
  }),
  clients({
    name: "os",
    level: "basic",
    description: "Clients by operating system.",
    read: (doc) => mapOf(doc.clients.byOs),
  }),
  clients({
    name: "clientBuild",
    level: "basic",
    description: "Clients by Configuration Manager client build.",
    read: (doc) => mapOf(doc.clients.byClientBuild),
  }),
  clients({
    name: "officeVersion",
    level: "basic",
    description: "Clients by Microsoft 365 Apps or Office version, over the hierarchies that report it.",
    read: (doc) => (doc.clients.byOfficeVersion === undefined ? undefined : mapOf(doc.clients.byOfficeVersion)),
  }),
  clients({
    name: "endpointProtection",
    level: "full",
    description: "Clients by Endpoint Protection state (protected, atRisk, unknown, unsupported), over the hierarchies that report it.",
    read: (doc) => {
      const states = doc.compliance?.endpointProtection;
      if (states === undefined) return undefined;
      return new Map([
        ["protected", states.protected],
        ["atRisk", states.atRisk],
        ["unknown", states.unknown],
        ["unsupported", states.unsupported],
      ]);
    },
  }),
  distribution({
    name: "clients",
    level: "basic",
    description: "The number of clients a hierarchy manages.",
    read: (doc) => doc.clients.total,
  }),
  distribution({
    name: "sites",
    level: "basic",
    description: "The number of sites a hierarchy has.",
    read: (doc) => doc.sites.length,
  }),
  distribution({
    name: "databaseSizeMb",
    level: "basic",
    description: "The size of the site database, in MB.",
    read: (doc) => doc.database.sizeMb,
  }),
  distribution({
    name: "entraJoinedPercent",
    upperBound: 100,
    level: "basic",
    description: "The percentage of a hierarchy's clients joined to Microsoft Entra ID, over the hierarchies that report it and have clients.",
    read: (doc) => percentOfClients(doc, doc.clients.entraJoined),
  }),
  distribution({
    name: "coManagedPercent",
    upperBound: 100,
    level: "basic",
    description: "The percentage of a hierarchy's clients co-managed with Intune, over the hierarchies that report it and have clients.",
    read: (doc) => percentOfClients(doc, doc.clients.coManaged),
  }),
  distribution({
    name: "softwareUpdateCompliancePercent",
    upperBound: 100,
    level: "full",
    description: "The software update compliance percentage a hierarchy reports.",
    read: (doc) => doc.compliance?.softwareUpdateCompliancePercent,
  }),
  distribution({
    name: "scanSuccessPercent",
    upperBound: 100,
    level: "full",
    description: "The percentage of software update scans that succeeded.",
    read: (doc) => doc.compliance?.scanSuccessPercent,
  }),
  distribution({
    name: "collectionRuntimeSeconds",
    level: "basic",
    description: "How long the weekly data collection queries ran, in seconds.",
    read: (doc) => doc.collection.runtimeSeconds,
  }),
  // Version 2's (contract section 4.1, second table). Each reads a part only version 2 can
  // carry, so a v1 snapshot gives undefined and never counts in them.
  hierarchy({
    name: "setupInstallType",
    level: "basic",
    sinceVersion: 2,
    description: "How the hierarchy was installed: new, upgrade or recovery.",
    read: (doc) => doc.setup?.installType,
  }),
  hierarchy({
    name: "lastUpdatePackState",
    level: "basic",
    sinceVersion: 2,
    description: "The last update pack the hierarchy took and how it went, as version|state (2409|failed).",
    read: (doc) => {
      const pack = doc.setup?.lastUpdatePack;
      return pack === undefined ? undefined : `${pack.version}|${pack.state}`;
    },
  }),
  set({
    name: "languagePack",
    level: "basic",
    sinceVersion: 2,
    description: "The server language packs a hierarchy has installed (de-DE); count is the hierarchies naming it.",
    // The schema makes languagePacks unique, so each is named once per snapshot.
    read: (doc) => (doc.setup === undefined ? undefined : occurrences(doc.setup.languagePacks)),
  }),
  clients({
    name: "windowsBuild",
    level: "basic",
    sinceVersion: 2,
    description: "Clients by Windows build (10.0.22631), over the hierarchies that report it.",
    read: (doc) => (doc.clients.byWindowsBuild === undefined ? undefined : mapOf(doc.clients.byWindowsBuild)),
  }),
  clients({
    name: "architecture",
    level: "basic",
    sinceVersion: 2,
    description: "Clients by processor architecture (x64, arm64, x86), over the hierarchies that report it.",
    read: (doc) => (doc.clients.byArchitecture === undefined ? undefined : mapOf(doc.clients.byArchitecture as Record<string, number>)),
  }),
  hierarchy({
    name: "tenantAttached",
    level: "basic",
    sinceVersion: 2,
    description: "Whether the hierarchy is attached to a Microsoft Intune tenant: true or false.",
    read: (doc) => (doc.cloud === undefined ? undefined : String(doc.cloud.tenantAttached)),
  }),
  set({
    name: "cmgRegion",
    level: "basic",
    sinceVersion: 2,
    description: "The Azure regions a hierarchy runs cloud management gateways in; count is the hierarchies naming it.",
    // The schema makes cmgRegions unique.
    read: (doc) => (doc.cloud === undefined ? undefined : occurrences(doc.cloud.cmgRegions)),
  }),
  distribution({
    name: "cmgCount",
    level: "basic",
    sinceVersion: 2,
    description: "The number of cloud management gateways a hierarchy runs, over the hierarchies that report it.",
    read: (doc) => doc.cloud?.cmgCount,
  }),
  set({
    name: "coManagementWorkload",
    level: "enhanced",
    sinceVersion: 2,
    description: "Who manages each co-management workload, as workload|authority (clientApps|intune).",
    read: (doc) => {
      const workloads = doc.coManagement?.workloads;
      if (workloads === undefined) return undefined;
      return occurrences(Object.entries(workloads).map(([workload, authority]) => `${workload}|${authority}`));
    },
  }),
  distribution({
    name: "adrCount",
    level: "enhanced",
    sinceVersion: 2,
    description: "The number of automatic deployment rules a hierarchy has, over the hierarchies that report it.",
    read: (doc) => doc.updates?.adrCount,
  }),
  set({
    name: "updateScanError",
    level: "enhanced",
    sinceVersion: 2,
    description: "The update scan error codes hierarchies report, in decimal; count is the summed number of clients reporting it.",
    // Codes are unique within a snapshot (a semantic rule), so each entry is its code's count.
    read: (doc) => (doc.updates === undefined ? undefined : new Map(doc.updates.scanErrors.map((entry) => [String(entry.code), entry.count]))),
  }),
  distribution({
    name: "osdTaskSequences",
    level: "enhanced",
    sinceVersion: 2,
    description: "The number of OS deployment task sequences a hierarchy has, over the hierarchies that report it.",
    read: (doc) => doc.osd?.taskSequences,
  }),
  clients({
    name: "osdStepType",
    level: "enhanced",
    sinceVersion: 2,
    description: "Task sequence steps by step type, summed over the hierarchies that report them.",
    read: (doc) => (doc.osd === undefined ? undefined : mapOf(doc.osd.stepsByType)),
  }),
]);

const byName: ReadonlyMap<string, Dimension> = new Map(dimensions.map((dimension) => [dimension.name, dimension]));

/** The dimension called `name` (as a route's path gives it), or undefined: a Map, so `__proto__` is just an unknown name. */
export function dimensionNamed(name: string): Dimension | undefined {
  return byName.get(name);
}
