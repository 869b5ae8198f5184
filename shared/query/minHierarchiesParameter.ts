import { InvalidParameterError } from "../errors";
import type { QueryParameters } from "./weekParameters";

/** The contract's range for `minHierarchies` (section 4.1); STATS_MIN_HIERARCHIES is held to the same in shared/config.ts. */
const MIN = 1;
const MAX = 1000;

/**
 * The optional `minHierarchies` parameter of the dimension routes: an integer from 1 to
 * 1000 written in decimal digits (no sign, fraction or exponent), or `configured` (the
 * STATS_MIN_HIERARCHIES setting) when absent. An empty value counts as absent, as `from`
 * and `to` do; given twice, anything else or out of range: InvalidParameterError naming it.
 */
export function readMinHierarchies(query: QueryParameters, configured: number): number {
  const values = query.getAll("minHierarchies");
  if (values.length > 1) throw new InvalidParameterError(`minHierarchies is given ${values.length} times; give it once`, "minHierarchies");
  const text = values[0];
  if (text === undefined || text === "") return configured;
  // Digits only, checked before Number(): Number would also take " 5", "5.0", "0x10" and "1e2".
  const value = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= MIN && value <= MAX)) {
    throw new InvalidParameterError(`minHierarchies must be a whole number from ${MIN} to ${MAX}`, "minHierarchies");
  }
  return value;
}
