/** How many JSON values a text holds and how deeply they nest, as far as a scan went. */
export interface JsonShape {
  /** Every value (object, array, string, number, literal), member names counted as strings. */
  values: number;
  /** The deepest nesting of objects and arrays. */
  depth: number;
  /** Which bound the scan stopped at; the figures then count only as far as that. */
  over?: "values" | "depth";
}

export interface ScanJsonShapeOptions {
  maxValues: number;
  maxDepth: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Bytes that can follow a number's first byte: digits, `.`, `e`, `E`, `+`, `-`. */
function continuesNumber(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || byte === 0x2e || byte === 0x65 || byte === 0x45 || byte === 0x2b || byte === 0x2d;
}

/**
 * Counts the values and the nesting of UTF-8 JSON bytes without parsing them, and stops as
 * soon as either passes its bound: what JSON.parse would allocate for the text, known before
 * a byte of it is allocated. Strings are skipped whole, escapes respected; bytes of a
 * multi-byte UTF-8 sequence are all >= 0x80, so a `"` or `\` byte is always that character.
 *
 * For valid JSON the figures are exact. For malformed JSON they are whatever the bytes look
 * like; that is enough, because JSON.parse stops at the first error and so never builds more
 * than the values before it, which the scan has counted.
 */
export function scanJsonShape(bytes: Uint8Array, options: ScanJsonShapeOptions): JsonShape {
  const { maxValues, maxDepth } = options;
  const length = bytes.length;
  let values = 0;
  let depth = 0;
  let deepest = 0;
  let i = 0;
  while (i < length) {
    const byte = bytes[i]!;
    if (byte === QUOTE) {
      values += 1;
      i += 1;
      while (i < length) {
        const inner = bytes[i]!;
        if (inner === QUOTE) break;
        i += inner === BACKSLASH ? 2 : 1;
      }
      i += 1;
    } else if (byte === 0x7b || byte === 0x5b) {
      // `{` or `[`
      values += 1;
      depth += 1;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > maxDepth) return { values, depth: deepest, over: "depth" };
      }
      i += 1;
    } else if (byte === 0x7d || byte === 0x5d) {
      // `}` or `]`
      depth -= 1;
      i += 1;
    } else if (byte === 0x2d || (byte >= 0x30 && byte <= 0x39)) {
      values += 1;
      i += 1;
      while (i < length && continuesNumber(bytes[i]!)) i += 1;
    } else if (byte >= 0x61 && byte <= 0x7a) {
      // true, false, null (any run of lowercase letters counts once)
      values += 1;
      i += 1;
      while (i < length && bytes[i]! >= 0x61 && bytes[i]! <= 0x7a) i += 1;
    } else {
      // white space, `,`, `:`, and anything JSON.parse will refuse
      i += 1;
      continue;
    }
    if (values > maxValues) return { values, depth: deepest, over: "values" };
  }
  return { values, depth: deepest };
}
