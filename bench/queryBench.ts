/**
 * (f) Query latency: p50 and p99 of every query route on a week with 10,000 hierarchies,
 * through the local runtime over HTTP, and the storage requests each route makes. Not a
 * test: it prints figures.
 */
import { startAzurite } from "../local/azurite";
import { recordHistory } from "../shared/aggregation/recordHistory";
import { startLocalRuntime } from "../local/localRuntime";
import { aggregateDocument, snapshotOf } from "../shared/aggregation/aggregateDocument";
import { ROLLUP_SHARDS, shardOf, toHierarchyKey } from "../shared/aggregation/hierarchyKey";
import { addContribution, emptyRollup } from "../shared/aggregation/weekRollup";
import { readConfig, storageNames } from "../shared/config";
import type { IsoWeek } from "../shared/isoWeek";
import type { Services } from "../shared/services";
import { ensureStorage } from "../shared/storage/ensureStorage";
import { rowKeys } from "../shared/storage/weeklyStatsTable";
import { benchServices, countConflicts } from "./aggregationBench";
import { aggregationDisabled, noLocalSettings, serviceNodeArguments, startChild, type Child } from "../devkit/children";
import type { ArchivedDocument } from "../devkit/archivedDocument";
import { archiveAll, fleetDocuments } from "./fleet";
import { fmt, percentile, requestCounter, secondsSince, throughput } from "./measure";

const KEY = "bench-query-key";
const WEEK: IsoWeek = "2026-W47";
const HIERARCHIES = 10_000;
/** Aggregation concurrency for populating the week: two queue-trigger instances' worth. */
const POPULATE_CONCURRENCY = 32;
/** Requests per route, one at a time, the routes taking turns. */
const SAMPLES = 300;
const WARM_UP = 20;

interface Route {
  name: string;
  /** The path and query of one request; `i` picks the hierarchy for the weeks route. */
  path: (i: number) => string;
}

function routesFor(hierarchyKeys: readonly string[]): Route[] {
  return [
    { name: "stats/versions", path: () => `/api/v1/stats/versions?week=${WEEK}` },
    { name: "stats/os", path: () => `/api/v1/stats/os?week=${WEEK}` },
    { name: "stats/features", path: () => `/api/v1/stats/features?week=${WEEK}` },
    { name: "stats/trend (1 week)", path: () => `/api/v1/stats/trend?from=${WEEK}&to=${WEEK}` },
    { name: "hierarchies/{id}/weeks", path: (i) => `/api/v1/hierarchies/${hierarchyKeys[i % hierarchyKeys.length]!}/weeks` },
    { name: "stats/dimensions", path: () => `/api/v1/stats/dimensions` },
    // One dimension of each kind: a value per hierarchy, a set, clients by name, a distribution.
    { name: "dimensions/sqlVersion", path: () => `/api/v1/stats/dimensions/sqlVersion?week=${WEEK}` },
    { name: "dimensions/siteRole", path: () => `/api/v1/stats/dimensions/siteRole?week=${WEEK}` },
    { name: "dimensions/os", path: () => `/api/v1/stats/dimensions/os?week=${WEEK}` },
    { name: "dimensions/clients", path: () => `/api/v1/stats/dimensions/clients?week=${WEEK}` },
    { name: "dimensions/clients/trend", path: () => `/api/v1/stats/dimensions/clients/trend?from=${WEEK}&to=${WEEK}` },
  ];
}

/**
 * How many times a document is delivered before the bench gives up on it. A queue message
 * is delivered `maxDequeueCount` (host.json: 5) times before it is poisoned; the bench goes
 * further, since it measures races rather than poison, and reports every redelivery.
 */
const MAX_DELIVERIES = 50;

/**
 * Aggregates `docs` through aggregateDocument; a document that gives up (too many ETag races)
 * is retried, as its queue message would be: after a pause (its visibility timeout, here
 * shortened to a few milliseconds with jitter, so the run ends in bounded time), with the
 * other documents still racing.
 */
