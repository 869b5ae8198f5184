import { limits } from "../config";
import { parseCostOf } from "./parseJsonBody";
import { splitLines } from "./splitLines";

/**
 * How many of a batch's lines are reserved for: the costliest RESERVED_LINES. Lines in flight
 * together never cost more than that (submitBatchLines.ts), so their parsed values stay
 * within the reservation, however many lines run at once.
 */
const RESERVED_LINES = 8;

/** The most values a line of `byteLength` bytes can hold and still be parsed. */
function valuesBoundOf(byteLength: number): number {
  // Every value takes at least two bytes with the `,` or `:` or bracket that ends it, but
  // for the last number in each container, which shares its container's brackets.
  return Math.min(limits.maxJsonValues, Math.ceil(byteLength / 2) + 1);
}

/** What parsing one line can cost at most: 0 for a line over the document limit, which is refused as it is, unparsed. */
export function lineParseCost(bytes: Buffer): number {
  return bytes.length > limits.maxDocumentBytes ? 0 : parseCostOf(bytes.length, valuesBoundOf(bytes.length));
}

/** The sum of the RESERVED_LINES largest of the lines' costs. */
export function reservedParseCost(costs: readonly number[]): number {
  return [...costs].sort((a, b) => b - a).slice(0, RESERVED_LINES).reduce((sum, cost) => sum + cost, 0);
}

/**
 * What parsing a batch's lines can cost at most while it is judged, from the lines' sizes
 * alone: the worst RESERVED_LINES of them, each at the most values it can hold. The batch
 * route reserves it before any line is judged, because once a line is stored only storage
 * being unavailable may fail the batch (contract section 2).
 *
 * @param body - the decoded NDJSON body
 * @returns bytes to reserve; 0 when no line will be parsed
 */
export function batchParseCost(body: Buffer): number {
  const lines = splitLines(body);
  // A batch over the line limit is refused (413) before any line is parsed.
  if (lines.length > limits.maxBatchLines) return 0;
  return reservedParseCost(lines.map(({ bytes }) => lineParseCost(bytes)));
}
