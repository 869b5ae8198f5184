import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  clientsValueRows,
  foldedValueName,
  foldSmallDistribution,
  foldSmallValues,
  hierarchyValueRows,
  setValueRows,
  type ClientsValueRow,
  type DistributionFigures,
  type HierarchyValueRow,
  type SetValueRow,
  type ValueRow,
  type ValueRowKind,
} from "../../../shared/query/foldSmallValues";

/** A hierarchy row with clients ten times its hierarchies, so that sums are easy to read. */
const h = (value: string, hierarchies: number): HierarchyValueRow => ({ value, hierarchies, clients: hierarchies * 10 });

const foldCases: { name: string; k: number; rows: HierarchyValueRow[]; expected: HierarchyValueRow[] }[] = [
  { name: "k = 1: nothing is folded, the list is sorted", k: 1, rows: [h("b", 1), h("a", 1), h("c", 5)], expected: [h("c", 5), h("a", 1), h("b", 1)] },
  { name: "nothing small: nothing folded", k: 3, rows: [h("a", 3), h("b", 4)], expected: [h("b", 4), h("a", 3)] },
  { name: "no rows at all", k: 5, rows: [], expected: [] },
  {
    name: "exactly one small: the last of the rest is folded with it",
    k: 2,
    rows: [h("c", 1), h("a", 5), h("b", 3)],
    expected: [h("a", 5), { value: "(fewer than 2)", hierarchies: 4, clients: 40 }],
  },
  {
    name: "exactly one small and no other value: folded alone",
    k: 2,
    rows: [h("c", 1)],
    expected: [{ value: "(fewer than 2)", hierarchies: 1, clients: 10 }],
  },
  {
    name: "exactly one small, one other: both folded",
    k: 2,
    rows: [h("c", 1), h("a", 9)],
    expected: [{ value: "(fewer than 2)", hierarchies: 10, clients: 100 }],
  },
  {
    name: "two small: folded together, nothing else",
    k: 2,
    rows: [h("a", 5), h("b", 1), h("c", 1)],
    expected: [h("a", 5), { value: "(fewer than 2)", hierarchies: 2, clients: 20 }],
  },
  {
    name: "all small: one folded row",
    k: 10,
    rows: [h("b", 9), h("a", 1), h("c", 3)],
    expected: [{ value: "(fewer than 10)", hierarchies: 13, clients: 130 }],
  },
  {
    name: "a tie at the boundary: exactly k is kept, k - 1 folded",
    k: 3,
    rows: [h("x", 3), h("y", 2), h("z", 2)],
    expected: [h("x", 3), { value: "(fewer than 3)", hierarchies: 4, clients: 40 }],
  },
  {
    name: "a tie in the order: the partner is the last by value among the equals",
    k: 3,
    rows: [h("b", 3), h("a", 3), h("c", 2)],
    expected: [h("a", 3), { value: "(fewer than 3)", hierarchies: 5, clients: 50 }],
  },
  {
    name: "the order compares code units: upper case first",
    k: 2,
    rows: [h("a", 4), h("B", 4), h("z", 1)],
    expected: [h("B", 4), { value: "(fewer than 2)", hierarchies: 5, clients: 50 }],
  },
  {
    name: "a value spelled like the label, with nothing folded, stays as it is",
    k: 2,
    rows: [h("(fewer than 2)", 4), h("a", 3)],
    expected: [h("(fewer than 2)", 4), h("a", 3)],
  },
  {
    name: "a value spelled like the label joins the folded row, so no value is listed twice",
    k: 2,
    rows: [h("(fewer than 2)", 7), h("a", 6), h("b", 1), h("c", 1)],
    expected: [h("a", 6), { value: "(fewer than 2)", hierarchies: 9, clients: 90 }],
  },
  {
    name: "a value spelled like another k's label is an ordinary value",
    k: 2,
    rows: [h("(fewer than 3)", 7), h("b", 1), h("c", 1)],
    expected: [h("(fewer than 3)", 7), { value: "(fewer than 2)", hierarchies: 2, clients: 20 }],
  },
];

test("folding, table-driven", () => {
  for (const c of foldCases) {
    assert.deepEqual(foldSmallValues(c.rows, hierarchyValueRows, { minHierarchies: c.k }), c.expected, c.name);
  }
});

test("set rows: most hierarchies first; the folded row sums hierarchies and count", () => {
  const rows: SetValueRow[] = [
    { value: "secondary", hierarchies: 1, count: 40 },
    { value: "primary", hierarchies: 9, count: 12 },
    { value: "cas", hierarchies: 4, count: 4 },
  ];
  assert.deepEqual(foldSmallValues(rows, setValueRows, { minHierarchies: 2 }), [
    { value: "primary", hierarchies: 9, count: 12 },
    { value: "(fewer than 2)", hierarchies: 5, count: 44 },
  ]);
});

