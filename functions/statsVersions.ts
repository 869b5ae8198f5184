import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { toVersionStats, toVersionStatsCsv } from "../shared/query/versionStats";
import { readWeek } from "../shared/query/weekParameters";
import { answerQuery } from "./queryEdge";
import type { WeekRollupSource } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./triggerTypes";

/** GET /api/v1/stats/versions?week=: hierarchies and clients per product version, newest first. */
export async function statsVersions(request: HttpRequestLike, context: InvocationContext, reader: WeekRollupSource): Promise<HttpResponseInit> {
  return answerQuery(request, context, async () => {
    const week = readWeek(request.query);
    return { body: toVersionStats(week, await reader.readVersions(week)), csvTable: toVersionStatsCsv };
  });
}

export const statsVersionsTrigger: HttpTrigger = {
  kind: "http",
  name: "statsVersions",
  route: "v1/stats/versions",
  methods: ["GET"],
  key: "query",
  bind: (services) => (request, context) => statsVersions(request, context, services.statsReader),
};