async function aggregateAll(services: Services, docs: readonly ArchivedDocument[], concurrency: number): Promise<{ seconds: number; redelivered: number }> {
  const started = performance.now();
  let redelivered = 0;
  await throughput(docs.length, concurrency, async (i) => {
    for (let delivery = 1; ; delivery++) {
      try {
        await aggregateDocument(docs[i]!.claim, services);
        return;
      } catch (error) {
        if (delivery === MAX_DELIVERIES) throw error;
        redelivered++;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * delivery));
      }
    }
  });
  return { seconds: secondsSince(started), redelivered };
}

/**
 * Fills the week with the storage classes, as aggregation writes it but without reading
 * first: shard by shard, each document's snapshot committed with its shard's running
 * rollup (WeeklyStatsTable.commit, the rollup replaced unconditionally), every history
 * row recorded (HierarchyWeeksTable.record), the week indexed. The rows and the rollups
 * come out as aggregating the documents would leave them.
 */
async function seedAll(services: Services, docs: readonly ArchivedDocument[], concurrency: number): Promise<number> {
  const started = performance.now();
  const shards = new Map<number, ReturnType<typeof snapshotOf>[]>();
  for (const { doc } of docs) {
    const snapshot = snapshotOf(doc);
    const shard = shardOf(snapshot.hierarchyKey);
    shards.set(shard, [...(shards.get(shard) ?? []), snapshot]);
  }
  const commits = [...shards].map(async ([shard, snapshots]) => {
    const rollup = emptyRollup();
    for (const [i, made] of snapshots.entries()) {
      // As countSnapshot does: the snapshot row records where its entries went in the rollup.
      const snapshot = { ...made, placement: addContribution(rollup, made.contribution) };
      // The first commit creates the rollup row, the later ones replace it whatever its ETag.
      const outcome = await services.weeklyStats.commit(snapshot, undefined, shard, rollup, i === 0 ? undefined : "*");
      if (outcome !== "committed") throw new Error(`seeding shard ${shard}: ${outcome}`);
    }
  });
  const history = throughput(docs.length, concurrency, (i) => recordHistory(services.hierarchyWeeks, snapshotOf(docs[i]!.doc)));
  await Promise.all([...commits, history]);
  await services.weeklyStats.markWeek(WEEK);
  return secondsSince(started);
}

