/**
 * The shapes of the query routes' answers the page reads (contract sections 4 and 4.1): the
 * types generated from schemas/results.v1.schema.json, the same the server builds its answers
 * with. Types only, so nothing of the server reaches the bundle.
 */
export type {
  DimensionKind,
  DimensionList,
  DimensionTrend,
  DistributionBucket,
  DistributionDimensionStats as DistributionStats,
  FeatureStats,
  OsStats,
  TrendWeek,
  WeekTrend,
} from "../../shared/resultsV1";
