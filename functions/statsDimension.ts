import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { dimensionNamed, type Dimension } from "../shared/aggregation/dimensions";
import { NotFoundError } from "../shared/errors";
import { toDimensionStats, toDimensionStatsCsv } from "../shared/query/dimensionStats";
import type { DimensionTrendSource } from "../shared/query/dimensionTrend";
import { readMinHierarchies } from "../shared/query/minHierarchiesParameter";
import { readWeek } from "../shared/query/weekParameters";
import type { Services } from "../shared/services";
import { answerQuery } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./triggerTypes";

/** What the dimension routes need: where the rollups are read, and the default `minHierarchies` (STATS_MIN_HIERARCHIES). */
export interface DimensionRouteDeps {
  reader: DimensionTrendSource;
  minHierarchies: number;
}

/** The dimension a route's `{name}` names; NotFoundError otherwise (a Map lookup, so `__proto__` is just unknown). */
export function dimensionOfRoute(request: HttpRequestLike): Dimension {
  const name = request.params["name"] ?? "";
  const dimension = dimensionNamed(name);
  if (dimension === undefined) throw new NotFoundError(`There is no dimension ${JSON.stringify(name.slice(0, 40))}; GET /api/v1/stats/dimensions lists them`);
  return dimension;
}

/** The dimension routes' part of the services. */
export function dimensionRouteDeps(services: Services): DimensionRouteDeps {
  return { reader: services.statsReader, minHierarchies: services.config.statsMinHierarchies };
}

/** GET /api/v1/stats/dimensions/{name}?week=&minHierarchies=: one week by one dimension. */
export async function statsDimension(request: HttpRequestLike, context: InvocationContext, deps: DimensionRouteDeps): Promise<HttpResponseInit> {
  return answerQuery(request, context, async () => {
    // The name first: an unknown dimension is a 404 whatever the parameters say.
    const dimension = dimensionOfRoute(request);
    const week = readWeek(request.query);
    const minHierarchies = readMinHierarchies(request.query, deps.minHierarchies);
    const rollup = await deps.reader.readDimension(week, dimension.name);
    return { body: toDimensionStats(week, dimension, rollup, { minHierarchies }), csvTable: toDimensionStatsCsv };
  });
}

export const statsDimensionTrigger: HttpTrigger = {
  kind: "http",
  name: "statsDimension",
  route: "v1/stats/dimensions/{name}",
  methods: ["GET"],
  key: "query",
  bind: (services) => {
    const deps = dimensionRouteDeps(services);
    return (request, context) => statsDimension(request, context, deps);
  },
};
