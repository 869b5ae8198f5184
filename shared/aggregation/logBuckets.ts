/**
 * Fixed logarithmic buckets for the distribution dimensions (contract section 4.1): a week
 * keeps, per distribution, how many snapshots fall in each bucket. Counts are integers, so
 * adding and taking out a snapshot is exact and the figures never depend on arrival order;
 * min, max and the percentiles come from the buckets, within 1% of the exact values.
 *
 * A bucket is named by an integer index, ordered as the values are:
 * - a positive normal double v lies in octave e = floor(log2 v); each octave [2^e, 2^(e+1))
 *   is split at 2^(e + j/36), j = 0..35, and index = 36·e + j (from -36,792 to 36,827);
 * - zero and the subnormal doubles (below 2^-1022, where a double has too few bits to split
 *   an octave; the schema's percentages and runtimes allow them) are k·2^-1074 with k an
 *   integer below 2^52; each is a bucket of its own, [v, v], with index EXACT_BASE + k.
 *   Zero is k = 0: the contract's bucket `[0, 0]`.
 * Every index is a safe integer. Exponent and sub-bucket are read from the double's bits and
 * compared against fixed constants, never computed with `Math.log`, so a value on a boundary,
 * 0.1 or 100 always lands in the one bucket whose bounds hold it, on every machine.
 */

/**
 * Buckets per octave: the fewest whose width stays within the contract's `upper <= 1.02 ×
 * lower`. 2^(1/36) ≈ 1.019441; 35 would give 2^(1/35) ≈ 1.020002, just over.
 */
const BUCKETS_PER_OCTAVE = 36;

/**
 * 2^(j/36) for j = 0..35, each the double nearest the exact value (worked out once with
 * 60-digit decimal arithmetic). Written out, not computed with `2 ** (j / 36)`: that result's
 * last bit differs between JavaScript engines and versions (Node 20 gives 1.2358944659292894
 * for j = 11, the nearest double is …892), and counts one process stores are added to and
 * taken from by others, so every process must draw exactly the same bounds. Never change
 * them: stored counts are keyed by the buckets they draw.
 */
const OCTAVE_STEPS: readonly number[] = Object.freeze([
  1.0, 1.0194406437021448, 1.0392592260318434, 1.0594630943592953, 1.080059738892306, 1.1010567954531432, 1.122462048309373,
  1.1442834330597351, 1.1665290395761165, 1.189207115002721, 1.2123260668135445, 1.2358944659292892, 1.2599210498948732,
  1.2844147261187115, 1.3093845751749735, 1.3348398541700344, 1.360790000174377, 1.3872446337212085, 1.4142135623730951,
  1.4417067843579314, 1.4697344922755988, 1.4983070768766815, 1.5274351309146432, 1.5571294530728936, 1.5874010519681996,
  1.618261150231923, 1.649721188670605, 1.681792830507429, 1.7144879657061456, 1.7478187153790539, 1.7817974362806785,
  1.8164367253888063, 1.851749424574581, 1.887748625363387, 1.9244476737882903, 1.96186017533783,
]);

/**
 * The value a bucket stands for: the geometric middle sqrt(lower · upper) of its octave step.
 * Why the error is under 1%: for any v in [L, U), L ≤ v < U, the middle M = sqrt(L·U) gives
 * M / v ≤ sqrt(U / L) and M / v > sqrt(L / U), so |M − v| / v < sqrt(U / L) − 1 ≤ 2^(1/72) − 1
 * ≈ 0.967%. sqrt and × are correctly rounded in IEEE 754, which adds about 1e-16 to that: the
 * margin to 1% is 0.03%. Never stored, so computing these at load is safe.
 */
const OCTAVE_MIDDLES: readonly number[] = Object.freeze(
  OCTAVE_STEPS.map((step, j) => Math.sqrt(step * (OCTAVE_STEPS[j + 1] ?? 2))),
);

