/**
 * A believable ConfigMgr fleet, week by week: each hierarchy is a small state (topology,
 * release, SQL Server, client mix) that moves forward every week and is written out as the
 * `usage` document its SCP would upload. Deterministic: the documents, docIds included,
 * depend only on the seed, the hierarchy's index and the weeks.
 */
import { mondayOf, type IsoWeek } from "../../shared/isoWeek";
import type { UsageDocument } from "../../shared/validation/usageDocument";
import type { Clients, Feature, Level, Site, SiteRole, UsageV1 } from "../../shared/validation/usageV1";
import { hashDotnetGuid } from "./dotnetGuid";
import {
  currentBranch,
  features as featureProfiles,
  longTermServicing,
  officeVersions,
  osNames,
  sqlEditionWeights,
  sqlReleases,
  startingReleaseWeights,
  utcOffsets,
  cmgRegions,
  coManagementWorkloads,
  firstVersion2Release,
  languagePacks,
  scanErrorCodes,
  stepTypes,
  windowsBuilds,
  type ProductRelease,
} from "./fleetCatalog";
import { seededRandom, type Random } from "./seededRandom";

export interface FleetOptions {
  seed: string | number;
  hierarchies: number;
  /** The weeks to collect, oldest first. */
  weeks: readonly IsoWeek[];
  /** Share of hierarchies whose SCP is offline (0..1). */
  offlineShare: number;
}

/** One document and the week it was collected for. */
export interface FleetDocument {
  week: IsoWeek;
  document: UsageDocument;
}

export interface FleetHierarchy {
  index: number;
  /** The hierarchy GUID; only its hash leaves the site. */
  guid: string;
  hierarchyId: string;
  connectionMode: "online" | "offline";
  /** Oldest week first; a week may have two documents (the queries ran again). */
  documents: FleetDocument[];
}

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
// A second run in a week comes at most this much later, so it stays in the same ISO week.
const RERUN_MS = 4 * 3_600_000;
const RERUN_SHARE = 0.03;

/**
 * Splits `total` into integers proportional to `weights` that add up to it exactly (largest
 * remainder, ties to the earlier weight): the contract's sums must hold to the client.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

interface SiteState {
  siteHash: string;
  type: Site["type"];
  /** Share of the hierarchy's clients (primaries only; a CAS and secondaries have none assigned). */
  share: number;
  utcOffsetMinutes: number;
  roles: SiteRole[];
  /** Weeks a secondary takes to follow its primary onto a new release. */
  lagWeeks: number;
}

interface HierarchyState {
  level: Level;
  ltsb: boolean;
  release: number;
  previousRelease: number;
  weeksSinceUpgrade: number;
  upgradeChance: number;
  sites: SiteState[];
  clients: number;
  sql: { release: number; build: number; edition: UsageV1["database"]["sqlEdition"]; alwaysOn: boolean };
  sizePerClient: number;
  softwareAssuranceExpires: string | undefined;
  os: { name: string; weight: number; trend: number }[];
  office: { share: number; weights: number[] } | undefined;
  entraShare: number | undefined;
  coManagedShare: number | undefined;
  features: { name: string; enabled: boolean; counted: boolean; rate: number }[];
  compliance: { updates: number; scan: number; endpointProtection: boolean };
  offsetMs: number;
}

function siteHash(random: Random): string {
  return hashDotnetGuid(random.uuid());
}

function pickRoles(random: Random, always: readonly SiteRole[], sometimes: readonly (readonly [SiteRole, number])[]): SiteRole[] {
  return [...always, ...sometimes.filter(([, p]) => random.chance(p)).map(([role]) => role)];
}

