import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { readWeekRange } from "../shared/query/weekParameters";
import { readWeekTrend, toWeekTrendCsv } from "../shared/query/weekTrend";
import { answerQuery } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./triggerTypes";

/** GET /api/v1/stats/trend?from=&to=: hierarchies, clients and versions for every week of a range. */
export async function statsTrend(request: HttpRequestLike, context: InvocationContext, reader: Parameters<typeof readWeekTrend>[0]): Promise<HttpResponseInit> {
  return answerQuery(request, context, async () => {
    const range = readWeekRange(request.query);
    return { body: await readWeekTrend(reader, range), csvTable: toWeekTrendCsv };
  });
}

export const statsTrendTrigger: HttpTrigger = {
  kind: "http",
  name: "statsTrend",
  route: "v1/stats/trend",
  methods: ["GET"],
  key: "query",
  bind: (services) => (request, context) => statsTrend(request, context, services.statsReader),
};
