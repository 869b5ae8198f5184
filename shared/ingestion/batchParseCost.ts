import { limits } from "../config";
import { parseCostOf } from "./parseJsonBody";
import { LINE_CONCURRENCY, splitLines } from "./submitBatchLines";

/**
 * Only LINE_CONCURRENCY lines of a batch are parsed at once, so only that many lines'
 * parsed values are alive together and need memory reserved.
 */
const LINES_IN_FLIGHT = LINE_CONCURRENCY;

/** The most values a line of `byteLength` bytes can hold and still be parsed. */
function valuesBoundOf(byteLength: number): number {
  // Every value takes at least two bytes with the `,` or `:` or bracket that ends it, but
  // for the last number in each container, which shares its container's brackets.
  return Math.min(limits.maxJsonValues, Math.ceil(byteLength / 2) + 1);
}

/**
 * What parsing a batch's lines can cost at most while it is judged, from the lines' sizes
 * alone: the worst `LINES_IN_FLIGHT` of them, each at the most values it can hold. The batch
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
  const costs = lines
    // A line over the document limit is refused as it is, unparsed.
    .filter(({ bytes }) => bytes.length <= limits.maxDocumentBytes)
    .map(({ bytes }) => parseCostOf(bytes.length, valuesBoundOf(bytes.length)))
    .sort((a, b) => b - a);
  return costs.slice(0, LINES_IN_FLIGHT).reduce((sum, cost) => sum + cost, 0);
}
