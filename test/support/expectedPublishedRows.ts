import { emptyDimensionRollup, type DimensionRollup } from "../../shared/aggregation/dimensionRollup";
import { dimensions } from "../../shared/aggregation/dimensions";
import type { IsoWeek } from "../../shared/isoWeek";
import { toPublishedRows, type PublishedRow } from "../../shared/publishing/publishedRows";
import { toDimensionStats } from "../../shared/query/dimensionStats";

/** What the routes answer for every dimension of the week, as published rows: what the publisher must write. */
export function expectedRows(week: IsoWeek, rollups: Map<string, DimensionRollup>, minHierarchies: number): PublishedRow[] {
  return dimensions.flatMap((d) => toPublishedRows(toDimensionStats(week, d, rollups.get(d.name) ?? emptyDimensionRollup(d.kind), { minHierarchies })));
}
