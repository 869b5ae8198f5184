import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { readDimensionTrend, toDimensionTrendCsv } from "../shared/query/dimensionTrend";
import { readMinHierarchies } from "../shared/query/minHierarchiesParameter";
import { readWeekRange } from "../shared/query/weekParameters";
import { dimensionOfRoute, dimensionRouteDeps, type DimensionRouteDeps } from "./statsDimension";
import { answerQuery } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./triggerTypes";

/** GET /api/v1/stats/dimensions/{name}/trend?from=&to=&minHierarchies=: one dimension week by week. */
export async function statsDimensionTrend(request: HttpRequestLike, context: InvocationContext, deps: DimensionRouteDeps): Promise<HttpResponseInit> {
  return answerQuery(request, context, async () => {
    const dimension = dimensionOfRoute(request);
    const range = readWeekRange(request.query);
    const minHierarchies = readMinHierarchies(request.query, deps.minHierarchies);
    return { body: await readDimensionTrend(deps.reader, dimension, range, { minHierarchies }), csvTable: toDimensionTrendCsv };
  });
}

export const statsDimensionTrendTrigger: HttpTrigger = {
  kind: "http",
  name: "statsDimensionTrend",
  route: "v1/stats/dimensions/{name}/trend",
  methods: ["GET"],
  key: "query",
  bind: (services) => {
    const deps = dimensionRouteDeps(services);
    return (request, context) => statsDimensionTrend(request, context, deps);
  },
};
