import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { toVersionStats, toVersionStatsCsv } from "../shared/query/versionStats";
import { readWeek } from "../shared/query/weekParameters";
import { getServices } from "../shared/services";
import { answerQuery } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./trigger";

/** GET /api/v1/stats/versions?week=: hierarchies and clients per product version, newest first. */
export async function statsVersions(request: HttpRequestLike, context: InvocationContext): Promise<HttpResponseInit> {
  return answerQuery(request, context, async () => {
    const week = readWeek(request.query);
    return { body: toVersionStats(week, await getServices().weekStats.readRollup(week)), csvTable: toVersionStatsCsv };
  });
}

export const statsVersionsTrigger: HttpTrigger = {
  kind: "http",
  name: "statsVersions",
  route: "v1/stats/versions",
  methods: ["GET"],
  key: "query",
  handler: statsVersions,
};
