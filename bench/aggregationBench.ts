/**
 * Aggregation: (d) documents aggregated per second through `aggregateDocument` against the
 * same storage work done straight with the SDK, and (e) the storage round-trips one
 * aggregated document costs. Not tests: they print figures.
 */
import { TableClient, type TableEntity, type TransactionAction } from "@azure/data-tables";
import { recordHistory } from "../shared/aggregation/recordHistory";
import { BlobServiceClient } from "@azure/storage-blob";
import { startAzurite } from "../local/azurite";
import { aggregateDocument, snapshotOf, type AggregateStatus } from "../shared/aggregation/aggregateDocument";
import { ROLLUP_SHARDS, shardOf } from "../shared/aggregation/hierarchyKey";
import { addContribution, emptyRollup, type WeekRollup } from "../shared/aggregation/weekRollup";
import { readConfig, storageNames } from "../shared/config";
import type { IsoWeek } from "../shared/isoWeek";
import { createServices, type Services } from "../shared/services";
import { ensureStorage } from "../shared/storage/ensureStorage";
import { isStorageError } from "../shared/storage/storageErrors";
import { HierarchyWeeksTable } from "../shared/storage/hierarchyWeeksTable";
import { rollupRowBudget, rowKeys, WeeklyStatsTable } from "../shared/storage/weeklyStatsTable";
import { startChild } from "../devkit/children";
import { toArchived, type ArchivedDocument } from "../devkit/archivedDocument";
import { archiveAll, fleetDocument, fleetDocuments } from "./fleet";
import { fmt, median, pairedRatio, requestCounter, secondsSince, throughput } from "./measure";
import { publishWeek } from "../shared/publishing/publishWeek";
import { disabledSettingNames } from "../shared/config";
import { cpuSecondsOf, drainThroughRuntime, type RuntimeDrain } from "./runtimeDrain";

const CONCURRENCY = 16;
/** A few weeks, as offline uploads and late SCPs spread documents in reality; 3 weeks x 8 shards = 24 rollup rows. */
const WEEKS: readonly IsoWeek[] = ["2026-W45", "2026-W46", "2026-W47"];
// Short rounds, many of them: each pair (floor, real) runs back to back within a few seconds.
const HIERARCHIES_PER_ROUND = 100; // x 3 weeks = 300 documents a round
const ROUNDS = 10;
const WARM_UP_HIERARCHIES = 100; // x 3 weeks, for each path: enough for both processes to reach steady state
/** Documents left on the queue for each run through the runtime: as many as three rounds. */
const RUNTIME_HIERARCHIES = 3 * HIERARCHIES_PER_ROUND;

/** Services for the benchmark process, on the storage a connection string names. */
export function benchServices(connectionString: string): Services {
  return createServices({ ...readConfig({}), storage: { kind: "connectionString", connectionString } });
}

/** Counts, on a live WeeklyStatsTable, the commits that lost an ETag race and were retried. */
export function countConflicts(table: WeeklyStatsTable): { commits: number; conflicts: number } {
  const counts = { commits: 0, conflicts: 0 };
  const commit = table.commit.bind(table);
  table.commit = async (...args) => {
    const result = await commit(...args);
    counts.commits++;
    if (result === "conflict") counts.conflicts++;
    return result;
  };
  return counts;
}

type Entity = TableEntity;

/** What the floor writes for one document: exactly the entities the real path writes, computed beforehand. */
interface FloorWork {
  blobName: string;
  /** The partition and row keys readForUpdate reads, each with a point read. */
  reads: { partitionKey: string; rowKey: string }[];
  snapshot: Entity;
  rollup: Entity;
  history: Entity;
}

/**
 * The entities aggregation writes, taken from the storage classes themselves (through a
 * table client that only records what it is given), so that the floor writes the same
 * bytes as the real path without copying the table layout here.
 */
async function entitiesOf(snapshot: ReturnType<typeof snapshotOf>, shard: number, rollup: WeekRollup): Promise<Omit<FloorWork, "blobName" | "reads">> {
  let actions: TransactionAction[] = [];
  let history: Entity | undefined;
  const recorder = {
    submitTransaction: (given: TransactionAction[]) => {
      actions = given;
      return Promise.resolve({});
    },
    createEntity: (entity: Entity) => {
      history = entity;
      return Promise.resolve({});
    },
  } as unknown as TableClient;
  await new WeeklyStatsTable(recorder).commit(snapshot, undefined, shard, rollup, undefined);
  await recordHistory(new HierarchyWeeksTable(recorder), { ...snapshot });
  const [snapshotAction, rollupAction] = actions;
  if (snapshotAction === undefined || rollupAction === undefined || history === undefined) throw new Error("the storage classes wrote something else than expected");
  return { snapshot: snapshotAction[1], rollup: rollupAction[1], history };
}

