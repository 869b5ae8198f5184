/**
 * A synthetic fleet for the aggregation and query benchmarks: valid usage documents whose
 * OS and feature maps look like a real fleet's (a few hundred distinct OS names, popular
 * ones in most hierarchies and a long tail; a few dozen features; several product
 * versions and all three levels), archived in the raw container exactly as ingestion
 * stores them (canonical JSON, its SHA-256, RawArchive.put), with the claim check that
 * ingestion would queue.
 *
 * Seeded, so that two runs aggregate the same kind of documents.
 */
import { randomUUID } from "node:crypto";
import { canonicalJson } from "../shared/ingestion/canonicalJson";
import { sha256Hex } from "../shared/sha256Hex";
import { isoWeekOf, mondayOf, type IsoWeek } from "../shared/isoWeek";
import type { ClaimCheck } from "../shared/storage/claimCheck";
import { rawBlobName, type RawArchive } from "../shared/storage/rawArchive";
import type { Feature, Level, UsageV1 } from "../shared/validation/usageV1";
import { clientsForTotal, makeUsageDocument, randomBase64Sha256, splitTotal } from "../devkit/usageDocuments";
import { throughput } from "./measure";

/** A small seeded PRNG (mulberry32), so a run's fleet has the same shape every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const editions = [
  "Windows 11 Enterprise", "Windows 11 Pro", "Windows 11 Education", "Windows 11 Enterprise multi-session",
  "Windows 10 Enterprise", "Windows 10 Pro", "Windows 10 Education", "Windows 10 Enterprise LTSC",
  "Windows Server Datacenter", "Windows Server Standard",
];
const releases = ["21H2", "22H2", "23H2", "24H2", "2019", "2022"];
const updates = ["1", "2", "3", "4", "5"];

/** 300 OS names (edition, release, cumulative update), most popular first. */
export const osNamePool: readonly string[] = Object.freeze(
  releases.flatMap((release, r) => editions.flatMap((edition) => updates.map((u) => `${edition} ${release} (CU ${2024 + r}.${u})`))),
);

const featurePool: readonly string[] = Object.freeze([
  "cmPivot", "coManagement", "cloudManagementGateway", "peerCache", "tenantAttach", "orchestrationGroups",
  "phasedDeployments", "endpointAnalytics", "taskSequenceDebugger", "managementInsights", "azureAdUserDiscovery",
  "bitLockerManagement", "desktopAnalytics", "windowsUpdateForBusiness", "thirdPartyUpdates", "deliveryOptimization",
  "connectedCache", "scriptsFeature", "runScripts", "applicationGroups", "approvalWorkflow", "clientHealthDashboard",
  "complianceSettings", "conditionalAccess", "dataWarehouse", "enhancedHttp", "expressUpdates", "firewallPolicies",
  "globalConditions", "hardwareInventoryExtensions", "maintenanceWindows", "microsoftDefenderAtp", "officeCustomization",
  "powerManagement", "remoteControl", "softwareMetering", "userStateMigration", "vpnProfiles", "wakeOnLan", "wifiProfiles",
]);

const versions = ["2503", "2409", "2403", "2309", "2303", "2211"];
const versionWeights = [20, 35, 20, 12, 8, 5];

/** Index in 0..n-1, small ones much likelier (Zipf-like, exponent `s`). */
function zipfIndex(random: () => number, n: number, s: number): number {
  // Inverse of the continuous power law, clamped: cheap and close enough for a fleet's shape.
  const u = random();
  const x = Math.pow(u * (Math.pow(n + 1, 1 - s) - 1) + 1, 1 / (1 - s)) - 1;
  return Math.min(n - 1, Math.max(0, Math.floor(x)));
}

