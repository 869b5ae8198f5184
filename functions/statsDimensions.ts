import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { toDimensionList, toDimensionListCsv } from "../shared/query/dimensionList";
import { answerQuery } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./triggerTypes";

/** GET /api/v1/stats/dimensions: every dimension a week can be counted by, with its kind and level. */
export async function statsDimensions(request: HttpRequestLike, context: InvocationContext): Promise<HttpResponseInit> {
  // The list is declared in code: nothing to read from storage.
  return answerQuery(request, context, () => Promise.resolve({ body: toDimensionList(), csvTable: toDimensionListCsv }));
}

export const statsDimensionsTrigger: HttpTrigger = {
  kind: "http",
  name: "statsDimensions",
  route: "v1/stats/dimensions",
  methods: ["GET"],
  key: "query",
  bind: () => statsDimensions,
};
