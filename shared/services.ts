import { ConfigError, limits, storageNames, type Config } from "./config";
import { MemoryBudget } from "./http/memoryBudget";
import { RateLimiter } from "./ingestion/rateLimiter";
import type { IngestionDeps } from "./ingestion/submitDocument";
import { IngestQueue } from "./storage/ingestQueue";
import { PoisonQueue } from "./storage/poisonQueue";
import { RawArchive } from "./storage/rawArchive";
import { RejectedStore } from "./storage/rejectedStore";
import { HierarchyWeeksTable } from "./storage/hierarchyWeeksTable";
import { createStorageClients, credentialFor, type StorageClients } from "./storage/storageClients";
import { WeeklyStatsTable } from "./storage/weeklyStatsTable";
import { WeekStats } from "./aggregation/weekStats";
import { WeeklyDimensionsTable } from "./storage/weeklyDimensionsTable";
import { WeeklyDimensionsDataset } from "./storage/weeklyDimensionsDataset";
import { PublishQueue } from "./storage/publishQueue";
import { PublishRequester } from "./publishing/publishRequester";
import { createTelemetry, type Telemetry } from "./telemetry/telemetry";
import { HealthProbe } from "./healthProbe";
import { checkStorage } from "./storage/checkStorage";
import type { QueueHealthDeps } from "./monitoring/measureQueueHealth";
import { QueueGauge } from "./storage/queueGauge";

/**
 * Everything the triggers, scripts and benchmark need, built once per process from the
 * configuration: the composition root. Nothing reads these from a global; each trigger's
 * `bind` (functions/triggerTypes.ts) hands its handler only the part it uses.
 */
export interface Services extends Required<Omit<IngestionDeps, "now">> {
  config: Config;
  clients: StorageClients;
  telemetry: Telemetry;
  /** The shard rows aggregation writes (and the rebuild lock and the week index it keeps there). */
  weeklyStats: WeeklyStatsTable;
  /** Reads a week's statistics for the query routes and the publisher, the shards of weeklyStats merged. */
  statsReader: WeekStats;
  hierarchyWeeks: HierarchyWeeksTable;
  /** The published table product teams read (contract section 4.2). */
  weeklyDimensions: WeeklyDimensionsTable;
  /** The same rows as Parquet in the `datasets` container, for BI tools (contract section 4.3). */
  weeklyDataset: WeeklyDimensionsDataset;
  /** The WeekChangeListener aggregation calls before committing a change to a week: queues that week's republication, debounced. */
  weekChanges: PublishRequester;
  poisonQueue: PoisonQueue;
  /** The cached storage probe behind GET /api/health. */
  health: HealthProbe;
  /** Weeks this process has recorded in the week index (see aggregateDocument). */
  indexedWeeks: Set<string>;
  /** The request data this instance may hold at once; the submission routes lease from it. */
  memoryBudget: MemoryBudget;
  /** What the queueHealth timer measures: the gauges over the service's own queues, and the rebuild locks. */
  queueGauges: QueueHealthDeps;
}

/** Builds the services from a configuration whose storage is known. */
export function createServices(config: Config, telemetry?: Telemetry): Services {
  const { storage } = config;
  if (storage === undefined) {
    throw new ConfigError("Storage is not configured: set AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__accountName");
  }
  const clients = createStorageClients(storage);
  telemetry ??= createTelemetry(
    config.appInsightsConnectionString,
    storage.kind === "managedIdentity" ? credentialFor(storage) : undefined,
  );
  const weeklyStats = new WeeklyStatsTable(clients.table(storageNames.weeklyStatsTable));
  // One budget for the request data of submissions and the rows of query reads (contract section 2).
  const memoryBudget = new MemoryBudget(limits.maxInFlightBytes);
  return {
    config,
    clients,
    telemetry,
    rawArchive: new RawArchive(clients.blobService.getContainerClient(storageNames.rawContainer)),
    rejectedStore: new RejectedStore(clients.blobService.getContainerClient(storageNames.rejectedContainer)),
    ingestQueue: new IngestQueue(clients.queueService.getQueueClient(storageNames.ingestQueue)),
    rateLimiter: new RateLimiter(config.rateLimitPerHour, { invalidPerHour: config.rateLimitInvalidPerHour }),
    weeklyStats,
    statsReader: new WeekStats(weeklyStats, memoryBudget),
    hierarchyWeeks: new HierarchyWeeksTable(clients.table(storageNames.hierarchyWeeksTable)),
    weeklyDimensions: new WeeklyDimensionsTable(clients.table(storageNames.weeklyDimensionsTable)),
    weeklyDataset: new WeeklyDimensionsDataset(clients.blobService.getContainerClient(storageNames.datasetsContainer)),
    weekChanges: new PublishRequester(new PublishQueue(clients.queueService.getQueueClient(storageNames.publishQueue))),
    poisonQueue: new PoisonQueue(clients.queueService.getQueueClient(storageNames.poisonQueue)),
    health: new HealthProbe(() => checkStorage(clients)),
    indexedWeeks: new Set(),
    memoryBudget,
    queueGauges: {
      ingestQueue: new QueueGauge(clients.queueService.getQueueClient(storageNames.ingestQueue)),
      poisonQueue: new QueueGauge(clients.queueService.getQueueClient(storageNames.poisonQueue)),
      weeklyStats,
    },
  };
}
