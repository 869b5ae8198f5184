/**
 * `npm run query-key-setup -- --team <name>`
 *
 * Prints the Azure CLI commands that set one product team's query key on every function that
 * takes the query key, as functions/triggers.ts declares them (docs/deploy.md, "Function
 * keys"). Read from the trigger list, not written by hand, so that a query route added later
 * is in the setup the day it ships. The commands read RG, APP and QUERY_KEY from the shell,
 * so no key value is ever printed. Exit code 0, or 2 on a usage error.
 */
import { parseArgs } from "node:util";
import { triggers } from "../functions/triggers";
import type { HttpTrigger, Trigger } from "../functions/triggerTypes";

const USAGE = "usage: npm run query-key-setup -- --team <name>   (lowercase letters, digits and hyphens)";

/** The functions that take the query key, in the order of the trigger list. */
export function queryKeyFunctions(list: readonly Trigger[]): HttpTrigger[] {
  return list.filter((trigger): trigger is HttpTrigger => trigger.kind === "http" && trigger.key === "query");
}

/** The shell lines that give the key `query-<team>` to each of `functions`. */
export function queryKeySetupCommands(functions: readonly HttpTrigger[], team: string): string[] {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(team)) throw new Error(`not a team name: ${team}`);
  return [
    `# query key "query-${team}" on the ${functions.length} functions that take the query key (functions/triggers.ts)`,
    ': "${RG:?set RG to the resource group}" "${APP:?set APP to the function app}" "${QUERY_KEY:?set QUERY_KEY to the key value}"',
    ...functions.map(
      (fn) => `az functionapp function keys set -g "$RG" -n "$APP" --function-name ${fn.name} --key-name query-${team} --key-value "$QUERY_KEY" -o none   # /api/${fn.route}`,
    ),
  ];
}

function main(args: string[]): number {
  let team: string | undefined;
  try {
    team = parseArgs({ args, options: { team: { type: "string" } } }).values.team;
  } catch {
    team = undefined;
  }
  if (team === undefined || !/^[a-z0-9][a-z0-9-]{0,40}$/.test(team)) {
    console.error(USAGE);
    return 2;
  }
  console.log(queryKeySetupCommands(queryKeyFunctions(triggers), team).join("\n"));
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