const MIN_NORMAL_EXPONENT = -1022;
/**
 * The last octave with buckets: octave 1023's top bucket would end at 2^1024, which is
 * Infinity, so values from 2^1023 on have none.
 */
const MAX_EXPONENT = 1022;

/** The index of zero (k = 0); the subnormals follow it, up to FIRST_NORMAL_INDEX − 1. */
const EXACT_BASE = MIN_NORMAL_EXPONENT * BUCKETS_PER_OCTAVE - 2 ** 52;
const FIRST_NORMAL_INDEX = MIN_NORMAL_EXPONENT * BUCKETS_PER_OCTAVE;
const LAST_INDEX = MAX_EXPONENT * BUCKETS_PER_OCTAVE + BUCKETS_PER_OCTAVE - 1;

/** The smallest value with no bucket: 2^1023 (about 9e307). No field of the schema comes near (its largest is 1e12). */
export const BUCKETED_LIMIT = 2 ** 1023;

/** A bucket's bounds: it holds the values v with lower ≤ v < upper, or exactly v = lower when lower = upper. */
export interface BucketBounds {
  lower: number;
  upper: number;
}

/** A bucket as the distribution route lists it. */
export interface DistributionBucket extends BucketBounds {
  hierarchies: number;
}

/** Counts per bucket index; only buckets that hold something are in it. */
export type BucketCounts = Map<number, number>;

/**
 * Figures read from bucket counts; all null when the counts are empty. The percentiles are
 * nearest rank (the value at rank ⌈p·n⌉), each the representative of the bucket that holds
 * that value.
 */
export interface BucketSummary {
  hierarchies: number;
  min: number | null;
  max: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  /** The non-empty buckets, ascending. */
  buckets: DistributionBucket[];
}

const scratch = new DataView(new ArrayBuffer(8));

/** 2^e as a double built from its bits, exact for every normal exponent. */
function powerOfTwo(e: number): number {
  scratch.setUint32(0, (e + 1023) << 20);
  scratch.setUint32(4, 0);
  return scratch.getFloat64(0);
}

/** The largest j with OCTAVE_STEPS[j] ≤ m, for m in [1, 2). */
function stepOf(m: number): number {
  let low = 0;
  let high = BUCKETS_PER_OCTAVE - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (OCTAVE_STEPS[middle]! <= m) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * The index of the bucket that holds `value`.
 *
 * @throws RangeError for a value that is not a number ≥ 0 below BUCKETED_LIMIT; the
 * distribution readers of shared/aggregation/dimensions.ts only give such numbers.
 */
export function bucketIndexOf(value: number): number {
  if (!(value >= 0 && value < BUCKETED_LIMIT)) throw new RangeError(`No bucket holds ${value}: values are from 0 up to but excluding 2^1023`);
  scratch.setFloat64(0, value);
  const high = scratch.getUint32(0);
  // The mask drops the sign bit, which -0 (the one "negative" value allowed) has.
  const biasedExponent = (high >>> 20) & 0x7ff;
  // Zero and the subnormals: the mantissa bits are k itself.
  if (biasedExponent === 0) return EXACT_BASE + (high & 0xfffff) * 2 ** 32 + scratch.getUint32(4);
  // Same mantissa, exponent 0: exactly value / 2^e, in [1, 2).
  scratch.setUint32(0, (high & 0xfffff) | (1023 << 20));
  const mantissa = scratch.getFloat64(0);
  return (biasedExponent - 1023) * BUCKETS_PER_OCTAVE + stepOf(mantissa);
}

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < EXACT_BASE || index > LAST_INDEX) throw new RangeError(`${index} is not a bucket index`);
}

/**
 * The bounds of a bucket: `upper` at most 1.02 × `lower` (2^(1/36) for the octave buckets,
 * `lower` itself for zero and the subnormals). Products by 2^e are exact, so the bounds
 * are exactly those bucketIndexOf compares against.
 *
 * @throws RangeError for an integer no bucket has.
 */
