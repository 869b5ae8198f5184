import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { readWeekRange } from "../shared/query/weekParameters";
import { readWeekTrend, toWeekTrendCsv } from "../shared/query/weekTrend";
import { getServices } from "../shared/services";
import { answerQuery } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./trigger";

/** GET /api/v1/stats/trend?from=&to=: hierarchies, clients and versions for every week of a range. */
export async function statsTrend(request: HttpRequestLike, context: InvocationContext): Promise<HttpResponseInit> {
  return answerQuery(request, context, async () => {
    const range = readWeekRange(request.query);
    return { body: await readWeekTrend(getServices().weekStats, range), csvTable: toWeekTrendCsv };
  });
}

export const statsTrendTrigger: HttpTrigger = {
  kind: "http",
  name: "statsTrend",
  route: "v1/stats/trend",
  methods: ["GET"],
  key: "query",
  handler: statsTrend,
};
