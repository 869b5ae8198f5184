/**
 * GENERATED from schemas/results.v1.schema.json by scripts/generateTypes.ts: DO NOT EDIT.
 * Change the schema, then run `npm run gen:types`; test/schemas/generatedTypes.test.ts fails while this file is stale.
 */

/**
 * What became of one line of a batch.
 */
export type BatchLineStatus = "accepted" | "duplicate" | "conflict" | "invalid" | "rate_limited";
/**
 * The consent level the data was collected at; each level includes the ones below it: basic (1) < enhanced (2, the product's default) < full (3). features need enhanced or full, compliance needs full: a document carrying more than its level is rejected and never kept.
 */
export type Level = "basic" | "enhanced" | "full";
/**
 * How a snapshot gives a dimension's value: one value (hierarchy), several (set), a name-to-clients map (clients), or one number (distribution).
 */
export type DimensionKind = "hierarchy" | "set" | "clients" | "distribution";
/**
 * GET /api/v1/stats/dimensions/{name}: one week by one dimension, shaped by its kind.
 */
export type DimensionStats =
  HierarchyDimensionStats | SetDimensionStats | ClientsDimensionStats | DistributionDimensionStats;
/**
 * GET /api/v1/stats/dimensions/{name}/trend: weeks laid out as /stats/trend lays them.
 */
export type DimensionTrend = CategoricalDimensionTrend | DistributionDimensionTrend;

/**
 * Every definition of the schema by name: ResultsV1["VersionStats"] is the type of #/$defs/VersionStats.
 */
export interface ResultsV1 {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  Week: string;
  /**
   * A whole number counted or summed over snapshots.
   */
  Total: number;
  DocumentError: DocumentError;
  Problem: Problem;
  SubmitAccepted: SubmitAccepted;
  SubmitDuplicate: SubmitDuplicate;
  BatchLineStatus: BatchLineStatus;
  BatchLineResult: BatchLineResult;
  BatchResponse: BatchResponse;
  Health: Health;
  HierarchyWeekEntry: HierarchyWeekEntry;
  HierarchyWeeks: HierarchyWeeks;
  VersionCount: VersionCount;
  VersionStats: VersionStats;
  OsCount: OsCount;
  OsStats: OsStats;
  FeatureCount: FeatureCount;
  FeatureStats: FeatureStats;
  TrendWeek: TrendWeek;
  WeekTrend: WeekTrend;
  DimensionKind: DimensionKind;
  DimensionListEntry: DimensionListEntry;
  DimensionList: DimensionList;
  HierarchyValueRow: HierarchyValueRow;
  SetValueRow: SetValueRow;
  ClientsValueRow: ClientsValueRow;
  HierarchyDimensionStats: HierarchyDimensionStats;
  SetDimensionStats: SetDimensionStats;
  ClientsDimensionStats: ClientsDimensionStats;
  DistributionBucket: DistributionBucket;
  DistributionDimensionStats: DistributionDimensionStats;
  DimensionStats: DimensionStats;
  CategoricalTrendWeek: CategoricalTrendWeek;
  DistributionTrendWeek: DistributionTrendWeek;
  CategoricalDimensionTrend: CategoricalDimensionTrend;
  DistributionDimensionTrend: DistributionDimensionTrend;
  DimensionTrend: DimensionTrend;
}
/**
 * One problem found: where (a JSON Pointer into the document, or into the request's parameters taken as one object) and what.
 */
export interface DocumentError {
  /**
   * RFC 6901 JSON Pointer; "" is the whole document (or the parameters together).
   */
  path: string;
  message: string;
}
/**
 * RFC 9457 problem details (application/problem+json). type is a relative URI such as /problems/invalid-document.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /**
   * The path's docId, when it is a UUID (submission routes only).
   */
  docId?: string;
  errors?: DocumentError[];
  /**
   * Which size limit a 413 is over: wire:2097152, decompressed:8388608, lines:500.
   */
  limit?: string;
}
/**
 * 202: a new, valid document, stored and queued for aggregation.
 */
