/**
 * `npm run requeue-poison -- [--dry-run] [--drop-unreadable]`
 *
 * Puts the claim checks in the poison queue back on the ingest queue (docs/operations.md,
 * "Poison messages"). Prints one line per message (id, docId, why it was poisoned, what was
 * done; never the message text) and a summary. Exit code 0 when the run completed, even if
 * unreadable messages stayed; 2 on a usage error; 1 when storage failed.
 * Storage: see scripts/scriptServices.ts.
 */
import { parseArgs } from "node:util";
import { requeuePoison, type PoisonMessageResult } from "../shared/operations/requeuePoison";
import { createScriptServices } from "./scriptServices";

const USAGE = "usage: npm run requeue-poison -- [--dry-run] [--drop-unreadable]";

/** Reasons are error messages; a stray one could be long or span lines. */
function printable(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]/g, " ");
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function describe(result: PoisonMessageResult, dryRun: boolean): string {
  const verb = { requeued: "requeued", kept: "kept (not a claim check)", dropped: "dropped (not a claim check)" }[result.outcome];
  const parts = [dryRun ? `would be ${verb}` : verb, `docId ${result.docId ?? "-"}`];
  if (result.format === "poisoned") {
    parts.push(`poisoned ${result.poisonedAt ?? "?"} after ${result.attempts ?? "?"} attempt(s): ${printable(result.reason ?? "no reason recorded")}`);
  } else {
    parts.push("bare message, as the Functions host moves them (no reason recorded)");
  }
  if (result.problem !== undefined) parts.push(`unreadable: ${printable(result.problem)}`);
  if (result.notDeleted === true) parts.push("but it is still in poison (held past its visibility timeout); a later run sees it again, which is harmless");
  return parts.join("; ");
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        "dry-run": { type: "boolean", default: false },
        "drop-unreadable": { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const dryRun = values["dry-run"];
  const services = createScriptServices();
  console.log(`${dryRun ? "Dry run: " : ""}requeueing the poison queue's claim checks${values["drop-unreadable"] ? ", dropping unreadable messages" : ""}`);
  let count = 0;
  const summary = await requeuePoison(services, {
    dryRun,
    dropUnreadable: values["drop-unreadable"],
    onProgress: (result) => {
      count += 1;
      console.log(`[${count}] ${result.messageId} ${describe(result, dryRun)}`);
    },
  });
  const done = `${summary.requeued} requeued, ${summary.kept} kept, ${summary.dropped} dropped`;
  console.log(`done: ${summary.messages} message(s)${dryRun ? " (dry run, nothing changed): would be " : ": "}${done}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    console.error("Messages requeued so far stay requeued; run the same command again to finish (requeueing twice is harmless).");
    process.exit(1);
  },
);
