import { dimensions, type Dimension } from "../aggregation/dimensions";
import type { CsvTable } from "../http/csv";
import type { DimensionList, DimensionListEntry } from "../resultsV1";

/** The body of `GET /api/v1/stats/dimensions` (dimensions in the order they are declared, the contract's table's), as schemas/results.v1.schema.json defines it. */
export type { DimensionList, DimensionListEntry };

/** The declared dimensions as the route lists them (its readers stay inside). */
export function toDimensionList(declared: readonly Dimension[] = dimensions): DimensionList {
  return { dimensions: declared.map(({ name, kind, level, description, sinceVersion }) => ({ name, kind, level, description, sinceVersion })) };
}

/** The CSV form: `name,kind,level,description,sinceVersion`. */
export function toDimensionListCsv(list: DimensionList): CsvTable {
  return {
    header: ["name", "kind", "level", "description", "sinceVersion"],
    rows: list.dimensions.map((d) => [d.name, d.kind, d.level, d.description, String(d.sinceVersion ?? 1)]),
  };
}
