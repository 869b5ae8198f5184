/**
 * Exact sums of the distribution dimensions' values. A floating-point sum kept by adding and
 * subtracting snapshots as they come and go depends on the order (0.1 + 0.2 - 0.1 is not 0.2),
 * so two histories that end in the same snapshots could report different sums, and a sum
 * could drift from what a recomputation gives. Every double is a whole multiple of 2^-1074,
 * so a sum is kept as that whole number, a BigInt of "units": adding and taking out is then
 * integer arithmetic, exact in any order, and the double is worked out only when read.
 */

/** A sum in units of 2^-1074. */
export type ExactSum = bigint;

const UNIT_EXPONENT = -1074;
const scratch = new DataView(new ArrayBuffer(8));

/**
 * The units of a finite value ≥ 0 (what the distribution readers give), exactly.
 *
 * @throws RangeError for a negative or non-finite value.
 */
export function unitsOf(value: number): ExactSum {
  if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`an exact sum holds finite values ≥ 0, not ${value}`);
  scratch.setFloat64(0, value);
  const high = scratch.getUint32(0);
  const biasedExponent = (high >>> 20) & 0x7ff;
  const mantissa = (BigInt(high & 0xfffff) << 32n) | BigInt(scratch.getUint32(4));
  // A subnormal is mantissa × 2^-1074; a normal (2^52 + mantissa) × 2^(e - 1075).
  if (biasedExponent === 0) return mantissa;
  return (mantissa | (1n << 52n)) << BigInt(biasedExponent - 1);
}

/** The double nearest a sum (to floating-point rounding). */
export function numberOf(sum: ExactSum): number {
  if (sum === 0n) return 0;
  const negative = sum < 0n;
  const magnitude = negative ? -sum : sum;
  // Keep the top 64 bits: more than a double holds, so the one rounding left is the double's own.
  const shift = Math.max(0, magnitude.toString(2).length - 64);
  const top = Number(magnitude >> BigInt(shift));
  // A power of two down to 2^-1074 is exact, and so is a product by it that stays normal.
  const value = top * 2 ** (shift + UNIT_EXPONENT);
  return negative ? -value : value;
}

/**
 * The text a sum is stored as: `<hex>p<exponent>`, the value hex × 2^exponent, with trailing
 * zero bits moved into the exponent so that whole numbers stay short (`3e8p0` is 1000).
 */
export function exactSumText(sum: ExactSum): string {
  if (sum === 0n) return "0p0";
  const negative = sum < 0n;
  let magnitude = negative ? -sum : sum;
  let exponent = UNIT_EXPONENT;
  while ((magnitude & 0xffffn) === 0n) {
    magnitude >>= 16n;
    exponent += 16;
  }
  while ((magnitude & 1n) === 0n) {
    magnitude >>= 1n;
    exponent += 1;
  }
  return `${negative ? "-" : ""}${magnitude.toString(16)}p${exponent}`;
}

/** A sum from its stored text; 0 for text that is not one (only a damaged row holds such). */
export function exactSumFromText(text: unknown): ExactSum {
  const match = typeof text === "string" ? /^(-?)([0-9a-f]+)p(-?\d+)$/.exec(text) : null;
  if (match === null) return 0n;
  const shift = Number(match[3]) - UNIT_EXPONENT;
  if (!(shift >= 0)) return 0n;
  const magnitude = BigInt(`0x${match[2]}`) << BigInt(shift);
  return match[1] === "-" ? -magnitude : magnitude;
}