/**
 * The floor's work list for `docs` in order. Each shard's rollup grows document by
 * document as the real one does, so the floor reads and writes rows of the same size.
 */
async function floorWork(docs: readonly ArchivedDocument[], rollups: Map<string, WeekRollup>): Promise<FloorWork[]> {
  const work: FloorWork[] = [];
  for (const { doc, claim } of docs) {
    const made = snapshotOf(doc);
    const shard = shardOf(made.hierarchyKey);
    const key = `${made.week}|${shard}`;
    const rollup = rollups.get(key) ?? emptyRollup();
    rollups.set(key, rollup);
    // As countSnapshot does: the snapshot row records where its entries went in the rollup.
    const snapshot = { ...made, placement: addContribution(rollup, made.contribution, rollupRowBudget) };
    // The same rows readForUpdate reads.
    const reads = [rowKeys.snapshot(snapshot.hierarchyKey), rowKeys.rollup(shard), rowKeys.rebuildLock].map((rowKey) => ({ partitionKey: snapshot.week, rowKey }));
    work.push({ blobName: claim.blobName, reads, ...(await entitiesOf(snapshot, shard, rollup)) });
  }
  return work;
}

/**
 * (d) Documents aggregated per second through aggregateDocument (read the raw blob, check
 * its hash, parse, read the snapshot and rollup rows, merge, commit under ETags, record the
 * history row) vs the floor: the same storage requests with the SDK directly (blob read,
 * three point reads at once, one entity group transaction of the same two entities, one history
 * insert), no logic, no ETag races. Same concurrency, one Azurite in its own process,
 * alternating rounds, medians.
 */