/** A CAS with 1..25 primaries (most have few) or one standalone primary; secondaries under some primaries. */
function makeSites(random: Random): SiteState[] {
  const cas = random.chance(0.18);
  const primaries = cas ? Math.min(25, random.pareto(1, 1.2, 25)) : 1;
  const sites: SiteState[] = [];
  const offset = () => random.weighted(utcOffsets);
  const top: readonly (readonly [SiteRole, number])[] = [["reporting-services-point", 0.7], ["endpoint-protection-point", 0.3]];
  if (cas) sites.push({ siteHash: siteHash(random), type: "cas", share: 0, utcOffsetMinutes: offset(), roles: pickRoles(random, ["service-connection-point"], top), lagWeeks: 0 });
  for (let p = 0; p < primaries; p++) {
    const roles = pickRoles(random, ["management-point", "distribution-point"], [
      ["software-update-point", 0.9],
      ["cloud-management-gateway", 0.3],
      ["fallback-status-point", 0.25],
      ["state-migration-point", 0.1],
      ...(cas ? [] : top),
    ]);
    if (!cas) roles.unshift("service-connection-point");
    sites.push({ siteHash: siteHash(random), type: "primary", share: 0.2 + random.next(), utcOffsetMinutes: offset(), roles, lagWeeks: 0 });
    const secondaries = random.weighted([[0, 60], [1, 18], [2, 10], [4, 8], [8, 4]] as const);
    for (let s = 0; s < secondaries; s++) {
      const secondaryRoles = pickRoles(random, ["management-point", "distribution-point"], [["software-update-point", 0.3]]);
      sites.push({ siteHash: siteHash(random), type: "secondary", share: 0, utcOffsetMinutes: offset(), roles: secondaryRoles, lagWeeks: random.int(0, 3) });
    }
  }
  return sites;
}

function initialState(random: Random, firstWeek: IsoWeek): HierarchyState {
  const sites = makeSites(random);
  const cas = sites[0]!.type === "cas";
  const ltsb = random.chance(0.02);
  const release = random.weighted(currentBranch.map((_, i) => [i, startingReleaseWeights[i] ?? 1] as const));
  const sqlRelease = random.weighted(sqlReleases.map((r, i) => [i, r.weight] as const));
  const edition = random.weighted(sqlEditionWeights);
  const start = mondayOf(firstWeek).getTime();
  const os = osNames.filter((o) => o.weight >= 3 || random.chance(0.4)).map((o) => ({ ...o, weight: o.weight * (0.3 + random.next() * 1.4) }));
  const entraShare = random.chance(0.88) ? random.next() * 0.8 : undefined;
  return {
    level: random.weighted([["basic", 12], ["enhanced", 73], ["full", 15]] as const),
    ltsb,
    release,
    previousRelease: Math.max(0, release - 1),
    weeksSinceUpgrade: random.int(2, 40),
    upgradeChance: 0.005 + random.next() * 0.06,
    sites,
    clients: cas ? random.pareto(4000, 1.1, 700_000) : random.pareto(500, 1.05, 150_000),
    sql: {
      release: sqlRelease,
      build: random.int(0, sqlReleases[sqlRelease]!.builds.length - 1),
      edition,
      alwaysOn: edition !== "developer" && random.chance(cas ? 0.35 : 0.1),
    },
    sizePerClient: 0.25 + random.next() * 0.5,
    softwareAssuranceExpires: random.chance(0.75) ? new Date(start + random.int(-26, 104) * WEEK_MS).toISOString().slice(0, 10) : undefined,
    os,
    office: random.chance(0.85) ? { share: 0.55 + random.next() * 0.4, weights: officeVersions.map(([, w]) => w * random.next()) } : undefined,
    entraShare,
    coManagedShare: entraShare !== undefined && random.chance(0.75) ? entraShare * random.next() : undefined,
    features: featureProfiles
      .filter((f) => random.chance(Math.min(1, f.adoption + 0.3)))
      .map((f) => ({ name: f.name, enabled: random.chance(f.adoption / Math.min(1, f.adoption + 0.3)), counted: f.counted, rate: random.next() * 20 })),
    compliance: { updates: 60 + random.next() * 39, scan: 85 + random.next() * 15, endpointProtection: random.chance(0.8) },
    offsetMs: random.int(0, WEEK_MS - RERUN_MS - 3_600_000),
  };
}

