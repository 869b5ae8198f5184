import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { toOsStats, toOsStatsCsv } from "../shared/query/osStats";
import { readWeek } from "../shared/query/weekParameters";
import { answerQuery } from "./queryEdge";
import type { WeekRollupSource } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./triggerTypes";

/** GET /api/v1/stats/os?week=: clients per operating system, most first. */
export async function statsOs(request: HttpRequestLike, context: InvocationContext, reader: WeekRollupSource): Promise<HttpResponseInit> {
  return answerQuery(request, context, async () => {
    const week = readWeek(request.query);
    return { body: toOsStats(week, await reader.readOs(week)), csvTable: toOsStatsCsv };
  });
}

export const statsOsTrigger: HttpTrigger = {
  kind: "http",
  name: "statsOs",
  route: "v1/stats/os",
  methods: ["GET"],
  key: "query",
  bind: (services) => (request, context) => statsOs(request, context, services.statsReader),
};
