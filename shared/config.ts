/**
 * The one place that reads the environment. Everything else receives a frozen `Config`.
 *
 * Storage names are constants, not settings: the Bicep in `infra/` creates exactly these,
 * and test/infra checks that the two never drift apart.
 */
export const storageNames = Object.freeze({
  /** Accepted documents, exactly as validated, one blob per docId. */
  rawContainer: "raw",
  /** Invalid (but consented) documents with their errors, kept for replay. */
  rejectedContainer: "rejected",
  /** Claim-check messages: one per accepted document, read by the aggregation trigger. */
  ingestQueue: "usage-ingested",
  /** Where the Functions host (and our local runtime) moves messages that keep failing. */
  poisonQueue: "usage-ingested-poison",
  /** Per-hierarchy weekly snapshots: PartitionKey hierarchy, RowKey week. */
  hierarchyWeeksTable: "HierarchyWeeks",
  /** Fleet-wide weekly rollups: PartitionKey week. */
  weeklyStatsTable: "WeeklyStats",
  /** Statistics published for product teams, one row per (dimension, value): PartitionKey week (contract section 4.2). */
  weeklyDimensionsTable: "WeeklyDimensions",
  /** The weekly Parquet dataset for BI tools (contract section 4.3): `weekly-dimensions/week=<week>/part-0.parquet` and `_published.json`. */
  datasetsContainer: "datasets",
  /** Requests to republish a week's WeeklyDimensions rows, read by the publishWeeklyDimensions trigger. */
  publishQueue: "weekly-dimensions-publish",
  /** Where the host moves publish requests that keep failing. */
  publishPoisonQueue: "weekly-dimensions-publish-poison",
});

/**
 * App settings this code reads. infra/ sets all of them but the connection-string form,
 * which is the local alternative to the identity form (checked by test/infra).
 */
export const appSettingNames = Object.freeze({
  storageConnectionString: "AzureWebJobsStorage",
  storageAccountName: "AzureWebJobsStorage__accountName",
  storageClientId: "AzureWebJobsStorage__clientId",
  rateLimitPerHour: "RATE_LIMIT_PER_HOUR",
  rateLimitInvalidPerHour: "RATE_LIMIT_INVALID_PER_HOUR",
  statsMinHierarchies: "STATS_MIN_HIERARCHIES",
  appInsightsConnectionString: "APPLICATIONINSIGHTS_CONNECTION_STRING",
});

/** Settings only the local runtime (`npm start`) reads. */
export const localSettingNames = Object.freeze({
  port: "PORT",
  dataDir: "DATA_DIR",
  ingestKey: "INGEST_KEY",
  queryKey: "QUERY_KEY",
  instances: "LOCAL_INSTANCES",
});

/**
 * Defaults of the rate-limit settings (contract section 2; docs/operations.md, "Rate limit").
 * `invalidPerHour` is one budget per instance, shared by every invalid document that is kept
 * among rejected ones. A schema mistake can make most of a fleet's documents invalid at
 * once: 1,000 an hour per instance is far above a fleet's weekly uploads spread over the
 * week, so such documents stay replayable, while made-up ones can write no more than that
 * many blobs (each at most 8 MiB) to `rejected` in an hour.
 */
export const rateLimitDefaults = Object.freeze({
  perHour: 120,
  invalidPerHour: 1_000,
});

/** Contract section 2: fixed limits, not settings, because SCPs rely on them. */
export const limits = Object.freeze({
  maxWireBytes: 2 * 1024 * 1024,
  maxDocumentBytes: 8 * 1024 * 1024,
  maxBatchBytes: 32 * 1024 * 1024,
  maxBatchLines: 500,
  /**
   * Request data one instance holds in flight, decoded and parsed bodies counted at what they
   * cost in memory; past it a request gets 503. A Flex Consumption instance has 2 GiB.
   */
  maxInFlightBytes: 512 * 1024 * 1024,
  /**
   * JSON values (member names included) and nesting a body may have and still be parsed. The
   * largest usage v1 document the schema allows has 11,573 values and is 4 deep (250 sites
   * with 9 roles, three 500-name maps, 500 features: a test counts it); a batch envelope adds
   * 8 values and 1 level. More than about 4 times that cannot be a usage document, so such a
   * body is refused without ever being parsed.
   */
  maxJsonValues: 50_000,
  maxJsonDepth: 32,
  /**
   * A body must arrive in full within this long of the request's start, or it gets 408: a
   * sender that stalls halfway would otherwise hold what it already cost for as long as it
   * keeps the connection open, and 16 stalled 32 MiB batches fill the in-flight budget.
   */
  bodyDeadlineMs: 60_000,
});

