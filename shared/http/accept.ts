/**
 * Just enough of HTTP content negotiation (RFC 9110 section 12.5.1) to choose between the
 * two forms the query routes have: JSON, the default, and CSV.
 */

/** One media range of an Accept header, with its weight. */
export interface MediaRange {
  /** Lower case; `*` for any. */
  type: string;
  subtype: string;
  /** 0 (not acceptable) to 1. */
  q: number;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** Splits on `separator` outside quoted strings, so that `a;x="1,2"` stays one element. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === "\\" && i + 1 < text.length) {
      current += c + text[++i]!;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === separator && !quoted) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/**
 * The media ranges of an Accept header. A range that does not parse, or whose weight does
 * not, is left out rather than failing the request: RFC 9110 lets a server ignore what it
 * cannot read, and a query should not fail over a header it could answer anyway.
 */
export function parseAccept(header: string | null | undefined): MediaRange[] {
  if (header === null || header === undefined) return [];
  const ranges: MediaRange[] = [];
  for (const element of splitOutsideQuotes(header, ",")) {
    const [range = "", ...params] = splitOutsideQuotes(element, ";");
    const [type = "", subtype = "", ...extra] = range.trim().toLowerCase().split("/");
    if (extra.length > 0 || !TOKEN.test(type) || !TOKEN.test(subtype) || (type === "*" && subtype !== "*")) continue;
    let q = 1;
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "q") continue;
      const value = param.slice(eq + 1).trim();
      q = QVALUE.test(value) ? Number(value) : NaN;
      break; // parameters after q are accept-extensions, not media type parameters
    }
    if (!Number.isNaN(q)) ranges.push({ type, subtype, q });
  }
  return ranges;
}

/** How well `ranges` accept a media type: the weight of the most specific range that matches it. */
export function acceptanceOf(ranges: readonly MediaRange[], mediaType: string): { q: number; specificity: number } {
  const [type, subtype] = mediaType.toLowerCase().split("/");
  let best = { q: 0, specificity: -1 };
  for (const range of ranges) {
    const specificity = range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === "*" ? 1 : range.type === "*" ? 0 : -1;
    // Equally specific ranges for one type (`text/csv;q=0.2, text/csv`): the kinder one counts.
    if (specificity > best.specificity || (specificity === best.specificity && specificity >= 0 && range.q > best.q)) best = { q: range.q, specificity };
  }
  return best.specificity < 0 ? { q: 0, specificity: -1 } : best;
}

/**
 * True when the client would rather have CSV than JSON: `text/csv` (or `text/*`) accepted
 * with a higher weight than `application/json`, or with the same weight but named more
 * specifically (`text/csv` next to a catch-all range asks for CSV). Everything else, a missing header
 * and one that accepts neither form included, gets JSON: the contract's default.
 */
export function prefersCsv(acceptHeader: string | null | undefined): boolean {
  const ranges = parseAccept(acceptHeader);
  const csv = acceptanceOf(ranges, "text/csv");
  const json = acceptanceOf(ranges, "application/json");
  if (csv.q <= 0) return false;
  return csv.q > json.q || (csv.q === json.q && csv.specificity > json.specificity);
}
