import { dimensionNamed, dimensions, type Dimension } from "../../shared/aggregation/dimensions";
import { emptyDimensionRollup, type CategoricalRollup, type DimensionRollup, type DimensionRollupReader, type DistributionRollup } from "../../shared/aggregation/dimensionRollup";
import { bucketCountsOf } from "../../shared/aggregation/logBuckets";
import type { IsoWeek } from "../../shared/isoWeek";

/** A value of a categorical rollup: [value, hierarchies, clients, count]. */
export type ValueEntry = [value: string, hierarchies: number, clients: number, count: number];

/** A hand-made categorical rollup; totals given, since a dimension's totals are not the sums of its values (sets, clients). */
export function categoricalRollup(kind: CategoricalRollup["kind"], totals: { hierarchies: number; clients: number }, entries: ValueEntry[]): CategoricalRollup {
  return { kind, ...totals, values: new Map(entries.map(([value, hierarchies, clients, count]) => [value, { hierarchies, clients, count }])) };
}

/** A hand-made distribution rollup over `values`, one a snapshot. */
export function distributionRollup(values: number[], clients = 0): DistributionRollup {
  return { kind: "distribution", hierarchies: values.length, clients, sum: values.reduce((a, b) => a + b, 0), buckets: bucketCountsOf(values) };
}

/** The declared dimension called `name`; throws for a name the list lacks, so a typo in a test fails loudly. */
export function dimension(name: string): Dimension {
  const found = dimensionNamed(name);
  if (found === undefined) throw new Error(`no dimension ${name}`);
  return found;
}

/**
 * A DimensionRollupReader that returns fixed rollups: the seam the routes and the publisher
 * read through, not a fake of storage. Weeks and dimensions it was not given are empty.
 */
export class FixedRollupReader implements DimensionRollupReader {
  readonly reads: string[] = [];
  constructor(public weeks: Map<string, Map<string, DimensionRollup>>) {}

  async readDimension(week: string, name: string): Promise<DimensionRollup> {
    this.reads.push(`${week}/${name}`);
    return this.weeks.get(week)?.get(name) ?? emptyDimensionRollup(dimension(name).kind);
  }

  async readDimensions(week: string): Promise<Map<string, DimensionRollup>> {
    this.reads.push(`${week}/*`);
    const given = this.weeks.get(week);
    return new Map(dimensions.map((d) => [d.name, given?.get(d.name) ?? emptyDimensionRollup(d.kind)]));
  }

  async listWeeks(): Promise<IsoWeek[]> {
    return [...this.weeks.keys()].sort() as IsoWeek[];
  }
}