export async function benchAggregationThroughput(): Promise<string[]> {
  const lines: string[] = [];
  const azurite = await startChild("local/azuriteServer.js", ["--in-memory", "--ports", "0"], {}, /"connectionString":"([^"]+)"/);
  try {
    const connectionString = azurite.match[1]!;
    const services = benchServices(connectionString);
    await ensureStorage(services.clients);
    const conflicts = countConflicts(services.weeklyStats);

    // The floor's own SDK clients and tables, so that both paths' tables grow alike.
    const blobs = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(storageNames.rawContainer);
    const floorStats = TableClient.fromConnectionString(connectionString, "BenchFloorStats", { allowInsecureConnection: true });
    const floorHistory = TableClient.fromConnectionString(connectionString, "BenchFloorHistory", { allowInsecureConnection: true });
    await Promise.all([floorStats.createTable(), floorHistory.createTable()]);

    let started = performance.now();
    const warmUp = { real: fleetDocuments("47 warm-up real", WARM_UP_HIERARCHIES, WEEKS), floor: fleetDocuments("47 warm-up floor", WARM_UP_HIERARCHIES, WEEKS) };
    const rounds = Array.from({ length: ROUNDS }, (_, r) => ({
      real: fleetDocuments(`47 round ${r} real`, HIERARCHIES_PER_ROUND, WEEKS),
      floor: fleetDocuments(`47 round ${r} floor`, HIERARCHIES_PER_ROUND, WEEKS),
    }));
    const throughRuntime = {
      published: fleetDocuments("47 runtime published", RUNTIME_HIERARCHIES, WEEKS),
      unpublished: fleetDocuments("47 runtime unpublished", RUNTIME_HIERARCHIES, WEEKS),
    };
    const all = [...[warmUp, ...rounds].flatMap((r) => [...r.real, ...r.floor]), ...throughRuntime.published, ...throughRuntime.unpublished];
    const generated = secondsSince(started);
    started = performance.now();
    const archived = await archiveAll(services.rawArchive, all);
    const floorRollups = new Map<string, WeekRollup>();
    const plans: FloorWork[][] = [];
    for (const round of [warmUp, ...rounds]) plans.push(await floorWork(round.floor, floorRollups));
    const planned = secondsSince(started) - archived;

    const aloneCpu = { azurite: 0, bench: 0, documents: 0 };
    const real = async (docs: readonly ArchivedDocument[]): Promise<number> => {
      const azuriteBefore = cpuSecondsOf(azurite.process.pid) ?? Number.NaN;
      const benchBefore = process.cpuUsage();
      const rate = await realRate(docs);
      const bench = process.cpuUsage(benchBefore);
      aloneCpu.azurite += (cpuSecondsOf(azurite.process.pid) ?? Number.NaN) - azuriteBefore;
      aloneCpu.bench += (bench.user + bench.system) / 1e6;
      aloneCpu.documents += docs.length;
      return rate;
    };
    const realRate = async (docs: readonly ArchivedDocument[]): Promise<number> =>
      throughput(docs.length, CONCURRENCY, async (i) => {
        const result = await aggregateDocument(docs[i]!.claim, services);
        const expected: AggregateStatus = "counted";
        if (result.status !== expected) throw new Error(`expected ${expected}, got ${result.status}`);
      });
    const floor = async (work: readonly FloorWork[]): Promise<number> =>
      throughput(work.length, CONCURRENCY, async (i) => {
        const w = work[i]!;
        const download = await blobs.getBlockBlobClient(w.blobName).download();
        // Read to the end, as RawArchive.read and readForUpdate do; what was read is not looked at.
        let received = 0;
        for await (const chunk of download.readableStreamBody ?? []) received += (chunk as Buffer).length;
        const rows = await Promise.all(
          w.reads.map(({ partitionKey, rowKey }) =>
            floorStats.getEntity(partitionKey, rowKey).then(
              () => 1,
              (error: unknown) => {
                if (isStorageError(error, 404, "ResourceNotFound")) return 0;
                throw error;
              },
            ),
          ),
        );
        received += rows.reduce((a, b) => a + b, 0);
        if (received === 0) throw new Error(`${w.blobName} is empty`);
        await floorStats.submitTransaction([
          ["create", w.snapshot],
          ["upsert", w.rollup, "Replace"],
        ]);
        await floorHistory.createEntity(w.history);
      });

    started = performance.now();
    await floor(plans[0]!);
    await realRate(warmUp.real);
    const realRates: number[] = [];
    const floorRates: number[] = [];
    const before = { ...conflicts };
    for (let round = 0; round < ROUNDS; round++) {
      const { real: docs } = rounds[round]!;
      const work = plans[round + 1]!;
      // Alternate which goes first, so neither always runs on the tables the other just grew.
      if (round % 2 === 0) {
        floorRates.push(await floor(work));
        realRates.push(await real(docs));
      } else {
        realRates.push(await real(docs));
        floorRates.push(await floor(work));
      }
    }
    const lost = conflicts.conflicts - before.conflicts;
    const commits = conflicts.commits - before.commits;
    const measured = secondsSince(started);

    // The same kind of documents, the same weeks, the same Azurite: left on the ingest queue
    // for a runtime started as `npm start` runs it, once as it is and once with the publisher
    // disabled, which splits the publisher's share from the queue's.
    const published = await drainThroughRuntime(connectionString, services, throughRuntime.published, azurite.process.pid);
    const unpublished = await drainThroughRuntime(connectionString, services, throughRuntime.unpublished, azurite.process.pid, {
      [disabledSettingNames("publishWeeklyDimensions")[1]]: "true",
    });
    // One publish of the fullest week, as the publisher runs it, and what it costs storage.
    const azuriteBeforePublish = cpuSecondsOf(azurite.process.pid) ?? Number.NaN;
    const publishStarted = performance.now();
    const publish = await publishWeek(WEEKS[WEEKS.length - 1]!, { reader: services.statsReader, table: services.weeklyDimensions, dataset: services.weeklyDataset, minHierarchies: 1 });
    const publishMs = performance.now() - publishStarted;
    const publishAzuriteMs = ((cpuSecondsOf(azurite.process.pid) ?? Number.NaN) - azuriteBeforePublish) * 1000;
    const aloneRate = median(realRates);
    const perDocument = (seconds: number | undefined, documents: number) => (seconds === undefined ? "?" : fmt((1000 * seconds) / documents, 1));
    const runtimeLine = (what: string, drain: RuntimeDrain) =>
      `    through the runtime, ${what}: ${drain.documents} documents in ${fmt(drain.seconds)} s = ${fmt(drain.rate, 0)}/s, ${fmt(drain.rate / aloneRate, 2)}x aggregateDocument's median; ` +
      `CPU per document: Azurite ${perDocument(drain.azuriteCpu, drain.documents)} ms, runtime ${perDocument(drain.runtimeCpu, drain.documents)} ms; ${drain.publishes} publishes ran`;
    const perRound = HIERARCHIES_PER_ROUND * WEEKS.length;
    lines.push(
      `(d) documents aggregated/s at concurrency ${CONCURRENCY}, ${ROUNDS} alternating rounds of ${perRound} (new hierarchies over ${WEEKS.length} weeks, ${ROLLUP_SHARDS} rollup shards each), Azurite in its own process:`,
      `    SDK floor (blob read + 3 point reads at once + 1 transaction of 2 entities + 1 insert): ${floorRates.map((r) => fmt(r, 0)).join(", ")}  median ${fmt(median(floorRates), 0)}/s`,
      `    aggregateDocument: ${realRates.map((r) => fmt(r, 0)).join(", ")}  median ${fmt(median(realRates), 0)}/s`,
      `    ETag races: ${lost} of ${commits} commits lost one and were retried (${fmt((100 * lost) / commits, 0)}%)`,
      `    ratio aggregateDocument/floor: ${fmt(pairedRatio(realRates, floorRates), 2)}x (median of the ${ROUNDS} round pairs' ratios)`,
      `    aggregateDocument's CPU per document: Azurite ${perDocument(aloneCpu.azurite, aloneCpu.documents)} ms, the bench process ${perDocument(aloneCpu.bench, aloneCpu.documents)} ms`,
      runtimeLine("as npm start runs it", published),
      runtimeLine("publisher disabled", unpublished),
      `    one publish of ${publish.week} (${publish.written} rows written, ${publish.deleted} deleted): ${fmt(publishMs, 0)} ms, Azurite CPU ${fmt(publishAzuriteMs, 0)} ms`,
      `    setup: ${all.length} documents generated in ${fmt(generated)} s, archived (RawArchive.put, concurrency 32) in ${fmt(archived)} s; floor entities precomputed in ${fmt(planned)} s; measured in ${fmt(measured)} s`,
    );
    return lines;
  } finally {
    await azurite.stop();
  }
}

