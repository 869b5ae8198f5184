import { limits } from "../config";
import { ValidationError } from "../errors";
import type { MemoryLease } from "../http/memoryBudget";
import { scanJsonShape } from "./scanJsonShape";

// fatal: true makes any invalid UTF-8 sequence an error instead of a silent U+FFFD.
const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Bytes a parsed value costs for each JSON value in it, beyond its strings' characters.
 * Measured with process.memoryUsage().heapUsed around JSON.parse of 8 MiB texts between
 * full collections (Node 20; `npm run bench` stage h weighs them again): 66.5 B a value for
 * `[{"k0":1.5},{"k1":1.5},…]` (every object its own hidden class), 64 for `[{},{},…]`, 59
 * for `{"k0":{},"k1":{},…}`, 56 for `[[[…]]]`, 47.5 for `{"k0":0,"k1":0,…}`, 8 for
 * `[0,0,…]`. About twice the worst, for shapes nobody tried.
 */
export const PARSED_BYTES_PER_VALUE = 128;

/**
 * Bytes a body costs for each of its bytes while its request runs. What stays alive: the
 * decoded text (2: V8 stores a string as UTF-16 once one character is past U+00FF), the
 * strings of the parsed value (2 again), and the JSON written back from it, for the
 * rejected-document store or as the canonical form of an accepted one (2), with its UTF-8
 * (1); and JSON.stringify's transient buffers on top. Measured as peak RSS (VmHWM) over
 * decode, parse, validate, stringify and UTF-8 of one 8 MiB body: 11.4 B/B for one long
 * string with a character past U+00FF, 10.5 for 40,000 such strings, 5.1 for ASCII.
 */
export const PARSED_BYTES_PER_BYTE = 11;

/**
 * What parsing `byteLength` bytes of JSON holding `values` values costs in memory until the
 * request is answered: the figure the memory budget reserves for it, an upper bound.
 */
export function parseCostOf(byteLength: number, values: number): number {
  return byteLength * PARSED_BYTES_PER_BYTE + values * PARSED_BYTES_PER_VALUE;
}

export interface ParseJsonBodyOptions {
  /**
   * The request's lease on the instance's memory budget: the parse's cost is reserved from it
   * before a byte is decoded. Absent where the caller has reserved already (a batch's lines).
   */
  memory?: MemoryLease;
}

function notParsed(message: string): ValidationError {
  return new ValidationError("The body cannot be a usage document and was not parsed", [{ path: "", message }]);
}

/**
 * Decodes strict UTF-8 (a leading BOM is dropped) and parses JSON; failures are 400s. A body
 * with more values or deeper nesting than any usage document can have is refused before it
 * is parsed, so that a few kilobytes of gzip cannot make the parser build a huge tree.
 */
export function parseJsonBody(bytes: Uint8Array, options: ParseJsonBodyOptions = {}): unknown {
  const shape = scanJsonShape(bytes, { maxValues: limits.maxJsonValues, maxDepth: limits.maxJsonDepth });
  if (shape.over === "values") throw notParsed(`more than ${limits.maxJsonValues} JSON values`);
  if (shape.over === "depth") throw notParsed(`nested more than ${limits.maxJsonDepth} levels deep`);
  options.memory?.reserve(parseCostOf(bytes.length, shape.values));
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ValidationError("The body is not valid UTF-8", [{ path: "", message: "invalid UTF-8" }]);
  }
  return parseJsonText(text);
}

/** Parses JSON text; a syntax error becomes a 400 that says where. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : "unparseable";
    throw new ValidationError("The body is not valid JSON", [{ path: "", message: `malformed JSON: ${reason}` }]);
  }
}
