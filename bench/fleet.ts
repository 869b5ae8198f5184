/**
 * The fleet for the aggregation and query benchmarks: the simulator's fleet
 * (scripts/simulator/generateFleet.ts), one document per hierarchy and week, with its OS
 * and feature maps widened to what a real fleet shows across hierarchies (a few hundred
 * distinct OS names, popular ones in most hierarchies and a long tail; a few dozen
 * features), archived in the raw container exactly as ingestion stores them (canonical
 * JSON, its SHA-256, RawArchive.put), with the claim check that ingestion would queue.
 *
 * Seeded, so that two runs aggregate the same documents.
 */
import type { IsoWeek } from "../shared/isoWeek";
import type { RawArchive } from "../shared/storage/rawArchive";
import type { Feature } from "../shared/validation/usageV1";
import type { UsageDocument } from "../shared/validation/usageDocument";
import { putArchived, toArchived, type ArchivedDocument } from "../devkit/archivedDocument";
import { apportion, generateHierarchy } from "../scripts/simulator/generateFleet";
import { seededRandom, type Random } from "../scripts/simulator/seededRandom";
import { throughput } from "./measure";

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

/** Index in 0..n-1, small ones much likelier (Zipf-like, exponent `s`). */
function zipfIndex(random: Random, n: number, s: number): number {
  // Inverse of the continuous power law, clamped: cheap and close enough for a fleet's shape.
  const x = Math.pow(random.next() * (Math.pow(n + 1, 1 - s) - 1) + 1, 1 / (1 - s)) - 1;
  return Math.min(n - 1, Math.max(0, Math.floor(x)));
}

/** `count` distinct items drawn with a Zipf-like preference for the first ones. */
function distinctPicks(random: Random, pool: readonly string[], count: number, s: number): string[] {
  const picked = new Set<string>();
  while (picked.size < count) picked.add(pool[zipfIndex(random, pool.length, s)]!);
  return [...picked];
}

/** `doc` with its clients spread over OS names of the wide pool, and (above level basic) features of the wide pool. */
function widened<D extends UsageDocument>(random: Random, doc: D): D {
  const osNames = distinctPicks(random, osNamePool, 6 + random.int(0, 10), 1.1);
  const counts = apportion(doc.clients.total, osNames.map(() => random.next()));
  const wide: D = { ...doc, clients: { ...doc.clients, byOs: Object.fromEntries(osNames.map((name, i) => [name, counts[i] ?? 0])) } };
  if (doc.level !== "basic") {
    const names = distinctPicks(random, featurePool, 8 + random.int(0, 12), 0.8);
    wide.features = Object.fromEntries(
      names.map((name): [string, Feature] => [name, random.chance(0.3) ? { enabled: random.chance(0.7) } : { enabled: random.chance(0.8), uses: random.int(0, 499) }]),
    );
  }
  return wide;
}

/** Hierarchy `index` of the fleet `seed`: its first document of `week`, widened. */
export function fleetDocument(seed: string | number, index: number, week: IsoWeek): UsageDocument {
  const { documents } = generateHierarchy({ seed, hierarchies: index + 1, weeks: [week], offlineShare: 0.1 }, index);
  return widened(seededRandom(seed, `bench widening ${index} ${week}`), documents[0]!.document);
}

/** `hierarchies` hierarchies of the fleet `seed`, each with one document in every week of `weeks`, shuffled (arrival order is not week order). */
export function fleetDocuments(seed: string | number, hierarchies: number, weeks: readonly IsoWeek[]): ArchivedDocument[] {
  const docs: ArchivedDocument[] = [];
  for (let h = 0; h < hierarchies; h++) {
    const { documents } = generateHierarchy({ seed, hierarchies, weeks, offlineShare: 0.1 }, h);
    const random = seededRandom(seed, `bench widening ${h}`);
    // A week's second run would arrive as a replacement: the benchmarks count each document once.
    const firstOfWeek = documents.filter((d, i) => i === 0 || documents[i - 1]!.week !== d.week);
    for (const { document } of firstOfWeek) docs.push(toArchived(widened(random, document)));
  }
  return seededRandom(seed, "bench arrival").shuffle(docs);
}

/** Archives documents as submitDocument does; returns how long it took, in seconds. */
export async function archiveAll(rawArchive: RawArchive, docs: readonly ArchivedDocument[], concurrency = 32): Promise<number> {
  const started = performance.now();
  await throughput(docs.length, concurrency, async (i) => {
    const archived = docs[i]!;
    if (!(await putArchived(rawArchive, archived))) throw new Error(`docId ${archived.doc.docId} was already archived`);
  });
  return (performance.now() - started) / 1000;
}