export interface SubmitAccepted {
  docId: string;
  status: "accepted";
  receivedAt: string;
}
/**
 * 200: the same document was already stored under this docId (its aggregation is queued again).
 */
export interface SubmitDuplicate {
  docId: string;
  status: "duplicate";
}
export interface BatchLineResult {
  /**
   * The physical line number in the body, 1-based.
   */
  line: number;
  docId?: string;
  status: BatchLineStatus;
  errors?: DocumentError[];
  /**
   * For rate_limited: seconds until the hierarchy's budget takes a document again.
   */
  retryAfterSeconds?: number;
}
/**
 * 200 to a batch, whatever its lines' statuses; rejected counts invalid, conflict and rate_limited lines.
 */
export interface BatchResponse {
  /**
   * A whole number counted or summed over snapshots.
   */
  accepted: number;
  /**
   * A whole number counted or summed over snapshots.
   */
  duplicate: number;
  /**
   * A whole number counted or summed over snapshots.
   */
  rejected: number;
  results: BatchLineResult[];
}
export interface Health {
  status: "ok";
}
/**
 * A hierarchy's snapshot of one week: its document with the latest collectedAt in that week.
 */
export interface HierarchyWeekEntry {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  docId: string;
  collectedAt: string;
  level: Level;
  /**
   * product.version.
   */
  version: string;
  /**
   * A Configuration Manager build number, 5.00.NNNN.NNNN.
   */
  build: string;
  /**
   * How many sites the snapshot lists.
   */
  sites: number;
  /**
   * clients.total.
   */
  clients: number;
}
/**
 * GET /api/v1/hierarchies/{id}/weeks: a hierarchy's weekly snapshots, oldest first.
 */
export interface HierarchyWeeks {
  /**
   * In standard Base64, as SCPs send it.
   */
  hierarchyId: string;
  weeks: HierarchyWeekEntry[];
}
export interface VersionCount {
  version: string;
  /**
   * A whole number counted or summed over snapshots.
   */
  hierarchies: number;
  /**
   * A whole number counted or summed over snapshots.
   */
  clients: number;
}
/**
 * GET /api/v1/stats/versions: hierarchies and clients per product version, newest version first; clients sums clients.total over the week's snapshots.
 */
export interface VersionStats {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  /**
   * A whole number counted or summed over snapshots.
   */
  hierarchies: number;
  /**
   * A whole number counted or summed over snapshots.
   */
  clients: number;
  versions: VersionCount[];
}
export interface OsCount {
  name: string;
  /**
   * A whole number counted or summed over snapshots.
   */
  clients: number;
}
/**
 * GET /api/v1/stats/os: clients per operating system, most clients first, then by name.
 */
export interface OsStats {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  /**
   * A whole number counted or summed over snapshots.
   */
  clients: number;
  os: OsCount[];
}
export interface FeatureCount {
  name: string;
  /**
   * Snapshots that report it enabled.
   */
  enabledHierarchies: number;
  /**
   * The sum of uses, a missing uses counting 0.
   */
  uses: number;
}
/**
 * GET /api/v1/stats/features: over the snapshots at enhanced or full, most enabled first, then by name.
 */
export interface FeatureStats {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  /**
   * Snapshots at enhanced or full.
   */
  hierarchies: number;
  features: FeatureCount[];
}
export interface TrendWeek {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  /**
   * A whole number counted or summed over snapshots.
   */
  hierarchies: number;
  /**
   * A whole number counted or summed over snapshots.
   */
  clients: number;
  /**
   * Hierarchies per product version, {"2409": n}; only versions the week has.
   */
  versions: {
    /**
     * A whole number counted or summed over snapshots.
     */
    [k: string]: number;
  };
}
/**
 * GET /api/v1/stats/trend: every week of the range, oldest first.
 */
export interface WeekTrend {
  weeks: TrendWeek[];
}
/**
 * One dimension: level is the lowest level it needs, sinceVersion the first usage version that carries its field.
 */