function weighted<T>(random: () => number, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let pick = random() * total;
  for (let i = 0; i < items.length; i++) {
    pick -= weights[i] ?? 0;
    if (pick < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}

/** `count` distinct items drawn with a Zipf-like preference for the first ones. */
function distinctPicks(random: () => number, pool: readonly string[], count: number, s: number): string[] {
  const picked = new Set<string>();
  while (picked.size < count) picked.add(pool[zipfIndex(random, pool.length, s)]!);
  return [...picked];
}

/** One hierarchy's document for `week`: what varies between hierarchies varies here. */
export function fleetDocument(random: () => number, hierarchyId: string, week: IsoWeek): UsageV1 {
  const level: Level = weighted(random, ["basic", "enhanced", "full"] as const, [15, 70, 15]);
  const collectedAt = new Date(mondayOf(week).getTime() + Math.floor(random() * 7 * 86_400_000)).toISOString();
  const base = makeUsageDocument({ docId: randomUUID(), hierarchyId, collectedAt, level });
  const scale = 0.1 + random() * 5;
  const sites = base.sites.map((site) => ({ ...site, clientCount: Math.round(site.clientCount * scale) }));
  const total = sites.reduce((sum, site) => sum + site.clientCount, 0);
  const osNames = distinctPicks(random, osNamePool, 6 + Math.floor(random() * 11), 1.1);
  const counts = splitTotal(total, osNames.length);
  const byOs = Object.fromEntries(osNames.map((name, i) => [name, counts[i] ?? 0]));
  const overrides: Partial<UsageV1> = {
    sites,
    clients: { ...clientsForTotal(total), byOs },
    product: { ...base.product, version: weighted(random, versions, versionWeights) },
  };
  if (level !== "basic") {
    const names = distinctPicks(random, featurePool, 8 + Math.floor(random() * 13), 0.8);
    overrides.features = Object.fromEntries(
      names.map((name): [string, Feature] => [name, random() < 0.3 ? { enabled: random() < 0.7 } : { enabled: random() < 0.8, uses: Math.floor(random() * 500) }]),
    );
  }
  return { ...base, ...overrides };
}

/** A document as aggregation sees it: the claim check pointing at its archived bytes. */
export interface ArchivedDocument {
  doc: UsageV1;
  week: IsoWeek;
  body: string;
  claim: ClaimCheck;
}

/** `hierarchies` new hierarchies, each with one document in every week of `weeks`, shuffled (arrival order is not week order). */
export function fleetDocuments(random: () => number, hierarchies: number, weeks: readonly IsoWeek[]): ArchivedDocument[] {
  const docs: ArchivedDocument[] = [];
  for (let h = 0; h < hierarchies; h++) {
    const hierarchyId = randomBase64Sha256();
    for (const week of weeks) docs.push(toArchived(fleetDocument(random, hierarchyId, week)));
  }
  for (let i = docs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [docs[i], docs[j]] = [docs[j]!, docs[i]!];
  }
  return docs;
}

/** The canonical bytes, hash and claim check that ingestion makes of a valid document. */
export function toArchived(doc: UsageV1): ArchivedDocument {
  const body = canonicalJson(doc);
  const sha256 = sha256Hex(body);
  const claim: ClaimCheck = { v: 1, docType: "usage", docVersion: 1, docId: doc.docId, blobName: rawBlobName("usage", 1, doc.docId), sha256 };
  return { doc, week: isoWeekOf(new Date(doc.collectedAt)), body, claim };
}

/** Archives documents as submitDocument does (RawArchive.put); returns how long it took, in seconds. */
export async function archiveAll(rawArchive: RawArchive, docs: readonly ArchivedDocument[], concurrency = 32): Promise<number> {
  const started = performance.now();
  await throughput(docs.length, concurrency, async (i) => {
    const { doc, week, body, claim } = docs[i]!;
    const put = await rawArchive.put({
      docType: "usage",
      docVersion: 1,
      docId: doc.docId,
      hierarchyId: doc.hierarchyId,
      collectedAt: doc.collectedAt,
      week,
      receivedAt: new Date().toISOString(),
      body,
      sha256: claim.sha256,
    });
    if (!put.created) throw new Error(`docId ${doc.docId} was already archived`);
  });
  return (performance.now() - started) / 1000;
}