/**
 * Queue behaviour the code relies on. `maxDequeueCount` must equal host.json's (a test
 * checks): on the last attempt the trigger moves a failing message to the poison queue
 * itself, with the reason, instead of letting the host move it without one.
 */
export const ingestQueueSettings = Object.freeze({
  maxDequeueCount: 5,
  /** How long a message waits while a rebuild holds its week. */
  rebuildDeferSeconds: 60,
});

/**
 * The rebuild lock (`npm run reaggregate`). A running rebuild renews its lock; one that is not
 * renewed (the rebuild died, or its machine stalled) expires, and live aggregation counts the
 * week again, with a warning, instead of deferring its messages forever. Constants, not
 * settings: the app and the operator's script must agree on them.
 */
export const rebuildLockSettings = Object.freeze({
  /** A lock holds this long after it was taken or last renewed: how long live messages can wait behind a dead rebuild. */
  leaseSeconds: 600,
  /** A running rebuild renews its lock this often: ten renewals a lease, so a few slow or failed writes cannot let it lapse. */
  renewSeconds: 60,
  /**
   * A rebuild stops (and must be run again) once its lease has less than this left, ahead of
   * the moment live aggregation, on a clock that may differ by as much, starts counting again.
   */
  marginSeconds: 60,
});

/** Documented development defaults for the local runtime's function keys. */
export const devKeys = Object.freeze({ ingest: "dev-ingest-key", query: "dev-query-key" });

export type StorageConnection =
  | { kind: "connectionString"; connectionString: string }
  | { kind: "managedIdentity"; accountName: string; clientId?: string };

