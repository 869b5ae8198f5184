/**
 * The command line of `npm run query` (docs/cli.md), read into the one request it stands
 * for. Everything is checked here, before anything is sent: a usage error never costs a
 * request, and its exit code (2) says so.
 */
import { parseArgs } from "node:util";
import { devKeys, type QueryCliSettings } from "../../shared/config";
import { PROGRAM_NAME } from "./programName";

/** The routes the CLI asks, by their command name. */
export type QueryRoute = "versions" | "os" | "features" | "trend" | "hierarchy" | "dimension" | "dimensionTrend" | "dimensions";

/** How the answer is printed: an aligned table, the service's CSV, or its JSON. */
export type OutputFormat = "table" | "csv" | "json";

export interface QueryCommand {
  route: QueryRoute;
  /** The path and query below the base URL, e.g. `/api/v1/stats/versions?week=2026-W47`. */
  path: string;
  format: OutputFormat;
  /** The service's base URL, without a trailing slash. */
  url: string;
  key: string;
}

export class UsageError extends Error {}

/** The local runtime's port and its documented development key (README, "Settings"). */
export const DEFAULT_URL = "http://localhost:7071";
export const DEFAULT_KEY = devKeys.query;

export const USAGE = `usage: ${PROGRAM_NAME} <command> [options]

commands:
  versions --week W           hierarchies and clients per product version
  os --week W                 clients per operating system
  features --week W           features over the snapshots at enhanced or full
  trend [--from W] [--to W]   hierarchies, clients and versions week by week
  hierarchy --id ID [--from W] [--to W]
                              one hierarchy's weekly snapshots (ID in Base64 or Base64url)
  dimensions                  every dimension there is
  dimension NAME --week W [--min-hierarchies k]
                              one week by one dimension
  dimension NAME [--from W] [--to W] [--min-hierarchies k]
                              one dimension week by week

options:
  --csv | --json              print the service's CSV or JSON instead of a table
  --url URL                   the service (default: QUERY_URL, else ${DEFAULT_URL})
  --key KEY                   the query key (default: QUERY_KEY, else ${DEFAULT_KEY})
  --help                      this text

Weeks are ISO weeks such as 2026-W47. Exit codes: 0 ok, 2 usage, 3 unauthorized,
4 not found, 5 bad request, 6 unavailable, 7 unreachable, 1 anything else.`;

const WEEK = /^\d{4}-W\d{2}$/;
const BASE64_ID = /^[A-Za-z0-9+/]{43}=$/;
const BASE64URL_ID = /^[A-Za-z0-9_-]{43}$/;

const options = {
  week: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  id: { type: "string" },
  "min-hierarchies": { type: "string" },
  csv: { type: "boolean" },
  json: { type: "boolean" },
  url: { type: "string" },
  key: { type: "string" },
  help: { type: "boolean" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>["values"];

function checkWeek(name: string, value: string | undefined): void {
  if (value !== undefined && !WEEK.test(value)) throw new UsageError(`--${name} ${JSON.stringify(value)} is not an ISO week such as 2026-W47`);
}

/** Options a command does not take are refused rather than ignored: a typo must not quietly change the question. */
function allowOnly(command: string, values: Values, allowed: readonly (keyof typeof options)[]): void {
  const common = ["csv", "json", "url", "key", "help"];
  for (const name of Object.keys(values)) {
    if (!common.includes(name) && !allowed.includes(name as keyof typeof options)) throw new UsageError(`${command} takes no --${name}`);
  }
}

function search(parameters: Record<string, string | undefined>): string {
  const given = Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return given.length === 0 ? "" : `?${new URLSearchParams(given).toString()}`;
}

/** An id as SCPs write it (standard Base64) or as URLs do (Base64url, no padding), in its URL form. */
function hierarchyKeyOf(id: string | undefined): string {
  if (id === undefined) throw new UsageError("hierarchy needs --id");
  if (BASE64URL_ID.test(id)) return id;
  if (BASE64_ID.test(id)) return id.slice(0, 43).replace(/\+/g, "-").replace(/\//g, "_");
  throw new UsageError("--id must be a hierarchy id: 44 characters of Base64 or 43 of Base64url");
}

function minHierarchiesOf(values: Values): string | undefined {
  const text = values["min-hierarchies"];
  if (text !== undefined && !(/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 1000)) {
    throw new UsageError("--min-hierarchies must be a whole number from 1 to 1000");
  }
  return text;
}

function routeOf(positionals: readonly string[], values: Values): { route: QueryRoute; path: string } {
  const [command, name, ...rest] = positionals;
  if (command === undefined) throw new UsageError("give a command");
  const extra = command === "dimension" ? rest : [name, ...rest].filter((p) => p !== undefined);
  if (extra.length > 0) throw new UsageError(`unexpected ${JSON.stringify(extra[0])}`);
  checkWeek("week", values.week);
  checkWeek("from", values.from);
  checkWeek("to", values.to);
  const range = { from: values.from, to: values.to };
  switch (command) {
    case "versions":
    case "os":
    case "features":
      allowOnly(command, values, ["week"]);
      if (values.week === undefined) throw new UsageError(`${command} needs --week, such as --week 2026-W47`);
      return { route: command, path: `/api/v1/stats/${command}${search({ week: values.week })}` };
    case "trend":
      allowOnly(command, values, ["from", "to"]);
      return { route: "trend", path: `/api/v1/stats/trend${search(range)}` };
    case "hierarchy":
      allowOnly(command, values, ["id", "from", "to"]);
      return { route: "hierarchy", path: `/api/v1/hierarchies/${hierarchyKeyOf(values.id)}/weeks${search(range)}` };
    case "dimensions":
      allowOnly(command, values, []);
      return { route: "dimensions", path: "/api/v1/stats/dimensions" };
    case "dimension": {
      if (name === undefined) throw new UsageError(`dimension needs a NAME (${PROGRAM_NAME} dimensions lists them)`);
      const base = `/api/v1/stats/dimensions/${encodeURIComponent(name)}`;
      const minHierarchies = minHierarchiesOf(values);
      if (values.week !== undefined) {
        allowOnly(command, values, ["week", "min-hierarchies"]);
        return { route: "dimension", path: `${base}${search({ week: values.week, minHierarchies })}` };
      }
      allowOnly(command, values, ["from", "to", "min-hierarchies"]);
      return { route: "dimensionTrend", path: `${base}/trend${search({ ...range, minHierarchies })}` };
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function baseUrlOf(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url ${JSON.stringify(text)} is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError("--url must be http: or https:");
  return url.toString().replace(/\/+$/, "");
}

/**
 * The request a command line stands for, or `help` for `--help`.
 *
 * @throws UsageError for anything wrong with the command line.
 */
export function parseQueryArguments(args: readonly string[], defaults: Partial<QueryCliSettings> = {}): QueryCommand | "help" {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return "help";
  if (values.csv === true && values.json === true) throw new UsageError("give --csv or --json, not both");
  const { route, path } = routeOf(positionals, values);
  const format: OutputFormat = values.csv === true ? "csv" : values.json === true ? "json" : "table";
  const key = values.key ?? defaults.key ?? DEFAULT_KEY;
  if (key === "") throw new UsageError("the key is empty (--key or QUERY_KEY)");
  return { route, path, format, url: baseUrlOf(values.url ?? defaults.url ?? DEFAULT_URL), key };
}
