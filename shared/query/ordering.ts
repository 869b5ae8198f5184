/**
 * The sort orders of the query routes. Names compare by UTF-16 code unit, never by locale,
 * so that an order does not depend on the server's or the client's language settings.
 */

/** Code-unit order of two strings: -1, 0 or 1. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Newest product version first. Versions are `YYMM` (the schema requires four digits), so
 * for them text order is time order; a longer string sorts first as a safeguard should a
 * longer scheme ever arrive beside it.
 */
export function newestVersionFirst(a: string, b: string): number {
  return b.length - a.length || compareCodeUnits(b, a);
}

/** Larger `count` first, then by `name`: the order of the OS and feature lists. */
export function largestFirstThenByName<T extends { name: string }>(count: (item: T) => number): (a: T, b: T) => number {
  return (a, b) => count(b) - count(a) || compareCodeUnits(a.name, b.name);
}