function releaseOf(state: HierarchyState, index: number): ProductRelease {
  return state.ltsb ? longTermServicing : currentBranch[index]!;
}

/** One week on: upgrades (never back), growth, patching, adoption. */
function advance(random: Random, state: HierarchyState): void {
  state.weeksSinceUpgrade += 1;
  if (!state.ltsb && state.release < currentBranch.length - 1 && random.chance(state.upgradeChance)) {
    state.previousRelease = state.release;
    state.release = Math.min(currentBranch.length - 1, state.release + (random.chance(0.2) ? 2 : 1));
    state.weeksSinceUpgrade = 0;
  }
  state.clients = Math.max(0, Math.round(state.clients * (0.99 + random.next() * 0.025)));
  // History accumulates: the database grows a little every week.
  state.sizePerClient *= 1.002;
  const builds = sqlReleases[state.sql.release]!.builds;
  if (state.sql.build < builds.length - 1 && random.chance(0.04)) state.sql.build += 1;
  for (const o of state.os) o.weight *= o.trend;
  if (state.entraShare !== undefined) state.entraShare = Math.min(1, state.entraShare + random.next() * 0.01);
  for (const f of state.features) if (!f.enabled && random.chance(0.01)) f.enabled = true;
  state.compliance.updates = Math.min(100, Math.max(0, state.compliance.updates + (random.next() - 0.5) * 6));
  state.compliance.scan = Math.min(100, Math.max(0, state.compliance.scan + (random.next() - 0.5) * 2));
}

