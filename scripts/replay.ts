/**
 * `npm run replay -- --docId <uuid> [--docId <uuid> ...] [--dry-run]`
 * `npm run replay -- --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--dry-run]`
 *
 * Replays kept rejected documents against today's schema (docs/operations.md, "Replay of
 * rejected documents"). Prints one line per document (ids, outcomes and error paths, never
 * content) and a summary. Exit code 0 when the run completed, even if documents stayed
 * invalid; 2 on a usage error; 1 when storage failed. Storage: see scripts/scriptServices.ts.
 */
import { parseArgs } from "node:util";
import { InvalidParameterError } from "../shared/errors";
import {
  replayOutcomes,
  replayRejected,
  validateReplaySelection,
  type ReplayRejectedOptions,
  type ReplayResult,
  type ReplaySelection,
  type ReplaySummary,
} from "../shared/operations/replayRejected";
import { createScriptServices } from "./scriptServices";

const USAGE = [
  "usage: npm run replay -- --docId <uuid> [--docId <uuid> ...] [--dry-run]",
  "       npm run replay -- --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--dry-run]",
  "  --from/--to select by the UTC day a document was (last) rejected, both inclusive.",
].join("\n");

/** Shown for at most this many error paths per document; the rest are counted. */
const SHOWN_PATHS = 5;

class UsageError extends Error {}

function readArguments(args: string[]): { selection: ReplaySelection; dryRun: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        docId: { type: "string", multiple: true },
        from: { type: "string" },
        to: { type: "string" },
        "dry-run": { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const byDocId = values.docId !== undefined;
  const byDate = values.from !== undefined || values.to !== undefined;
  if (byDocId === byDate) throw new UsageError("give either --docId (one or more) or --from and --to, not both and not neither");
  let selection: ReplaySelection;
  if (values.docId !== undefined) {
    selection = { kind: "docIds", docIds: values.docId };
  } else {
    if (values.from === undefined || values.to === undefined) throw new UsageError("--from and --to go together");
    selection = { kind: "receivedDates", from: values.from, to: values.to };
  }
  try {
    validateReplaySelection(selection);
  } catch (error) {
    if (error instanceof InvalidParameterError) throw new UsageError(error.parameter === undefined ? error.message : `--${error.message}`);
    throw error;
  }
  return { selection, dryRun: values["dry-run"] };
}

/** Paths come from document keys: control characters would break the one-line-per-document output. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, "?");
}

function describe(result: ReplayResult, options: Pick<ReplayRejectedOptions, "dryRun">): string {
  const dryRun = options.dryRun ?? false;
  const parts: string[] = [dryRun ? `would be ${result.outcome}` : result.outcome];
  if (result.errorPaths !== undefined) {
    const shown = result.errorPaths.slice(0, SHOWN_PATHS).map(printable).join(", ");
    const more = result.errorPaths.length > SHOWN_PATHS ? ` and ${result.errorPaths.length - SHOWN_PATHS} more` : "";
    parts.push(`${result.errorPaths.length} error(s) at ${shown}${more}`);
  }
  if (result.detail !== undefined) parts.push(result.detail);
  if (result.removed) parts.push("removed from rejected");
  else if (!dryRun && ["conflict", "invalid"].includes(result.outcome)) parts.push("stays in rejected");
  return parts.join("; ");
}

function summarize(summary: ReplaySummary): string {
  const counts = replayOutcomes.filter((o) => summary.outcomes[o] > 0).map((o) => `${summary.outcomes[o]} ${o}`);
  const removed = summary.dryRun ? "nothing written (dry run)" : `${summary.removed} removed from rejected`;
  return `done: ${summary.documents} document(s)${counts.length > 0 ? `: ${counts.join(", ")}` : ""}; ${removed}`;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = readArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const { selection, dryRun } = parsed;
  const services = createScriptServices();
  const what = selection.kind === "docIds" ? `${selection.docIds.length} docId(s)` : `documents rejected ${selection.from} to ${selection.to}`;
  console.log(`${dryRun ? "Dry run: " : ""}replaying ${what}`);
  let count = 0;
  const summary = await replayRejected(selection, services, {
    dryRun,
    onProgress: (result) => {
      count += 1;
      console.log(`[${count}] ${result.docId} ${describe(result, { dryRun })}`);
    },
  });
  console.log(summarize(summary));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    console.error("Documents replayed so far stay replayed; run the same command again to finish (replaying twice is harmless).");
    process.exit(1);
  },
);