test("clients rows: most clients first, small by hierarchies; the partner is the last by clients", () => {
  const rows: ClientsValueRow[] = [
    { value: "Windows 11", clients: 900, hierarchies: 1 },
    { value: "Windows 10", clients: 500, hierarchies: 8 },
    { value: "__proto__", clients: 5, hierarchies: 3 },
    { value: "constructor", clients: 50, hierarchies: 3 },
  ];
  assert.deepEqual(foldSmallValues(rows, clientsValueRows, { minHierarchies: 2 }), [
    { value: "Windows 10", clients: 500, hierarchies: 8 },
    { value: "constructor", clients: 50, hierarchies: 3 },
    { value: "(fewer than 2)", clients: 905, hierarchies: 4 },
  ]);
  // Key order as the contract writes each kind's rows.
  assert.deepEqual(Object.keys(foldSmallValues(rows, clientsValueRows, { minHierarchies: 2 })[2]!), ["value", "clients", "hierarchies"]);
  assert.deepEqual(Object.keys(setValueRows.combine("x", [])), ["value", "hierarchies", "count"]);
  assert.deepEqual(Object.keys(hierarchyValueRows.combine("x", [])), ["value", "hierarchies", "clients"]);
});

test("the label writes k as a number", () => {
  assert.equal(foldedValueName(1), "(fewer than 1)");
  assert.equal(foldedValueName(1000), "(fewer than 1000)");
});

test("minHierarchies must be an integer of at least 1", () => {
  for (const k of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => foldSmallValues([h("a", 1)], hierarchyValueRows, { minHierarchies: k }), RangeError, String(k));
    assert.throws(() => foldSmallDistribution(distribution(5), { minHierarchies: k }), RangeError, String(k));
  }
});

function distribution(hierarchies: number): DistributionFigures {
  return { hierarchies, sum: 10, mean: 2, min: 1, max: 3, p50: 2, p90: 3, p99: 3, buckets: [{ lower: 1, upper: 1.0194406437021448, hierarchies }] };
}

test("distributions: fewer than k hierarchies report null figures and no buckets; hierarchies stays", () => {
  const nulls = { sum: null, mean: null, min: null, max: null, p50: null, p90: null, p99: null, buckets: [] };
  const cases: [hierarchies: number, k: number, folded: boolean][] = [
    [5, 1, false],
    [5, 5, false],
    [4, 5, true],
    [1, 2, true],
    [0, 1, true],
  ];
  for (const [hierarchies, k, folded] of cases) {
    const figures = { week: "2026-W47", dimension: "clients", kind: "distribution", ...distribution(hierarchies) };
    const expected = folded ? { ...figures, ...nulls } : figures;
    assert.deepEqual(foldSmallDistribution(figures, { minHierarchies: k }), expected, `${hierarchies} hierarchies, k = ${k}`);
  }
});

/** Totals of every count of a list, by property. */
function totals(rows: readonly ValueRow[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) if (typeof value === "number") sums[key] = (sums[key] ?? 0) + value;
  }
  return sums;
}

function foldProperty<R extends ValueRow>(rowArbitrary: fc.Arbitrary<R>, kind: ValueRowKind<R>): void {
  fc.assert(
    fc.property(fc.uniqueArray(rowArbitrary, { selector: (row) => row.value, maxLength: 12 }), fc.integer({ min: 1, max: 6 }), (rows, k) => {
      const folded = foldSmallValues(rows, kind, { minHierarchies: k });
      const label = foldedValueName(k);
      assert.deepEqual(totals(folded), totals(rows), "totals never change");
      assert.equal(new Set(folded.map((row) => row.value)).size, folded.length, "no value listed twice");
      const small = rows.filter((row) => row.hierarchies < k);
      if (small.length === 0) {
        assert.deepEqual(folded, [...rows].sort(kind.compare), "nothing small: only sorted");
        return;
      }
      assert.equal(folded[folded.length - 1]!.value, label, "the folded row comes last");
      const listed = folded.slice(0, -1);
      for (const row of listed) assert.ok(row.hierarchies >= k && row.value !== label, `${row.value} is listed although small`);
      for (let i = 1; i < listed.length; i++) assert.ok(kind.compare(listed[i - 1]!, listed[i]!) <= 0, "in list order");
      // One small value alone beside listed others could be worked out from the totals.
      if (small.length === 1 && rows.length > 1) assert.ok(listed.length <= rows.length - 2, "the one small value has company");
    }),
    { numRuns: 300 },
  );
}

const arbitraryValue = fc.oneof(fc.constantFrom("(fewer than 2)", "(fewer than 3)", "__proto__", "constructor", "a", "B"), fc.string({ maxLength: 4 }));
const count = fc.integer({ min: 0, max: 1000 });
const hierarchies = fc.integer({ min: 1, max: 8 });

test("property: totals kept, no small value listed or given away, no value twice, list order, for every kind", () => {
  foldProperty(fc.record({ value: arbitraryValue, hierarchies, clients: count }), hierarchyValueRows);
  foldProperty(fc.record({ value: arbitraryValue, hierarchies, count }), setValueRows);
  foldProperty(fc.record({ value: arbitraryValue, clients: count, hierarchies }), clientsValueRows);
});
