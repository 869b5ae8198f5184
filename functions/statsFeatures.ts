import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { toFeatureStats, toFeatureStatsCsv } from "../shared/query/featureStats";
import { readWeek } from "../shared/query/weekParameters";
import { answerQuery } from "./queryEdge";
import type { WeekRollupSource } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./triggerTypes";

/** GET /api/v1/stats/features?week=: feature adoption over the snapshots at enhanced or full. */
export async function statsFeatures(request: HttpRequestLike, context: InvocationContext, reader: WeekRollupSource): Promise<HttpResponseInit> {
  return answerQuery(request, context, async () => {
    const week = readWeek(request.query);
    return { body: toFeatureStats(week, await reader.readFeatures(week)), csvTable: toFeatureStatsCsv };
  });
}

export const statsFeaturesTrigger: HttpTrigger = {
  kind: "http",
  name: "statsFeatures",
  route: "v1/stats/features",
  methods: ["GET"],
  key: "query",
  bind: (services) => (request, context) => statsFeatures(request, context, services.statsReader),
};
