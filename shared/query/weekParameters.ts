import { InvalidParameterError } from "../errors";
import { parseIsoWeek, type IsoWeek } from "../isoWeek";

/** The query string as the handlers see it: URLSearchParams, or anything that reads the same. */
export interface QueryParameters {
  getAll(name: string): string[];
}

/** A range of weeks with either end open; both ends inclusive. */
export interface WeekRange {
  from?: IsoWeek;
  to?: IsoWeek;
}

/** How much of a client's text an error message echoes: enough to spot a typo, no more. */
const ECHO_LIMIT = 40;

function echo(text: string): string {
  return JSON.stringify(text.length > ECHO_LIMIT ? `${text.slice(0, ECHO_LIMIT)}…` : text);
}

/**
 * The one value of a parameter, or undefined when it is absent. Given twice it is a 400
 * rather than the first or the last silently winning: `?week=…&week=…` is a client bug.
 */
function single(query: QueryParameters, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw new InvalidParameterError(`${name} is given ${values.length} times; give it once`, name);
  return values[0];
}

function toWeek(name: string, text: string): IsoWeek {
  const week = parseIsoWeek(text);
  if (week === undefined) {
    throw new InvalidParameterError(`${name} ${echo(text)} is not an ISO 8601 week that exists, such as 2026-W47`, name);
  }
  return week;
}

/** The required `week` parameter of the stats routes. Missing, empty or malformed: InvalidParameterError. */
export function readWeek(query: QueryParameters): IsoWeek {
  const text = single(query, "week");
  if (text === undefined || text === "") throw new InvalidParameterError("week is required, such as ?week=2026-W47", "week");
  return toWeek("week", text);
}

/**
 * The optional `from` and `to` parameters. An empty value counts as absent (what an HTML
 * form sends for an empty field); `from` after `to` is an InvalidParameterError.
 * ISO week strings compare as text because parseIsoWeek accepts 4-digit years only.
 */
export function readWeekRange(query: QueryParameters): WeekRange {
  const fromText = single(query, "from");
  const toText = single(query, "to");
  const range: WeekRange = {};
  if (fromText !== undefined && fromText !== "") range.from = toWeek("from", fromText);
  if (toText !== undefined && toText !== "") range.to = toWeek("to", toText);
  if (range.from !== undefined && range.to !== undefined && range.from > range.to) {
    throw new InvalidParameterError(`from (${range.from}) is after to (${range.to})`);
  }
  return range;
}
