/**
 * Folding of small values (`minHierarchies`, contract section 4.1): a value named by fewer
 * than k hierarchies is not shown on its own, so that no single hierarchy can be picked out
 * of the statistics. Totals never change: only the lists do.
 */
import { compareCodeUnits } from "./ordering";
import type { ClientsValueRow, DistributionDimensionStats, HierarchyValueRow, SetValueRow } from "../resultsV1";

/** The value rows of the kinds `hierarchy`, `set` and `clients`, as schemas/results.v1.schema.json defines them. */
export type { ClientsValueRow, HierarchyValueRow, SetValueRow };

export type ValueRow = HierarchyValueRow | SetValueRow | ClientsValueRow;

/** How one kind lists its rows and adds several up into one. */
export interface ValueRowKind<R extends ValueRow> {
  /** The kind's list order. */
  compare: (a: R, b: R) => number;
  /** One row called `value` carrying the summed counts of `rows`. */
  combine: (value: string, rows: readonly R[]) => R;
}

function sumOf<R>(rows: readonly R[], count: (row: R) => number): number {
  return rows.reduce((sum, row) => sum + count(row), 0);
}

/** Most hierarchies first, then value: the order of kinds `hierarchy` and `set`. */
function mostHierarchiesFirst(a: ValueRow, b: ValueRow): number {
  return b.hierarchies - a.hierarchies || compareCodeUnits(a.value, b.value);
}

export const hierarchyValueRows: ValueRowKind<HierarchyValueRow> = Object.freeze({
  compare: mostHierarchiesFirst,
  combine: (value: string, rows: readonly HierarchyValueRow[]) => ({
    value,
    hierarchies: sumOf(rows, (row) => row.hierarchies),
    clients: sumOf(rows, (row) => row.clients),
  }),
});

export const setValueRows: ValueRowKind<SetValueRow> = Object.freeze({
  compare: mostHierarchiesFirst,
  combine: (value: string, rows: readonly SetValueRow[]) => ({
    value,
    hierarchies: sumOf(rows, (row) => row.hierarchies),
    count: sumOf(rows, (row) => row.count),
  }),
});

export const clientsValueRows: ValueRowKind<ClientsValueRow> = Object.freeze({
  // Most clients first, then value.
  compare: (a: ClientsValueRow, b: ClientsValueRow) => b.clients - a.clients || compareCodeUnits(a.value, b.value),
  combine: (value: string, rows: readonly ClientsValueRow[]) => ({
    value,
    clients: sumOf(rows, (row) => row.clients),
    hierarchies: sumOf(rows, (row) => row.hierarchies),
  }),
});

export interface FoldOptions {
  /** k: an integer ≥ 1 (readMinHierarchies gives one); values named by fewer hierarchies are folded. */
  minHierarchies: number;
}

/** The value the folded rows are listed under: `(fewer than 5)`. */
export function foldedValueName(minHierarchies: number): string {
  return `(fewer than ${minHierarchies})`;
}

function checkMinHierarchies(minHierarchies: number): void {
  if (!Number.isSafeInteger(minHierarchies) || minHierarchies < 1) throw new RangeError(`minHierarchies must be an integer of at least 1, not ${minHierarchies}`);
}

/**
 * A kind's value rows in its list order, with the small ones folded.
 *
 * Rows named by fewer than k hierarchies become one row `(fewer than k)` carrying their
 * summed counts, listed last. When exactly one row would be folded, the row that comes last
 * in list order among the rest is folded with it (when there is one): otherwise the totals
 * minus the listed rows would give the small one away.
 *
 * Where the contract is silent: a value that is itself spelled `(fewer than k)` (an OS name
 * may be any text) and is not small joins the folded row when there is one, so that a list
 * never names the same value twice (the trend's value maps and the published rows key on
 * it). With nothing folded it stays as it is.
 *
 * @throws RangeError when minHierarchies is not an integer of at least 1.
 */
export function foldSmallValues<R extends ValueRow>(rows: readonly R[], kind: ValueRowKind<R>, options: FoldOptions): R[] {
  checkMinHierarchies(options.minHierarchies);
  const sorted = [...rows].sort(kind.compare);
  const folded = sorted.filter((row) => row.hierarchies < options.minHierarchies);
  if (folded.length === 0) return sorted;
  const kept = sorted.filter((row) => row.hierarchies >= options.minHierarchies);
  const partner = folded.length === 1 ? kept.pop() : undefined;
  if (partner !== undefined) folded.push(partner);
  const label = foldedValueName(options.minHierarchies);
  const listed = kept.filter((row) => row.value !== label);
  folded.push(...kept.filter((row) => row.value === label));
  return [...listed, kind.combine(label, folded)];
}

/** A distribution's figures as the route reports them (its week without the names); null where there is nothing to report. */
export type DistributionFigures = Omit<DistributionDimensionStats, "week" | "dimension" | "kind">;

/**
 * A distribution over fewer than k hierarchies reports its figures as null and no buckets
 * (one or two hierarchies' own values would show); `hierarchies` stays, like every total.
 *
 * @throws RangeError when minHierarchies is not an integer of at least 1.
 */
export function foldSmallDistribution<T extends DistributionFigures>(figures: T, options: FoldOptions): T {
  checkMinHierarchies(options.minHierarchies);
  if (figures.hierarchies >= options.minHierarchies) return figures;
  return { ...figures, sum: null, mean: null, min: null, max: null, p50: null, p90: null, p99: null, buckets: [] };
}