export interface DimensionListEntry {
  name: string;
  kind: DimensionKind;
  level: Level;
  description: string;
  /**
   * The usage version whose documents first carry the field: snapshots of earlier versions never count in it.
   */
  sinceVersion?: number;
}
/**
 * GET /api/v1/stats/dimensions: every dimension, in the contract's order.
 */
export interface DimensionList {
  dimensions: DimensionListEntry[];
}
export interface HierarchyValueRow {
  value: string;
  /**
   * A whole number counted or summed over snapshots.
   */
  hierarchies: number;
  /**
   * A whole number counted or summed over snapshots.
   */
  clients: number;
}
export interface SetValueRow {
  value: string;
  /**
   * Snapshots that name the value at least once.
   */
  hierarchies: number;
  /**
   * How often the value is named in all.
   */
  count: number;
}
export interface ClientsValueRow {
  value: string;
  /**
   * A whole number counted or summed over snapshots.
   */
  clients: number;
  /**
   * Snapshots that name the value (with 0 clients too).
   */
  hierarchies: number;
}
/**
 * A kind hierarchy dimension's week: most hierarchies first, then value; folded values last as (fewer than k).
 */
export interface HierarchyDimensionStats {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  dimension: string;
  kind: "hierarchy";
  /**
   * The week's snapshots the dimension applies to.
   */
  hierarchies: number;
  /**
   * The sum of their clients.total.
   */
  clients: number;
  values: HierarchyValueRow[];
}
/**
 * A kind set dimension's week: most hierarchies first, then value; folded values last as (fewer than k).
 */
export interface SetDimensionStats {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  dimension: string;
  kind: "set";
  /**
   * The week's snapshots the dimension applies to.
   */
  hierarchies: number;
  /**
   * The sum of their clients.total.
   */
  clients: number;
  values: SetValueRow[];
}
/**
 * A kind clients dimension's week: most clients first, then value; folded values last as (fewer than k).
 */
export interface ClientsDimensionStats {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  dimension: string;
  kind: "clients";
  /**
   * The week's snapshots the dimension applies to.
   */
  hierarchies: number;
  /**
   * The sum of their clients.total.
   */
  clients: number;
  values: ClientsValueRow[];
}
/**
 * The values lower <= v < upper (upper <= 1.02 x lower); zeros alone in [0, 0].
 */
export interface DistributionBucket {
  lower: number;
  upper: number;
  /**
   * A whole number counted or summed over snapshots.
   */
  hierarchies: number;
}
/**
 * A distribution's week: sum and mean exact, min, max and nearest-rank percentiles within 1%; all null without values or over fewer than minHierarchies snapshots (then no buckets).
 */
export interface DistributionDimensionStats {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  dimension: string;
  kind: "distribution";
  /**
   * A whole number counted or summed over snapshots.
   */
  hierarchies: number;
  sum: number | null;
  mean: number | null;
  min: number | null;
  max: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /**
   * The non-empty buckets, ascending.
   */
  buckets: DistributionBucket[];
}
export interface CategoricalTrendWeek {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  /**
   * A whole number counted or summed over snapshots.
   */
  hierarchies: number;
  /**
   * Value to its hierarchies (kinds hierarchy, set) or clients (kind clients).
   */
  values: {
    /**
     * A whole number counted or summed over snapshots.
     */
    [k: string]: number;
  };
}
export interface DistributionTrendWeek {
  /**
   * An ISO 8601 week of collectedAt in UTC, such as 2026-W47.
   */
  week: string;
  /**
   * A whole number counted or summed over snapshots.
   */
  hierarchies: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}
export interface CategoricalDimensionTrend {
  dimension: string;
  kind: "hierarchy" | "set" | "clients";
  weeks: CategoricalTrendWeek[];
}
export interface DistributionDimensionTrend {
  dimension: string;
  kind: "distribution";
  weeks: DistributionTrendWeek[];
}
