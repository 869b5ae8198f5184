import { aggregateUsageTrigger } from "./aggregateUsage";
import { dashboardTrigger } from "./dashboard";
import { healthTrigger } from "./health";
import { hierarchyWeeksTrigger } from "./hierarchyWeeks";
import { openApiTrigger } from "./openapi";
import { publishWeeklyDimensionsTrigger } from "./publishWeeklyDimensions";
import { queueHealthTrigger } from "./queueHealth";
import { statsDimensionTrigger } from "./statsDimension";
import { statsDimensionTrendTrigger } from "./statsDimensionTrend";
import { statsDimensionsTrigger } from "./statsDimensions";
import { statsFeaturesTrigger } from "./statsFeatures";
import { statsOsTrigger } from "./statsOs";
import { statsTrendTrigger } from "./statsTrend";
import { statsVersionsTrigger } from "./statsVersions";
import { submitBatchTrigger } from "./submitBatch";
import { submitUsageTrigger } from "./submitUsage";
import type { Trigger } from "./triggerTypes";

/** Every trigger of the app, for the Functions host (functions/index.ts) and the local runtime alike. */
export const triggers: readonly Trigger[] = [
  submitUsageTrigger,
  submitBatchTrigger,
  healthTrigger,
  dashboardTrigger,
  openApiTrigger,
  aggregateUsageTrigger,
  publishWeeklyDimensionsTrigger,
  queueHealthTrigger,
  hierarchyWeeksTrigger,
  statsVersionsTrigger,
  statsOsTrigger,
  statsFeaturesTrigger,
  statsTrendTrigger,
  statsDimensionsTrigger,
  statsDimensionTrigger,
  statsDimensionTrendTrigger,
];
