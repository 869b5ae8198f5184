/**
 * The shapes of the query routes' answers the page reads (contract sections 4 and 4.1). The
 * page is a client of the contract like any other, so it states what it relies on here
 * rather than importing the server's types (and, with them, Node's).
 */

export interface TrendWeek {
  week: string;
  hierarchies: number;
  clients: number;
  versions: Record<string, number>;
}

/** GET /api/v1/stats/trend */
export interface WeekTrend {
  weeks: TrendWeek[];
}

/** GET /api/v1/stats/os?week= */
export interface OsStats {
  week: string;
  clients: number;
  os: { name: string; clients: number }[];
}

/** GET /api/v1/stats/features?week= */
export interface FeatureStats {
  week: string;
  hierarchies: number;
  features: { name: string; enabledHierarchies: number; uses: number }[];
}

export type DimensionKind = "hierarchy" | "set" | "clients" | "distribution";

/** GET /api/v1/stats/dimensions */
export interface DimensionList {
  dimensions: { name: string; kind: DimensionKind; level: string; description: string }[];
}

export interface DistributionBucket {
  lower: number;
  upper: number;
  hierarchies: number;
}

/** GET /api/v1/stats/dimensions/{name}?week= for a dimension of kind `distribution`. */
export interface DistributionStats {
  week: string;
  dimension: string;
  kind: "distribution";
  hierarchies: number;
  min: number | null;
  max: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  buckets: DistributionBucket[];
}

/** GET /api/v1/stats/dimensions/{name}/trend */
export type DimensionTrend =
  | { dimension: string; kind: Exclude<DimensionKind, "distribution">; weeks: { week: string; hierarchies: number; values: Record<string, number> }[] }
  | { dimension: string; kind: "distribution"; weeks: { week: string; hierarchies: number; p50: number | null; p90: number | null; p99: number | null }[] };