async function get(base: string, path: string): Promise<{ ms: number; bytes: number; body: string }> {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, { headers: { "x-functions-key": KEY } });
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${body.slice(0, 200)}`);
  return { ms, bytes: Buffer.byteLength(body), body };
}

/** The week's figures as the routes answer them, to show that the week holds what it should. */
async function describeWeek(base: string): Promise<string> {
  const versions = JSON.parse((await get(base, `/api/v1/stats/versions?week=${WEEK}`)).body) as { hierarchies: number; clients: number; versions: unknown[] };
  const os = JSON.parse((await get(base, `/api/v1/stats/os?week=${WEEK}`)).body) as { os: unknown[] };
  const features = JSON.parse((await get(base, `/api/v1/stats/features?week=${WEEK}`)).body) as { hierarchies: number; features: unknown[] };
  return (
    `    the week ${WEEK}: ${versions.hierarchies} hierarchies, ${versions.clients} clients, ${versions.versions.length} versions, ` +
    `${os.os.length} distinct OS names, ${features.features.length} features over ${features.hierarchies} enhanced/full snapshots`
  );
}

/** Something timed in the latency loop: an HTTP route, or a storage query on its own. */
interface Probe {
  name: string;
  /** Does the work once; returns what to show beside the times (the size of the answer). */
  run: (i: number) => Promise<string>;
}

function httpProbes(base: string, routes: readonly Route[]): Probe[] {
  return routes.map((route) => ({
    name: route.name,
    run: async (i) => `${(await get(base, route.path(i))).bytes} bytes of JSON`,
  }));
}

/**
 * The storage queries under the routes, sent from this process with the SDK and nothing
 * else: what is left of a route's latency once these are taken away is the runtime's.
 */
function storageProbes(services: Services, hierarchyKeys: readonly string[]): Probe[] {
  const rows = async (table: string, filter: string): Promise<string> => {
    let count = 0;
    for await (const row of services.clients.table(table).listEntities({ queryOptions: { filter } })) if (row.rowKey !== undefined) count++;
    return `${count} row(s)`;
  };
  return [
    {
      name: "SDK: week's rollup rows",
      run: () => rows(storageNames.weeklyStatsTable, `PartitionKey eq '${WEEK}' and RowKey ge '${rowKeys.rollup(0)}' and RowKey le '${rowKeys.rollup(ROLLUP_SHARDS - 1)}'`),
    },
    {
      name: "SDK: hierarchy's rows",
      run: (i) => rows(storageNames.hierarchyWeeksTable, `PartitionKey eq '${hierarchyKeys[i % hierarchyKeys.length]!}'`),
    },
  ];
}

async function measureLatency(probes: readonly Probe[]): Promise<string[]> {
  for (let i = 0; i < WARM_UP; i++) for (const probe of probes) await probe.run(i);
  const times = probes.map(() => [] as number[]);
  const details = probes.map(() => "");
  for (let i = 0; i < SAMPLES; i++) {
    // The probes take turns, starting with a different one each time, so that a busy moment hits all alike.
    for (let k = 0; k < probes.length; k++) {
      const p = (i + k) % probes.length;
      const started = performance.now();
      details[p] = await probes[p]!.run(i);
      times[p]!.push(performance.now() - started);
    }
  }
  return probes.map((probe, p) => {
    const t = times[p]!;
    return `    ${probe.name.padEnd(26)} p50 ${fmt(percentile(t, 50), 1).padStart(6)} ms   p99 ${fmt(percentile(t, 99), 1).padStart(6)} ms   (${details[p]!})`;
  });
}

/**
 * Storage requests per route, from a separate small run: an in-process Azurite that counts
 * what it serves, and the local runtime in this process. A route's requests do not depend
 * on how many hierarchies the week has (the rollup is ROLLUP_SHARDS rows whatever the fleet's size).
 */
async function countRouteRequests(): Promise<string[]> {
  const counter = requestCounter();
  const azurite = await startAzurite({ onRequest: counter.observe });
  let runtime: Awaited<ReturnType<typeof startLocalRuntime>> | undefined;
  try {
    const config = { ...readConfig({ QUERY_KEY: KEY }), storage: { kind: "connectionString" as const, connectionString: azurite.connectionString } };
    runtime = await startLocalRuntime({ config, port: 0, runQueueTriggers: false, log: () => undefined });
    const docs = fleetDocuments(9, 50, [WEEK]);
    await archiveAll(runtime.services.rawArchive, docs, 8);
    await aggregateAll(runtime.services, docs, 8);
    const routes = routesFor(docs.map((d) => toHierarchyKey(d.doc.hierarchyId)));
    const lines: string[] = [];
    for (const route of routes) {
      counter.start();
      await get(runtime.url, route.path(0));
      const seen = counter.stop();
      lines.push(`    ${route.name.padEnd(26)} ${seen.length} storage request(s): ${seen.join(" | ")}`);
    }
    return lines;
  } finally {
    await runtime?.close();
    await azurite.close();
  }
}

/** Concurrencies at which the race share is measured, each on a week of its own. */
const RACE_CONCURRENCIES = [32, 64, 128];
/** Hierarchies of each of those weeks: enough for every shard to race, few enough to keep the bench short. */
const RACE_HIERARCHIES = 3_000;

/** The share of commits that lose an ETag race when one week is populated at each of `RACE_CONCURRENCIES`. */
async function raceShares(services: Services): Promise<string[]> {
  const lines: string[] = [];
  const weeks: IsoWeek[] = ["2026-W48", "2026-W49", "2026-W50"];
  for (const [i, concurrency] of RACE_CONCURRENCIES.entries()) {
    const docs = fleetDocuments(64 + i, RACE_HIERARCHIES, [weeks[i]!]);
    await archiveAll(services.rawArchive, docs);
    const commits = countConflicts(services.weeklyStats);
    const populated = await aggregateAll(services, docs, concurrency);
    lines.push(
      `    races at concurrency ${concurrency}: ${RACE_HIERARCHIES} documents of one week in ${fmt(populated.seconds)} s ` +
        `(${fmt(RACE_HIERARCHIES / populated.seconds, 0)}/s); ${commits.conflicts} of ${commits.commits} commits lost an ETag race ` +
        `(${fmt((100 * commits.conflicts) / commits.commits, 0)}%); ${populated.redelivered} deliveries gave up and were redelivered`,
    );
  }
  return lines;
}

/**
 * (f) with `--races`: the race shares alone, on an Azurite of their own, without the 10,000
 * hierarchies and the latency loop (minutes rather than a quarter of an hour).
 */
export async function benchRaceShares(): Promise<string[]> {
  const azurite = await startChild("local/azuriteServer.js", ["--in-memory", "--ports", "0"], {}, /"connectionString":"([^"]+)"/);
  try {
    const services = benchServices(azurite.match[1]!);
    await ensureStorage(services.clients);
    return [
      `(f) ETag race shares only: one week per concurrency, ${RACE_HIERARCHIES} new hierarchies each, every document through aggregateDocument (Azurite in its own process):`,
      ...(await raceShares(services)),
    ];
  } finally {
    await azurite.stop();
  }
}

export interface QueryBenchOptions {
  /**
   * How the 10,000 hierarchies get into the week: `aggregate` (default) archives every
   * document and runs it through aggregateDocument, the real path (about a minute on a
   * quiet 2-core machine, several on a busy one: Azurite answers a table query by scanning
   * the whole table, so each costs more as the week fills); `seed` writes the same rows with
   * the storage classes, without the reads, in a third of the time.
   */
  populate?: "seed" | "aggregate";
}

export async function benchQueryLatency(options: QueryBenchOptions = {}): Promise<string[]> {
  const lines: string[] = [];
  const azurite = await startChild("local/azuriteServer.js", ["--in-memory", "--ports", "0"], {}, /"connectionString":"([^"]+)"/);
  let runtime: Child | undefined;
  try {
    const connectionString = azurite.match[1]!;
    const services = benchServices(connectionString);
    await ensureStorage(services.clients);

    let started = performance.now();
    const docs = fleetDocuments(10_000, HIERARCHIES, [WEEK]);
    const generated = secondsSince(started);
    lines.push(
      `(f) query latency through the local runtime over HTTP (runtime and Azurite in their own processes), one request at a time, ${SAMPLES} per route after ${WARM_UP} warm-up, the routes taking turns; below them the bare table queries they make, timed in the same loop:`,
    );
    const populating = `    populating: ${HIERARCHIES} documents generated in ${fmt(generated)} s, `;
    if (options.populate !== "seed") {
      const archived = await archiveAll(services.rawArchive, docs);
      const commits = countConflicts(services.weeklyStats);
      const populated = await aggregateAll(services, docs, POPULATE_CONCURRENCY);
      lines.push(
        populating +
          `archived in ${fmt(archived)} s, aggregated with aggregateDocument at concurrency ${POPULATE_CONCURRENCY} in ${fmt(populated.seconds)} s ` +
          `(${fmt(HIERARCHIES / populated.seconds, 0)}/s; ${commits.conflicts} of ${commits.commits} commits lost an ETag race and were retried ` +
          `(${fmt((100 * commits.conflicts) / commits.commits, 0)}%); ` +
          `${populated.redelivered} documents gave up and were redelivered)`,
      );
      lines.push(...(await raceShares(services)));
    } else {
      const seconds = await seedAll(services, docs, POPULATE_CONCURRENCY);
      lines.push(
        populating + `seeded with the storage classes (commit per document, shard by shard; history rows at concurrency ${POPULATE_CONCURRENCY}) in ${fmt(seconds)} s`,
      );
    }

    runtime = await startChild(
      "local/start.js",
      [...noLocalSettings],
      { ...aggregationDisabled, AzureWebJobsStorage: connectionString, PORT: "0", QUERY_KEY: KEY },
      /listening on (http:\/\/\S+)/,
      serviceNodeArguments,
    );
    const base = runtime.match[1]!;
    lines.push(await describeWeek(base));
    started = performance.now();
    const keys = docs.map((d) => toHierarchyKey(d.doc.hierarchyId));
    lines.push(...(await measureLatency([...httpProbes(base, routesFor(keys)), ...storageProbes(services, keys)])));
    lines.push(`    measured in ${fmt(secondsSince(started))} s`);
  } finally {
    await runtime?.stop();
    await azurite.stop();
  }
  lines.push("    storage requests per route (a separate small run, counted by an in-process Azurite):", ...(await countRouteRequests()));
  return lines;
}