/** Clients move to the new build over the weeks after an upgrade; the rest stay on the builds before it. */
function clientBuilds(state: HierarchyState, total: number): Record<string, number> {
  const current = releaseOf(state, state.release).build;
  if (state.ltsb) return Object.fromEntries([[current, total]]);
  const onCurrent = Math.min(0.97, 0.25 + 0.12 * state.weeksSinceUpgrade);
  const older = [...new Set([state.previousRelease, Math.max(0, state.previousRelease - 1)])].filter((i) => i < state.release);
  const builds = [current, ...older.map((i) => currentBranch[i]!.build)];
  const weights = [onCurrent, ...older.map((_, i) => (1 - onCurrent) * (i === 0 ? 0.7 : 0.3))];
  if (older.length === 0) return Object.fromEntries([[current, total]]);
  const parts = apportion(total, weights);
  return Object.fromEntries(builds.map((build, i) => [build, parts[i] ?? 0]));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function writeDocument(random: Random, state: HierarchyState, collectedAtMs: number, mode: FleetHierarchy["connectionMode"], hierarchyId: string): UsageV1 {
  const release = releaseOf(state, state.release);
  const behind = releaseOf(state, state.previousRelease);
  const total = state.clients;
  const primaryCounts = apportion(total, state.sites.map((s) => s.share));
  const sites: Site[] = state.sites.map((s, i) => ({
    siteHash: s.siteHash,
    type: s.type,
    build: s.type === "secondary" && state.weeksSinceUpgrade < s.lagWeeks ? behind.build : release.build,
    clientCount: primaryCounts[i] ?? 0,
    utcOffsetMinutes: s.utcOffsetMinutes,
    roles: [...s.roles],
  }));
  const osCounts = apportion(total, state.os.map((o) => o.weight));
  const clients: Clients = {
    total,
    byClientBuild: clientBuilds(state, total),
    byOs: Object.fromEntries(state.os.map((o, i) => [o.name, osCounts[i] ?? 0])),
  };
  if (state.office !== undefined) {
    const counts = apportion(Math.round(total * state.office.share), state.office.weights);
    clients.byOfficeVersion = Object.fromEntries(officeVersions.map(([name], i): [string, number] => [name, counts[i] ?? 0]).filter(([, n]) => n !== 0));
  }
  if (state.entraShare !== undefined) clients.entraJoined = Math.round(total * state.entraShare);
  if (state.coManagedShare !== undefined) clients.coManaged = Math.round(total * state.coManagedShare);
  const sql = sqlReleases[state.sql.release]!;
  const document: UsageV1 = {
    schemaVersion: 1,
    docId: random.uuid(),
    hierarchyId,
    collectedAt: new Date(collectedAtMs).toISOString(),
    level: state.level,
    connectionMode: mode,
    product: {
      version: release.version,
      build: release.build,
      branch: state.ltsb ? "ltsb" : "current",
      ...(state.softwareAssuranceExpires === undefined ? {} : { softwareAssuranceExpires: state.softwareAssuranceExpires }),
    },
    sites,
    database: {
      sqlVersion: sql.builds[state.sql.build]!,
      sqlEdition: state.sql.edition,
      sizeMb: Math.round(1500 + total * state.sizePerClient),
      alwaysOn: state.sql.alwaysOn,
    },
    clients,
    collection: { runtimeSeconds: round1(20 + (total / 1000) * (2 + random.next() * 6)), errors: random.chance(0.05) ? random.int(1, 3) : 0 },
  };
  if (state.level !== "basic") {
    document.features = Object.fromEntries(
      state.features.map((f): [string, Feature] => [
        f.name,
        f.counted && f.enabled ? { enabled: true, uses: Math.round(f.rate * Math.sqrt(total) * (0.5 + random.next())) } : { enabled: f.enabled },
      ]),
    );
  }
  if (state.level === "full") {
    const protectedShare = 0.85 + random.next() * 0.13;
    const [prot = 0, atRisk = 0, unknown = 0, unsupported = 0] = apportion(total, [protectedShare, 0.01 + random.next() * 0.03, 0.02, 0.01]);
    document.compliance = {
      softwareUpdateCompliancePercent: round1(state.compliance.updates),
      scanSuccessPercent: round1(state.compliance.scan),
      ...(state.compliance.endpointProtection ? { endpointProtection: { protected: prot, atRisk, unknown, unsupported } } : {}),
    };
  }
  return document;
}

/** `count` distinct picks of a weighted list (fewer when it has fewer). */
function distinctWeighted<T>(random: Random, items: readonly (readonly [T, number])[], count: number): T[] {
  const left = [...items];
  const picked: T[] = [];
  while (picked.length < count && left.length > 0) {
    const item = random.weighted(left.map((entry, i) => [i, entry[1]] as const));
    picked.push(left[item]![0]);
    left.splice(item, 1);
  }
  return picked;
}

/**
 * The document as an SCP on `firstVersion2Release` or later sends it: usage version 2, with
 * its new parts (contract section 3.2). What a hierarchy has (language packs, regions,
 * workloads) comes from a stream of the hierarchy's own, so it stays put from week to week;
 * the counts from one of the document's. Neither touches the v1 document's stream, so a
 * fleet's v1 documents are the same as before v2 existed.
 */
function asVersion2(doc: UsageV1): UsageDocument {
  const lasting = seededRandom(doc.hierarchyId, "usage v2 hierarchy");
  const weekly = seededRandom(doc.docId, "usage v2 document");
  const total = doc.clients.total;
  const builds = distinctWeighted(lasting, windowsBuilds, lasting.int(1, 4));
  const buildCounts = apportion(total, builds.map(() => 0.2 + weekly.next()));
  const arm64 = lasting.chance(0.3) ? Math.round(total * 0.02 * weekly.next()) : 0;
  const x86 = lasting.chance(0.2) ? Math.round((total - arm64) * 0.01 * weekly.next()) : 0;
  const architecture: Record<string, number> = { x64: total - arm64 - x86, ...(arm64 > 0 ? { arm64 } : {}), ...(x86 > 0 ? { x86 } : {}) };
  const failed = weekly.chance(0.05);
  const hasCmg = doc.sites.some((site) => site.roles.includes("cloud-management-gateway"));
  const v2: UsageDocument = {
    ...doc,
    schemaVersion: 2,
    clients: { ...doc.clients, byWindowsBuild: Object.fromEntries(builds.map((build, i) => [build, buildCounts[i] ?? 0])), byArchitecture: architecture },
    setup: {
      installType: lasting.weighted([["upgrade", 8], ["new", 3], ["recovery", 1]] as const),
      languagePacks: distinctWeighted(lasting, languagePacks, lasting.chance(0.6) ? 0 : lasting.int(1, 3)),
      lastUpdatePack: failed
        ? { version: doc.product.version, state: "failed", errorCode: weekly.weighted([[-2147467259, 3], [-2146885628, 1]] as const) }
        : { version: doc.product.version, state: weekly.chance(0.03) ? "in-progress" : "installed" },
    },
    cloud: {
      cmgCount: hasCmg ? lasting.int(1, 3) : 0,
      cmgRegions: hasCmg ? distinctWeighted(lasting, cmgRegions, lasting.int(1, 2)) : [],
      tenantAttached: lasting.chance(0.5),
    },
  };
  if (doc.level === "basic") return v2;
  const authorities = [["configmgr", 4], ["pilot", 2], ["intune", 4]] as const;
  const workloads = coManagementWorkloads.filter(() => lasting.chance(0.6));
  const errors = scanErrorCodes.filter(() => weekly.chance(0.3));
  return {
    ...v2,
    ...(lasting.chance(0.7) ? { coManagement: { workloads: Object.fromEntries(workloads.map((w) => [w, lasting.weighted(authorities)])) } } : {}),
    updates: { adrCount: lasting.int(0, 40), scanErrors: errors.map((code) => ({ code, count: weekly.int(1, Math.max(1, Math.ceil(total / 100))) })) },
    ...(lasting.chance(0.6)
      ? { osd: { taskSequences: lasting.int(1, 30), stepsByType: Object.fromEntries(distinctWeighted(lasting, stepTypes, lasting.int(2, 7)).map((step) => [step, weekly.int(0, 200)])) } }
      : {}),
  };
}

/** The version an SCP of the document's release sends: 2 from `firstVersion2Release` on (YYMM compares as text), else 1. */
function asSent(doc: UsageV1): UsageDocument {
  return doc.product.version >= firstVersion2Release ? asVersion2(doc) : doc;
}

/** One hierarchy's documents over `options.weeks`. */
export function generateHierarchy(options: FleetOptions, index: number): FleetHierarchy {
  const random = seededRandom(options.seed, `hierarchy ${index}`);
  const guid = random.uuid();
  const hierarchyId = hashDotnetGuid(guid);
  const connectionMode = random.chance(options.offlineShare) ? "offline" : "online";
  const first = options.weeks[0];
  const documents: FleetDocument[] = [];
  if (first === undefined) return { index, guid, hierarchyId, connectionMode, documents };
  const state = initialState(random, first);
  options.weeks.forEach((week, w) => {
    if (w > 0) advance(random, state);
    const jitter = random.int(-600_000, 600_000);
    const offset = Math.min(WEEK_MS - RERUN_MS - 1, Math.max(0, state.offsetMs + jitter));
    const at = mondayOf(week).getTime() + offset;
    documents.push({ week, document: asSent(writeDocument(random, state, at, connectionMode, hierarchyId)) });
    if (random.chance(RERUN_SHARE)) documents.push({ week, document: asSent(writeDocument(random, state, at + random.int(60_000, RERUN_MS - 1), connectionMode, hierarchyId)) });
  });
  return { index, guid, hierarchyId, connectionMode, documents };
}

/** The whole fleet: `options.hierarchies` hierarchies, each on its own seeded stream. */
export function generateFleet(options: FleetOptions): FleetHierarchy[] {
  return Array.from({ length: options.hierarchies }, (_, index) => generateHierarchy(options, index));
}