export interface Config {
  /** Absent only in the local runtime before it has started its embedded Azurite. */
  storage: StorageConnection | undefined;
  /** Valid documents per hierarchy per hour (per instance). */
  rateLimitPerHour: number;
  /** Invalid documents kept among rejected ones per hour (per instance), all hierarchies together. */
  rateLimitInvalidPerHour: number;
  /** The default `minHierarchies` of the dimension routes and the folding of the published rows (contract section 4.1). */
  statsMinHierarchies: number;
  appInsightsConnectionString: string | undefined;
  local: {
    port: number;
    dataDir: string;
    ingestKey: string;
    queryKey: string;
    /**
     * How many Functions instances the local runtime plays for its queue triggers: each polls
     * with host.json's per-instance batchSize and newBatchThreshold, as scaled-out instances do
     * on Azure (where host.json allows one message at a time per instance).
     */
    instances: number;
  };
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Settings by name, as the environment holds them. */
export type Env = Record<string, string | undefined>;

/**
 * A copy of the process environment, for an entry point that lays other sources under it
 * before `readConfig` (the local runtime lays local.settings.json's `Values` there).
 */
export function processEnvironment(): Env {
  return { ...process.env };
}

/** What `npm run query` (scripts/query.ts) takes from the environment: the query key, and the service (docs/cli.md). */
export interface QueryCliSettings {
  key: string | undefined;
  url: string | undefined;
}

/** The query CLI's settings: `QUERY_KEY` (the same name the local runtime takes its key from) and `QUERY_URL`; empty counts as unset. */
export function readQueryCliSettings(env: Env = process.env): QueryCliSettings {
  const given = (name: string): string | undefined => (env[name] === "" ? undefined : env[name]);
  return Object.freeze({ key: given(localSettingNames.queryKey), url: given("QUERY_URL") });
}

function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function readStorage(env: Env): StorageConnection | undefined {
  const connectionString = readString(env, appSettingNames.storageConnectionString);
  if (connectionString !== undefined) return { kind: "connectionString", connectionString };
  const accountName = readString(env, appSettingNames.storageAccountName);
  if (accountName === undefined) return undefined;
  if (!/^[a-z0-9]{3,24}$/.test(accountName)) {
    throw new ConfigError(`${appSettingNames.storageAccountName} is not a storage account name: "${accountName}"`);
  }
  const clientId = readString(env, appSettingNames.storageClientId);
  return clientId === undefined ? { kind: "managedIdentity", accountName } : { kind: "managedIdentity", accountName, clientId };
}

/** Reads and validates the environment once; throws `ConfigError` naming the bad setting. */
export function readConfig(env: Env = process.env): Config {
  return Object.freeze({
    storage: readStorage(env),
    rateLimitPerHour: readInteger(env, appSettingNames.rateLimitPerHour, rateLimitDefaults.perHour, 1, 1_000_000),
    rateLimitInvalidPerHour: readInteger(env, appSettingNames.rateLimitInvalidPerHour, rateLimitDefaults.invalidPerHour, 1, 1_000_000),
    // The contract's range for the minHierarchies parameter, which this setting is the default of.
    statsMinHierarchies: readInteger(env, appSettingNames.statsMinHierarchies, 1, 1, 1000),
    appInsightsConnectionString: readString(env, appSettingNames.appInsightsConnectionString),
    local: Object.freeze({
      port: readInteger(env, localSettingNames.port, 7071, 0, 65535),
      dataDir: readString(env, localSettingNames.dataDir) ?? ".data",
      ingestKey: readString(env, localSettingNames.ingestKey) ?? devKeys.ingest,
      queryKey: readString(env, localSettingNames.queryKey) ?? devKeys.query,
      // 8: enough to keep one Azurite busy on two cores; Azure's maximumInstanceCount is 40.
      instances: readInteger(env, localSettingNames.instances, 8, 1, 40),
    }),
  });
}

/**
 * The app settings with which the Functions host disables a function: the documented
 * `AzureWebJobs.<name>.Disabled`, and `AzureWebJobs_<name>_Disabled`, the spelling the
 * WebJobs SDK also reads because Linux environment variable names cannot hold a dot. Not
 * `AzureWebJobs__<name>__Disabled`: the host reads `__` as a section separator, so that
 * name never matches.
 */
export function disabledSettingNames(functionName: string): [string, string] {
  return [`AzureWebJobs.${functionName}.Disabled`, `AzureWebJobs_${functionName}_Disabled`];
}

/**
 * Which of the named functions an operator has disabled. The host takes `true` or `1` (any
 * case) as disabled and anything else as enabled; here a value that is none of `true`, `1`,
 * `false`, `0` is a `ConfigError`, so that a typo cannot leave aggregation running unseen.
 */
export function readDisabledFunctions(functionNames: readonly string[], env: Env = process.env): ReadonlySet<string> {
  const disabled = new Set<string>();
  for (const name of functionNames) {
    for (const setting of disabledSettingNames(name)) {
      const raw = env[setting]?.trim().toLowerCase();
      if (raw === undefined || raw === "" || raw === "false" || raw === "0") continue;
      if (raw !== "true" && raw !== "1") throw new ConfigError(`${setting} must be true or false, got "${env[setting] ?? ""}"`);
      disabled.add(name);
    }
  }
  return disabled;
}

/**
 * What the `queueHealth` timer measures and the names it records them under, as Application
 * Insights custom metrics. The alert rules and the workbook (infra/monitoring/*.kql) query
 * these names; test/infra/monitoringQueries.test.ts holds the two together.
 */
export const monitoringSettings = Object.freeze({
  /** NCRONTAB (seconds first): every 5 minutes, so an alert on queue age fires within minutes of its threshold. */
  queueHealthSchedule: "0 */5 * * * *",
  /** Custom metric names, by the field of the `queueHealth` log line that carries the same value. */
  queueHealthMetrics: Object.freeze({
    ingestMessages: "IngestQueueMessages",
    ingestOldestAgeSeconds: "IngestQueueOldestMessageAgeSeconds",
    poisonMessages: "PoisonQueueMessages",
    rebuildLocks: "RebuildLocks",
    oldestRebuildLockAgeSeconds: "RebuildLockOldestAgeSeconds",
  }),
  /** Seconds from a claim check's insertion in the ingest queue to the end of its aggregation. */
  aggregationLagMetric: "AggregationLagSeconds",
});
