/**
 * The simulator's command line and environment. This is a client of the service, not the
 * service: it reads its own settings here (shared/config.ts is the service's).
 *
 *   --hierarchies N --weeks W [--to 2026-W47] [--offline-share p] [--duplicate-share p]
 *   [--concurrency c] [--seed s] [--url U] [--key K] [--query-key Q] [--verify]
 *   [--wait-seconds S] [--no-progress]
 *
 * Keys also come from SIMULATOR_INGEST_KEY / SIMULATOR_QUERY_KEY, else INGEST_KEY /
 * QUERY_KEY (what `npm start` reads), else the local runtime's dev defaults; the URL from
 * SIMULATOR_URL, else http://localhost:7071.
 */
import { parseArgs } from "node:util";
import { isoWeekOf, mondayOf, parseIsoWeek, weeksBetween, type IsoWeek } from "../../shared/isoWeek";

export interface SimulatorSettings {
  hierarchies: number;
  weeks: IsoWeek[];
  offlineShare: number;
  duplicateShare: number;
  concurrency: number;
  seed: string;
  url: string;
  ingestKey: string;
  queryKey: string;
  verify: boolean;
  waitMs: number;
  progress: boolean;
}

/** Settings a caller (npm run load) fixes before the command line is read. */
export type SimulatorDefaults = Partial<Record<"hierarchies" | "weeks" | "offline-share" | "duplicate-share" | "concurrency" | "seed" | "wait-seconds", string>> & {
  verify?: boolean;
};

export class UsageError extends Error {}

function number(name: string, text: string | undefined, min: number, max: number, integer: boolean): number {
  const value = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max}, not ${String(text)}`);
  }
  return value;
}

/** The last complete ISO week before `now`: every collectedAt in it is in the past, as the contract requires. */
export function lastCompleteWeek(now: Date): IsoWeek {
  return isoWeekOf(new Date(mondayOf(isoWeekOf(now)).getTime() - 86_400_000));
}

/** @throws UsageError for an option that is missing or out of range. */
export function parseSimulatorArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>>, now: Date, defaults: SimulatorDefaults = {}): SimulatorSettings {
  const { values } = parseArgs({
    args: [...args],
    options: {
      hierarchies: { type: "string" },
      weeks: { type: "string" },
      to: { type: "string" },
      "offline-share": { type: "string" },
      "duplicate-share": { type: "string" },
      concurrency: { type: "string" },
      seed: { type: "string" },
      url: { type: "string" },
      key: { type: "string" },
      "query-key": { type: "string" },
      verify: { type: "boolean" },
      "wait-seconds": { type: "string" },
      "no-progress": { type: "boolean" },
    },
    strict: true,
  });
  const to = values.to === undefined ? lastCompleteWeek(now) : parseIsoWeek(values.to);
  if (to === undefined) throw new UsageError(`--to must be an ISO week such as 2026-W47, not ${String(values.to)}`);
  const weekCount = number("weeks", values.weeks ?? defaults.weeks, 1, 520, true);
  const from = isoWeekOf(new Date(mondayOf(to).getTime() - (weekCount - 1) * 7 * 86_400_000));
  return {
    hierarchies: number("hierarchies", values.hierarchies ?? defaults.hierarchies, 1, 1_000_000, true),
    weeks: weeksBetween(from, to),
    offlineShare: number("offline-share", values["offline-share"] ?? defaults["offline-share"] ?? "0.1", 0, 1, false),
    duplicateShare: number("duplicate-share", values["duplicate-share"] ?? defaults["duplicate-share"] ?? "0.05", 0, 1, false),
    concurrency: number("concurrency", values.concurrency ?? defaults.concurrency ?? "8", 1, 1024, true),
    seed: values.seed ?? defaults.seed ?? "1",
    url: (values.url ?? env["SIMULATOR_URL"] ?? "http://localhost:7071").replace(/\/+$/, ""),
    ingestKey: values.key ?? env["SIMULATOR_INGEST_KEY"] ?? env["INGEST_KEY"] ?? "dev-ingest-key",
    queryKey: values["query-key"] ?? env["SIMULATOR_QUERY_KEY"] ?? env["QUERY_KEY"] ?? "dev-query-key",
    verify: values.verify ?? defaults.verify ?? false,
    waitMs: number("wait-seconds", values["wait-seconds"] ?? defaults["wait-seconds"] ?? "300", 0, 86_400, false) * 1000,
    progress: values["no-progress"] !== true,
  };
}
