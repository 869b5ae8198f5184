/**
 * `npm run reaggregate -- --from 2026-W40 --to 2026-W47 [--force] [--dry-run]`
 * `npm run reaggregate -- --status [--from 2026-W40 --to 2026-W47]`
 *
 * Rebuilds the weekly snapshots, rollups and history of those weeks from the raw archive,
 * e.g. after an aggregation fix. Idempotent: run it again to finish an interrupted run.
 * `--status` changes nothing: it lists the weeks a rebuild holds (or held) locked, with the
 * lock's owner (one rebuild run: `reaggregate@<host>#<random>`) and age, every week with data
 * unless --from and --to narrow it (or widen it to weeks not yet indexed). A rebuild of a
 * week another rebuild holds is refused, and changes nothing.
 * Storage: see scripts/scriptServices.ts (the local Azurite of `npm start` by default).
 */
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { rebuildLockSettings } from "../shared/config";
import { parseIsoWeek, weeksBetween, type IsoWeek } from "../shared/isoWeek";
import { listWeekLocks, RebuildRefusedError, rebuildWeeks } from "../shared/operations/rebuildWeeks";
import type { Services } from "../shared/services";
import { createScriptServices } from "./scriptServices";

const USAGE =
  "usage: npm run reaggregate -- --from <YYYY-Www> --to <YYYY-Www> [--force] [--dry-run]\n" +
  "       npm run reaggregate -- --status [--from <YYYY-Www> --to <YYYY-Www>]";

/** `3h 12m`, `41s`: how long ago a lock was taken. */
function duration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${seconds % 60}s` : `${seconds}s`;
}

async function printStatus(services: Services, range: IsoWeek[] | undefined): Promise<number> {
  const weeks = range ?? (await services.weeklyStats.listWeeks());
  const locks = await listWeekLocks(weeks, services);
  console.log(`${locks.length} rebuild lock(s) in ${weeks.length} week(s)${range === undefined ? " with data" : ""}`);
  for (const lock of locks) {
    const state = lock.expired
      ? `EXPIRED at ${lock.expiresAt}: live aggregation counts the week again; its rebuild did not finish, run it again`
      : `holds until ${lock.expiresAt} (renewed every ${rebuildLockSettings.renewSeconds}s while its rebuild runs): live messages for the week wait`;
    console.log(`${lock.week}: locked by ${lock.holder} since ${lock.since} (${duration(lock.ageSeconds)} ago); ${state}`);
  }
  return 0;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: "string" },
        to: { type: "string" },
        force: { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
        status: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const from = parseIsoWeek(values.from ?? "");
  const to = parseIsoWeek(values.to ?? "");
  const range = from !== undefined && to !== undefined && from <= to ? weeksBetween(from, to) : undefined;
  const badRange = () => {
    console.error(`--from and --to must be ISO weeks such as 2026-W47, from <= to\n${USAGE}`);
    return 2;
  };
  if (values.status) return range === undefined && (values.from !== undefined || values.to !== undefined) ? badRange() : printStatus(createScriptServices(), range);
  if (range === undefined || from === undefined || to === undefined) return badRange();
  const services = createScriptServices();
  const total = range.length;
  let done = 0;
  console.log(`${values["dry-run"] ? "Dry run: " : ""}rebuilding ${total} week(s), ${from} to ${to}`);
  const results = await rebuildWeeks(from, to, services, { force: values.force, dryRun: values["dry-run"], holder: `reaggregate@${hostname()}` }, (r) => {
    done += 1;
    const detail =
      r.status === "rebuilt"
        ? `${r.documents} raw document(s), ${r.snapshots} snapshot(s) now, ${r.previousSnapshots} before`
        : r.status === "dry-run"
          ? `${r.documents} raw document(s), ${r.previousSnapshots} snapshot(s) now`
          : `SKIPPED: no raw documents but ${r.previousSnapshots} snapshot(s) (expired?); --force clears it`;
    console.log(`[${done}/${total}] ${r.week}: ${detail} (${r.seconds}s)`);
  });
  const skipped = results.filter((r) => r.status === "skipped-no-raw").length;
  console.log(`done: ${results.length - skipped} week(s) ${values["dry-run"] ? "inspected" : "rebuilt"}, ${skipped} skipped`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof RebuildRefusedError) {
      // Nothing of that week was touched: the weeks before it are rebuilt, the rest are not.
      console.error(`REFUSED: ${error.message}`);
      process.exit(1);
    }
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    console.error(
      `The week being rebuilt stays locked until its lock expires (within ${rebuildLockSettings.leaseSeconds / 60} minutes; ` +
        "live messages for it wait until then, then count again); run the same command again to finish it. " +
        "npm run reaggregate -- --status shows the locks.",
    );
    process.exit(1);
  },
);
