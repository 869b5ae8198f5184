/**
 * The versions and OS maps the statistics had before every dimension was counted, read from
 * a rollup's `version` and `os` dimensions, so that tests written against them keep their
 * assertions; and a comparable plain form of a whole rollup.
 */
import type { CategoricalRollup } from "../../shared/aggregation/dimensionRollup";
import type { RollupBudget, WeekRollup } from "../../shared/aggregation/weekRollup";
import { OTHER_NAME } from "../../shared/aggregation/weekRollup";

function categorical(rollup: Pick<WeekRollup, "dimensions">, name: string): CategoricalRollup {
  const d = rollup.dimensions.get(name);
  if (d === undefined || d.kind === "distribution") throw new Error(`${name} is not a categorical dimension of the rollup`);
  return d;
}

/** Hierarchies and clients per version. */
export function versionsOf(rollup: Pick<WeekRollup, "dimensions">): Map<string, { hierarchies: number; clients: number }> {
  return new Map([...categorical(rollup, "version").values].map(([v, c]) => [v, { hierarchies: c.hierarchies, clients: c.clients }]));
}

/** Clients per OS, and how many snapshots name it. */
export function osOf(rollup: Pick<WeekRollup, "dimensions">): Map<string, { clients: number; named: number }> {
  return new Map([...categorical(rollup, "os").values].map(([v, c]) => [v, { clients: c.clients, named: c.hierarchies }]));
}

/** Sets a value's counts in a categorical dimension, as a test's hand-made rollup needs. */
export function setValue(rollup: Pick<WeekRollup, "dimensions">, dimension: string, value: string, counts: { hierarchies: number; clients: number; count?: number }): void {
  categorical(rollup, dimension).values.set(value, { count: 0, ...counts });
}

/** A rollup as plain sorted data, for deepEqual. */
export function plainRollup(r: WeekRollup): unknown {
  return {
    hierarchies: r.hierarchies,
    clients: r.clients,
    featureHierarchies: r.featureHierarchies,
    features: [...r.features].sort(),
    dimensions: [...r.dimensions]
      .map(([name, d]) =>
        d.kind === "distribution"
          ? [name, d.hierarchies, d.clients, d.sum, [...d.buckets].sort((a, b) => a[0] - b[0])]
          : [name, d.hierarchies, d.clients, [...d.values].sort()],
      )
      .sort(),
  };
}

/** What a rollup's entries cost under a budget, the reserved entry of each list left out. */
export function spentOf(r: WeekRollup, budget: RollupBudget): number {
  let bytes = [...r.features.keys()].filter((n) => n !== OTHER_NAME).reduce((s, n) => s + budget.entryBytes("features", n), 0);
  for (const [name, d] of r.dimensions) {
    // A distribution's first bucket takes the room kept for it, as a list's OTHER_NAME entry does.
    const names = d.kind === "distribution" ? [...d.buckets.keys()].slice(1).map(String) : [...d.values.keys()].filter((n) => n !== OTHER_NAME);
    bytes += names.reduce((s, n) => s + budget.entryBytes(name, n), 0);
  }
  return bytes;
}

/** The room a budget keeps aside: one entry for each list. */
export function reservedOf(r: WeekRollup, budget: RollupBudget): number {
  return budget.entryBytes("features", OTHER_NAME) + [...r.dimensions.keys()].reduce((s, name) => s + budget.entryBytes(name, OTHER_NAME), 0);
}