/** One line per case: table requests (reads / writes), blob requests, and the requests themselves. */
function describeRequests(what: string, status: string, seen: readonly string[]): string {
  const table = seen.filter((s) => s.startsWith("table "));
  const reads = table.filter((s) => / GET /.test(s)).length;
  const blob = seen.filter((s) => s.startsWith("blob ")).length;
  const other = seen.length - table.length - blob;
  return (
    `    ${what} [${status}]: ${table.length} table round-trip(s) (${reads} read, ${table.length - reads} write), ${blob} blob read(s)` +
    `${other > 0 ? `, ${other} other` : ""}\n        ${seen.join(" | ")}`
  );
}

/**
 * (e) Storage requests per aggregated document, counted as an in-process Azurite serves
 * them: a hierarchy's first document of a week (the common path), a redelivery of it, a
 * newer document that replaces the week's snapshot, and an older one arriving late.
 */
export async function benchAggregationRoundTrips(): Promise<string[]> {
  const counter = requestCounter();
  const azurite = await startAzurite({ onRequest: counter.observe });
  try {
    const services = benchServices(azurite.connectionString);
    await ensureStorage(services.clients);
    const week: IsoWeek = "2026-W47";
    // Documents of hierarchies 1..3 told to be hierarchy 1's: three runs of one hierarchy's week.
    const hierarchyId = fleetDocument(2, 1, week).hierarchyId;
    const first = toArchived({ ...fleetDocument(2, 0, week), collectedAt: "2026-11-17T02:00:00.000Z" });
    const common = toArchived({ ...fleetDocument(2, 1, week), hierarchyId, collectedAt: "2026-11-18T03:00:00.000Z" });
    const newer = toArchived({ ...fleetDocument(2, 2, week), hierarchyId, collectedAt: "2026-11-20T03:00:00.000Z" });
    const older = toArchived({ ...fleetDocument(2, 3, week), hierarchyId, collectedAt: "2026-11-16T03:00:00.000Z" });
    await archiveAll(services.rawArchive, [first, common, newer, older], 1);

    const count = async (what: string, doc: ArchivedDocument): Promise<string> => {
      counter.start();
      const result = await aggregateDocument(doc.claim, services);
      return describeRequests(what, result.status, counter.stop());
    };
    return [
      "(e) storage requests per aggregated document (target on the common path: <= 3 table round-trips, the three point reads sent at once being one; the blob read is not one):",
      await count("the first document of a week this process aggregates (adds the week-index write)", first),
      await count("common path: a hierarchy's first document of a week", common),
      await count("duplicate: the same claim check redelivered", common),
      await count("newer document replacing the week's snapshot", newer),
      await count("older document arriving late (offline upload)", older),
    ];
  } finally {
    await azurite.close();
  }
}