export function bucketBoundsOf(index: number): BucketBounds {
  checkIndex(index);
  if (index < FIRST_NORMAL_INDEX) {
    // k · 2^-1074 is a double for every k below 2^52, so the product is exact.
    const value = (index - EXACT_BASE) * Number.MIN_VALUE;
    return { lower: value, upper: value };
  }
  const exponent = Math.floor(index / BUCKETS_PER_OCTAVE);
  const step = index - exponent * BUCKETS_PER_OCTAVE;
  const scale = powerOfTwo(exponent);
  return { lower: OCTAVE_STEPS[step]! * scale, upper: (OCTAVE_STEPS[step + 1] ?? 2) * scale };
}

/** The value a bucket stands for in min, max and the percentiles: within 1% of any value it holds, exactly that value for [v, v]. */
export function bucketRepresentativeOf(index: number): number {
  checkIndex(index);
  if (index < FIRST_NORMAL_INDEX) return (index - EXACT_BASE) * Number.MIN_VALUE;
  const exponent = Math.floor(index / BUCKETS_PER_OCTAVE);
  return OCTAVE_MIDDLES[index - exponent * BUCKETS_PER_OCTAVE]! * powerOfTwo(exponent);
}

/**
 * Adds `delta` (an integer, negative to take out) to a bucket's count, in place; a count
 * that reaches 0 is dropped, so equal histories give equal maps.
 *
 * @throws RangeError for a delta that is not a safe integer (counts must stay exact).
 */
export function addToBucket(counts: BucketCounts, index: number, delta: number): void {
  if (!Number.isSafeInteger(delta)) throw new RangeError(`A bucket count changes by whole numbers, not ${delta}`);
  const count = (counts.get(index) ?? 0) + delta;
  if (count === 0) counts.delete(index);
  else counts.set(index, count);
}

/** The counts of several values: each value's bucket counted once per occurrence. */
export function bucketCountsOf(values: Iterable<number>): BucketCounts {
  const counts: BucketCounts = new Map();
  for (const value of values) addToBucket(counts, bucketIndexOf(value), 1);
  return counts;
}

/** Percentiles the contract reports, as whole percents so that ranks are integer arithmetic. */
const PERCENTS = Object.freeze({ p50: 50, p90: 90, p99: 99 });

/**
 * The nearest rank ⌈percent/100 · n⌉ for n ≥ 1, exactly: percent·n is an exact integer, and
 * when it is not a multiple of 100 its quotient lies at least 0.01 from any integer, far more
 * than the division's rounding error for any n below 2^40 (a week has at most millions).
 */
function nearestRank(percent: number, n: number): number {
  return Math.max(1, Math.ceil((percent * n) / 100));
}

/**
 * min, max, p50, p90 and p99 and the non-empty buckets from bucket counts. Counts of 0 or
 * less (only a damaged row could hold them) are left out rather than shown.
 */
export function summarizeBuckets(counts: ReadonlyMap<number, number>): BucketSummary {
  const indices = [...counts.entries()].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const buckets = indices.map(([index, hierarchies]) => ({ ...bucketBoundsOf(index), hierarchies }));
  const n = indices.reduce((sum, [, count]) => sum + count, 0);
  const first = indices[0];
  const last = indices[indices.length - 1];
  if (first === undefined || last === undefined) return { hierarchies: 0, min: null, max: null, p50: null, p90: null, p99: null, buckets };
  const percentile = (percent: number): number => {
    const rank = nearestRank(percent, n);
    let seen = 0;
    for (const [index, count] of indices) {
      seen += count;
      if (seen >= rank) return bucketRepresentativeOf(index);
    }
    // Not reached: rank ≤ n, the sum of the counts.
    return bucketRepresentativeOf(last[0]);
  };
  return {
    hierarchies: n,
    min: bucketRepresentativeOf(first[0]),
    max: bucketRepresentativeOf(last[0]),
    p50: percentile(PERCENTS.p50),
    p90: percentile(PERCENTS.p90),
    p99: percentile(PERCENTS.p99),
    buckets,
  };
}
