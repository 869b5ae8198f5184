import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  addToBucket,
  BUCKETED_LIMIT,
  bucketBoundsOf,
  bucketCountsOf,
  bucketIndexOf,
  bucketRepresentativeOf,
  summarizeBuckets,
  type BucketCounts,
} from "../../../shared/aggregation/logBuckets";

const view = new DataView(new ArrayBuffer(8));

/** The double next to `value` towards zero (value > 0), by its bits. */
function previousDouble(value: number): number {
  view.setFloat64(0, value);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

/** The bucket holds the value: lower ≤ v < upper, or v = lower = upper for a bucket of one value. */
function holds(index: number, value: number): boolean {
  const { lower, upper } = bucketBoundsOf(index);
  return lower === upper ? value === lower : lower <= value && value < upper;
}

function assertBucketFor(value: number): void {
  const index = bucketIndexOf(value);
  const { lower, upper } = bucketBoundsOf(index);
  assert.ok(holds(index, value), `${value} in [${lower}, ${upper})`);
  assert.ok(upper <= 1.02 * lower, `${value}: [${lower}, ${upper}) wider than 2%`);
  // The same bucket every time, and for the value as JSON gives it back.
  assert.equal(bucketIndexOf(value), index);
  assert.equal(bucketIndexOf(JSON.parse(JSON.stringify(value)) as number), index);
}

const edgeValues: [string, number][] = [
  ["zero", 0],
  ["negative zero", -0],
  ["the smallest positive double", Number.MIN_VALUE],
  ["twice it", 2 * Number.MIN_VALUE],
  ["the largest subnormal", 2 ** -1022 - Number.MIN_VALUE],
  ["the smallest normal", 2 ** -1022],
  ["0.1", 0.1],
  ["0.2", 0.2],
  ["0.1 + 0.2", 0.1 + 0.2],
  ["just below 1", 1 - Number.EPSILON / 2],
  ["1", 1],
  ["a step boundary, 2^(1/36)", 1.0194406437021448],
  ["just below it", previousDouble(1.0194406437021448)],
  ["the last step of an octave", 1.96186017533783],
  ["just below 2", 2 - Number.EPSILON],
  ["2", 2],
  ["a percentage's largest below 100", 99.99999999999999],
  ["100", 100],
  ["the longest runtime, 604,800", 604_800],
  ["a whole count, 1e9", 1e9],
  ["the largest database, 1e12", 1e12],
  ["the largest percentage of clients, 1e11", 1e11],
  ["just below the limit", previousDouble(BUCKETED_LIMIT)],
];

test("edge values land in a bucket that holds them, at most 2% wide, always the same", () => {
  for (const [label, value] of edgeValues) {
    try {
      assertBucketFor(value);
    } catch (error) {
      assert.fail(`${label}: ${String(error)}`);
    }
  }
});

test("zero is the bucket [0, 0], subnormals buckets of one value, 1 starts a bucket", () => {
  assert.deepEqual(bucketBoundsOf(bucketIndexOf(0)), { lower: 0, upper: 0 });
  assert.equal(bucketIndexOf(-0), bucketIndexOf(0));
  assert.deepEqual(bucketBoundsOf(bucketIndexOf(Number.MIN_VALUE)), { lower: Number.MIN_VALUE, upper: Number.MIN_VALUE });
  assert.deepEqual(bucketBoundsOf(bucketIndexOf(1)), { lower: 1, upper: 1.0194406437021448 });
  assert.equal(bucketRepresentativeOf(bucketIndexOf(0)), 0);
  assert.equal(bucketRepresentativeOf(bucketIndexOf(Number.MIN_VALUE)), Number.MIN_VALUE);
});

test("the steps of an octave are 2^(j/36) correctly rounded, so every engine draws the same bounds", () => {
  // r = M / 2^52 is the nearest double to 2^(j/36) when |r − 2^(j/36)| < 2^-53, that is
  // (2M − 1)^36 < 2^(j + 53·36) < (2M + 1)^36: exact in BigInt.
  for (let j = 0; j < 36; j++) {
    const { lower } = bucketBoundsOf(j);
    const twiceM = 2n * BigInt(lower * 2 ** 52);
    const target = 2n ** BigInt(j + 53 * 36);
    assert.ok((twiceM - 1n) ** 36n < target && target < (twiceM + 1n) ** 36n, `step ${j}: ${lower}`);
  }
});

test("bucket indices are pinned: stored counts are keyed by them", () => {
  const pinned: [number, number][] = [
    [0, -4503599627407288],
    [Number.MIN_VALUE, -4503599627407287],
    [2 ** -1022, -36792],
    [0.1, -120],
    [0.5, -36],
    [1, 0],
    [1.0194406437021448, 1],
    [1.5, 21],
    [2, 36],
    [100, 239],
    [604_800, 691],
    [1e12, 1435],
  ];
  for (const [value, index] of pinned) assert.equal(bucketIndexOf(value), index, String(value));
});

test("every bucket boundary of every octave: the boundary opens its bucket, the double below it is in the one before", () => {
  let previousUpper: number | undefined;
  const first = bucketIndexOf(2 ** -1022);
  const last = bucketIndexOf(previousDouble(BUCKETED_LIMIT));
  for (let index = first; index <= last; index++) {
    const { lower, upper } = bucketBoundsOf(index);
    if (previousUpper !== undefined) assert.equal(lower, previousUpper, `bucket ${index} starts where the one before ends`);
    previousUpper = upper;
    assert.ok(lower < upper && upper <= 1.02 * lower, `bucket ${index}: [${lower}, ${upper})`);
    assert.equal(bucketIndexOf(lower), index, `${lower}`);
    assert.equal(bucketIndexOf(previousDouble(upper)), index, `${previousDouble(upper)}`);
    if (index > first) assert.equal(bucketIndexOf(previousDouble(lower)), index - 1, `${previousDouble(lower)}`);
    const middle = bucketRepresentativeOf(index);
    assert.ok(lower < middle && middle < upper, `the representative of ${index} is inside it`);
  }
  assert.equal(bucketIndexOf(previousDouble(2 ** -1022)) < first, true, "the largest subnormal is below the first octave");
});

test("no bucket for negative, non-finite or too large values, nor for an index no bucket has", () => {
  for (const value of [-Number.MIN_VALUE, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, BUCKETED_LIMIT, Number.MAX_VALUE]) {
    assert.throws(() => bucketIndexOf(value), RangeError, String(value));
  }
  const lowest = bucketIndexOf(0);
  const highest = bucketIndexOf(previousDouble(BUCKETED_LIMIT));
  for (const index of [lowest - 1, highest + 1, 0.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
    assert.throws(() => bucketBoundsOf(index), RangeError, String(index));
    assert.throws(() => bucketRepresentativeOf(index), RangeError, String(index));
  }
  assert.doesNotThrow(() => bucketBoundsOf(lowest));
  assert.doesNotThrow(() => bucketBoundsOf(highest));
  assert.ok(Number.isSafeInteger(lowest) && Number.isSafeInteger(highest));
});

test("counts add and take out in whole steps; a count that reaches 0 is dropped", () => {
  const counts: BucketCounts = new Map();
  addToBucket(counts, 5, 2);
  addToBucket(counts, 5, -1);
  assert.deepEqual(counts, new Map([[5, 1]]));
  addToBucket(counts, 5, -1);
  assert.deepEqual(counts, new Map());
  for (const delta of [0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) assert.throws(() => addToBucket(counts, 5, delta), RangeError, String(delta));
});

test("no values: nothing to report", () => {
  assert.deepEqual(summarizeBuckets(new Map()), { hierarchies: 0, min: null, max: null, p50: null, p90: null, p99: null, buckets: [] });
  // Only a damaged row holds counts of 0 or less: they are left out, not shown.
  assert.deepEqual(summarizeBuckets(new Map([[bucketIndexOf(3), -1], [bucketIndexOf(5), 0]])).hierarchies, 0);
});

test("nearest rank at small n, table-driven", () => {
  const cases: { values: number[]; p50: number; p90: number; p99: number }[] = [
    { values: [7], p50: 7, p90: 7, p99: 7 },
    { values: [1, 2], p50: 1, p90: 2, p99: 2 },
    { values: [0, 0, 5], p50: 0, p90: 5, p99: 5 },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p50: 5, p90: 9, p99: 10 },
    { values: Array.from({ length: 100 }, (_, i) => i + 1), p50: 50, p90: 90, p99: 99 },
  ];
  for (const { values, ...exact } of cases) {
    const summary = summarizeBuckets(bucketCountsOf(values));
    for (const key of ["p50", "p90", "p99"] as const) {
      const estimate = summary[key]!;
      assert.ok(Math.abs(estimate - exact[key]) <= 0.01 * exact[key], `${key} of ${values.length} values: ${estimate} for ${exact[key]}`);
    }
  }
});

/** The exact nearest-rank percentile: the value at rank ⌈p·n⌉ of the sorted values. */
function exactPercentile(sorted: readonly number[], percent: number): number {
  return sorted[Math.max(1, Math.ceil((percent * sorted.length) / 100)) - 1]!;
}

function assertWithinOnePercent(label: string, estimate: number | null, exact: number): void {
  assert.notEqual(estimate, null, label);
  if (exact === 0) assert.equal(estimate, 0, `${label}: exactly 0`);
  else assert.ok(Math.abs(estimate! - exact) <= 0.01 * exact, `${label}: ${estimate} for ${exact}`);
}

const positive = (max: number) => fc.double({ min: Number.MIN_VALUE, max, noNaN: true });
/** Values as the readers give them, some heavy-tailed, with zeros, duplicates and edge values mixed in. */
const arbitraryValue: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.constantFrom(...edgeValues.map(([, value]) => value)),
  fc.integer({ min: 0, max: 1_000_000_000 }),
  fc.double({ min: 0, max: 100, noNaN: true }),
  // Pareto-like: 1/u^3 spreads over dozens of orders of magnitude.
  positive(1).map((u) => Math.min(u ** -3, previousDouble(BUCKETED_LIMIT))),
  fc.integer({ min: -320, max: 300 }).map((exponent) => 10 ** exponent),
);
const arbitraryMultiset: fc.Arbitrary<number[]> = fc.oneof(
  fc.array(arbitraryValue, { minLength: 1, maxLength: 300 }),
  // Few distinct values, many times each.
  fc.tuple(fc.array(arbitraryValue, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 400 })).map(([pool, picks]) => picks.map((pick) => pool[pick % pool.length]!)),
  arbitraryValue.map((value) => [value]),
);

