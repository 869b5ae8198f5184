import { dimensions, type Dimension, type DimensionKind } from "../aggregation/dimensions";
import type { CsvTable } from "../http/csv";
import type { Level } from "../validation/usageV1";

/** One dimension as `GET /api/v1/stats/dimensions` lists it. */
export interface DimensionListEntry {
  name: string;
  kind: DimensionKind;
  level: Level;
  description: string;
}

/** The body of `GET /api/v1/stats/dimensions`. */
export interface DimensionList {
  /** In the order they are declared, which is the contract's table's. */
  dimensions: DimensionListEntry[];
}

/** The declared dimensions as the route lists them (its readers stay inside). */
export function toDimensionList(declared: readonly Dimension[] = dimensions): DimensionList {
  return { dimensions: declared.map(({ name, kind, level, description }) => ({ name, kind, level, description })) };
}

/** The CSV form: `name,kind,level,description`. */
export function toDimensionListCsv(list: DimensionList): CsvTable {
  return { header: ["name", "kind", "level", "description"], rows: list.dimensions.map((d) => [d.name, d.kind, d.level, d.description]) };
}
