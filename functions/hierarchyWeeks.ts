import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { readHierarchyParameter } from "../shared/query/hierarchyParameter";
import { readHierarchyWeeks, toHierarchyWeeks, toHierarchyWeeksCsv } from "../shared/query/hierarchyWeeks";
import type { HierarchyWeeksTable } from "../shared/storage/hierarchyWeeksTable";
import { readWeekRange } from "../shared/query/weekParameters";
import { answerQuery } from "./queryEdge";
import type { HttpRequestLike, HttpTrigger } from "./triggerTypes";

/** The snapshots aggregation keeps per hierarchy and week. */
export type HierarchyWeeksSource = Pick<HierarchyWeeksTable, "list" | "exists">;

/** GET /api/v1/hierarchies/{id}/weeks?from=&to=: one hierarchy's weekly snapshots, oldest first. */
export async function hierarchyWeeks(request: HttpRequestLike, context: InvocationContext, history: HierarchyWeeksSource): Promise<HttpResponseInit> {
  return answerQuery(request, context, async () => {
    const { hierarchyKey, hierarchyId } = readHierarchyParameter(request.params["id"]);
    const range = readWeekRange(request.query);
    const rows = await readHierarchyWeeks(history, hierarchyKey, range);
    return { body: toHierarchyWeeks(hierarchyId, rows), csvTable: toHierarchyWeeksCsv };
  });
}

export const hierarchyWeeksTrigger: HttpTrigger = {
  kind: "http",
  name: "hierarchyWeeks",
  route: "v1/hierarchies/{id}/weeks",
  methods: ["GET"],
  key: "query",
  bind: (services) => (request, context) => hierarchyWeeks(request, context, services.hierarchyWeeks),
};