test("property: min, max and percentiles within 1% of the exact nearest-rank values; buckets hold every value and add up", () => {
  fc.assert(
    fc.property(arbitraryMultiset, (values) => {
      const summary = summarizeBuckets(bucketCountsOf(values));
      const sorted = [...values].sort((a, b) => a - b);
      assert.equal(summary.hierarchies, values.length);
      assertWithinOnePercent("min", summary.min, sorted[0]!);
      assertWithinOnePercent("max", summary.max, sorted[sorted.length - 1]!);
      assertWithinOnePercent("p50", summary.p50, exactPercentile(sorted, 50));
      assertWithinOnePercent("p90", summary.p90, exactPercentile(sorted, 90));
      assertWithinOnePercent("p99", summary.p99, exactPercentile(sorted, 99));
      assert.equal(summary.buckets.reduce((sum, bucket) => sum + bucket.hierarchies, 0), values.length);
      for (let i = 1; i < summary.buckets.length; i++) assert.ok(summary.buckets[i - 1]!.upper <= summary.buckets[i]!.lower, "ascending, apart");
      for (const bucket of summary.buckets) assert.ok(bucket.upper <= 1.02 * bucket.lower);
      for (const value of values) {
        const holding = summary.buckets.filter((b) => (b.lower === b.upper ? value === b.lower : b.lower <= value && value < b.upper));
        assert.equal(holding.length, 1, `exactly one bucket holds ${value}`);
      }
    }),
    { numRuns: 500 },
  );
});

test("property: adding and taking out values in any order, even out before in, leaves exactly the counts of what stays", () => {
  const arbitraryHistory = fc
    .tuple(arbitraryMultiset, arbitraryMultiset)
    .chain(([kept, replaced]) => {
      const steps = [...kept.map((value) => ({ value, delta: 1 })), ...replaced.flatMap((value) => [{ value, delta: 1 }, { value, delta: -1 }])];
      return fc.tuple(fc.constant(kept), fc.shuffledSubarray(steps, { minLength: steps.length, maxLength: steps.length }));
    });
  fc.assert(
    fc.property(arbitraryHistory, ([kept, steps]) => {
      const counts: BucketCounts = new Map();
      for (const { value, delta } of steps) addToBucket(counts, bucketIndexOf(value), delta);
      assert.deepEqual(counts, bucketCountsOf(kept));
    }),
    { numRuns: 200 },
  );
});

test("property: bucket indices are ordered as the values are", () => {
  fc.assert(
    fc.property(arbitraryValue, arbitraryValue, (a, b) => {
      if (a < b) assert.ok(bucketIndexOf(a) <= bucketIndexOf(b), `${a} < ${b}`);
    }),
    { numRuns: 2000 },
  );
});
