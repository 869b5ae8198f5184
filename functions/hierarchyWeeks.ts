import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { readHierarchyParameter } from "../shared/query/hierarchyParameter";
import { readHierarchyWeeks, toHierarchyWeeks, toHierarchyWeeksCsv } from "../shared/query/hierarchyWeeks";
import { readWeekRange } from "../shared/query/weekParameters";
import { getServices } from "../shared/services";
import { answerQuery } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./trigger";

/** GET /api/v1/hierarchies/{id}/weeks?from=&to=: one hierarchy's weekly snapshots, oldest first. */
export async function hierarchyWeeks(request: HttpRequestLike, context: InvocationContext): Promise<HttpResponseInit> {
  return answerQuery(request, context, async () => {
    const { hierarchyKey, hierarchyId } = readHierarchyParameter(request.params["id"]);
    const range = readWeekRange(request.query);
    const rows = await readHierarchyWeeks(getServices().hierarchyWeeks, hierarchyKey, range);
    return { body: toHierarchyWeeks(hierarchyId, rows), csvTable: toHierarchyWeeksCsv };
  });
}

export const hierarchyWeeksTrigger: HttpTrigger = {
  kind: "http",
  name: "hierarchyWeeks",
  route: "v1/hierarchies/{id}/weeks",
  methods: ["GET"],
  key: "query",
  handler: hierarchyWeeks,
};
