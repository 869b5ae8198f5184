import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { bucketCountsOf, summarizeBuckets } from "../../../shared/aggregation/logBuckets";
import { binPosition, niceWidth, toHistogramBins } from "../../../web/dashboard/histogramBins";

/** The API's buckets of some values, as the distribution routes build them. */
const bucketsOf = (values: number[]) => summarizeBuckets(bucketCountsOf(values)).buckets;

describe("toHistogramBins", () => {
  test("niceWidth is the smallest 1, 2 or 5 times a power of ten that is at least the raw width", () => {
    const cases: [number, number][] = [[0.3, 0.5], [1, 1], [1.01, 2], [2.5, 5], [7, 10], [1234, 2000], [0.00042, 0.0005]];
    for (const [raw, nice] of cases) assert.equal(niceWidth(raw), nice, `niceWidth(${raw})`);
  });

  test("examples: round edges, empty bins kept between, zeros in the first bin", () => {
    assert.deepEqual(toHistogramBins([]), []);
    // A span too small to divide (the smallest double above 0) is one bin, not NaN edges.
    assert.deepEqual(toHistogramBins(bucketsOf([0, 5e-324])).map((b) => b.hierarchies), [2]);
    assert.deepEqual(toHistogramBins([{ lower: 50, upper: 51, hierarchies: 3 }]), [{ lower: 50, upper: 55, hierarchies: 3 }]);
    assert.deepEqual(
      toHistogramBins([
        { lower: 0, upper: 0, hierarchies: 2 },
        { lower: 12, upper: 12.2, hierarchies: 1 },
        { lower: 30, upper: 30.5, hierarchies: 4 },
      ]),
      [
        { lower: 0, upper: 2, hierarchies: 2 },
        ...[2, 4, 6, 8].map((lower) => ({ lower, upper: lower + 2, hierarchies: 0 })),
        { lower: 10, upper: 12, hierarchies: 0 },
        { lower: 12, upper: 14, hierarchies: 1 },
        ...[14, 16, 18, 20, 22, 24, 26, 28].map((lower) => ({ lower, upper: lower + 2, hierarchies: 0 })),
        { lower: 30, upper: 32, hierarchies: 4 },
      ],
    );
  });

  test("a bucket on a bin edge that float division puts one short (0.3 / 0.1 < 3) goes in the bin that starts there", () => {
    const bins = toHistogramBins([
      { lower: 0.1, upper: 0.101, hierarchies: 1 },
      { lower: 0.3, upper: 0.301, hierarchies: 1 },
      { lower: 2.1, upper: 2.12, hierarchies: 1 },
    ]);
    const at = bins.find((bin) => bin.lower === 0.3);
    assert.ok(at !== undefined, JSON.stringify(bins.map((b) => b.lower)));
    assert.equal(at.hierarchies, 1);
  });

  test("property: bins are contiguous, equal, few, and each holds exactly the buckets whose lower bound it covers", () => {
    const values = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 5_000_000 })), { minLength: 1, maxLength: 200 });
    fc.assert(
      fc.property(values, (numbers) => {
        const buckets = bucketsOf(numbers);
        const bins = toHistogramBins(buckets);
        assert.ok(bins.length >= 1 && bins.length <= 22, `${bins.length} bins`);
        const width = bins[0]!.upper - bins[0]!.lower;
        for (let i = 0; i < bins.length; i++) {
          const bin = bins[i]!;
          if (i > 0) assert.equal(bin.lower, bins[i - 1]!.upper, "contiguous");
          assert.ok(Math.abs(bin.upper - bin.lower - width) <= 1e-9 * width, "equal widths");
          const last = i === bins.length - 1;
          const held = buckets.filter((b) => b.lower >= bin.lower && (last || b.lower < bin.upper)).reduce((sum, b) => sum + b.hierarchies, 0);
          assert.equal(bin.hierarchies, held, `bin ${bin.lower}–${bin.upper}`);
        }
        assert.equal(bins.reduce((sum, b) => sum + b.hierarchies, 0), numbers.length);
      }),
    );
  });

  test("binPosition places a value across the bars, clamped to the chart", () => {
    const bins = [
      { lower: 10, upper: 20, hierarchies: 1 },
      { lower: 20, upper: 30, hierarchies: 1 },
    ];
    const cases: [number, number][] = [[10, 0], [15, 0.5], [25, 1.5], [30, 2], [5, 0], [99, 2]];
    for (const [value, position] of cases) assert.equal(binPosition(bins, value), position, `binPosition(${value})`);
    assert.equal(binPosition([], 3), 0);
  });
});
