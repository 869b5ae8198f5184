/**
 * `npm run reaggregate -- --from 2026-W40 --to 2026-W47 [--force] [--dry-run]`
 *
 * Rebuilds the weekly snapshots, rollups and history of those weeks from the raw archive,
 * e.g. after an aggregation fix. Idempotent: run it again to finish an interrupted run.
 * Storage: see scripts/scriptServices.ts (the local Azurite of `npm start` by default).
 */
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { parseIsoWeek, weeksBetween } from "../shared/isoWeek";
import { rebuildWeeks } from "../shared/operations/rebuildWeeks";
import { createScriptServices } from "./scriptServices";

const USAGE = "usage: npm run reaggregate -- --from <YYYY-Www> --to <YYYY-Www> [--force] [--dry-run]";

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        from: { type: "string" },
        to: { type: "string" },
        force: { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const from = parseIsoWeek(values.from ?? "");
  const to = parseIsoWeek(values.to ?? "");
  if (from === undefined || to === undefined || from > to) {
    console.error(`--from and --to must be ISO weeks such as 2026-W47, from <= to\n${USAGE}`);
    return 2;
  }
  const services = createScriptServices();
  const total = weeksBetween(from, to).length;
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
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    console.error("The week being rebuilt stays locked (live messages for it wait); run the same command again to finish it.");
    process.exit(1);
  },
);
