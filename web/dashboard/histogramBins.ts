import type { DistributionBucket } from "./apiTypes";

/** A bar of a histogram as drawn: the hierarchies whose value v is `lower <= v < upper`. */
export interface HistogramBin {
  lower: number;
  upper: number;
  hierarchies: number;
}

/** About how many bars a histogram gets: the API's buckets are 2% wide, far too many to draw one each. */
const TARGET_BINS = 20;

/** 1, 2 or 5 times a power of ten, at least `raw`: bin edges a reader can take in at a glance. */
export function niceWidth(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * power >= raw) ?? 10;
  return step * power;
}

/** k × width without the float noise that would print as 0.30000000000000004. */
const edge = (k: number, width: number): number => Number((k * width).toPrecision(12));

/** The k with edge(k) <= value < edge(k + 1): the plain quotient can land one off at an edge (0.3 / 0.1 < 3). */
function edgeIndex(value: number, width: number): number {
  const k = Math.floor(value / width);
  if (edge(k + 1, width) <= value) return k + 1;
  return edge(k, width) > value ? k - 1 : k;
}

/**
 * The API's buckets merged into equal-width bins with round edges, each bucket placed by its
 * `lower` (the bucket is at most 2% wide, so it lies in that bin or spills a hair over);
 * empty bins in between are kept so the x axis stays linear. Hierarchies add up to the
 * buckets' total.
 */
export function toHistogramBins(buckets: readonly DistributionBucket[]): HistogramBin[] {
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (first === undefined || last === undefined) return [];
  const span = last.lower - first.lower;
  // A span too small for a power of ten to stay a normal double (or none at all) gets one bin.
  const raw = span / TARGET_BINS;
  const width = niceWidth(raw >= 1e-300 ? raw : Math.max(1, Math.abs(first.lower) / 10));
  const start = edgeIndex(first.lower, width);
  const count = edgeIndex(last.lower, width) - start + 1;
  const bins = Array.from({ length: count }, (_, i) => ({ lower: edge(start + i, width), upper: edge(start + i + 1, width), hierarchies: 0 }));
  for (const bucket of buckets) {
    const bin = bins[Math.min(count - 1, Math.max(0, edgeIndex(bucket.lower, width) - start))]!;
    bin.hierarchies += bucket.hierarchies;
  }
  return bins;
}

/** Where `value` falls across the bins, in bars from the first one's left edge (2.5 is the middle of the third). */
export function binPosition(bins: readonly HistogramBin[], value: number): number {
  const first = bins[0];
  if (first === undefined) return 0;
  const width = first.upper - first.lower;
  return Math.min(bins.length, Math.max(0, (value - first.lower) / width));
}
