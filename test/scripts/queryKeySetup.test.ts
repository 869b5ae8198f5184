/**
 * The query-key setup docs/deploy.md runs is generated from functions/triggers.ts: every
 * keyed query route is in it, and no ingestion or anonymous route.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { triggers } from "../../functions/triggers";
import type { HttpTrigger } from "../../functions/triggerTypes";
import { projectRoot } from "../../local/hostSettings";
import { queryKeyFunctions, queryKeySetupCommands } from "../../scripts/queryKeySetup";

const script = path.join(projectRoot(), "dist", "scripts", "queryKeySetup.js");
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });

const http = triggers.filter((trigger): trigger is HttpTrigger => trigger.kind === "http");
/** A query route, by what the contract (section 4) says they are: under /api/v1/stats or a hierarchy's route. */
const isQueryRoute = (trigger: HttpTrigger) => /^v1\/(stats(\/|$)|hierarchies\/)/.test(trigger.route);
/** The function names the printed `az` lines set the key on. */
const namesIn = (output: string) => [...output.matchAll(/^az functionapp function keys set .*--function-name (\S+) /gm)].map((m) => m[1]!);

describe("npm run query-key-setup", () => {
  const printed = run("--team", "contoso-bi");

  test("prints a line for every keyed query route of functions/triggers.ts, the dimension routes included", () => {
    assert.equal(printed.status, 0, printed.stderr);
    const expected = http.filter((trigger) => isQueryRoute(trigger) && trigger.key !== "none").map((trigger) => trigger.name);
    assert.ok(expected.includes("statsDimension") && expected.includes("hierarchyWeeks"), expected.join(", "));
    assert.deepEqual(namesIn(printed.stdout), expected);
  });

  test("every route under the query prefixes takes the query key, so none can fall out by a wrong key role", () => {
    assert.deepEqual(
      http.filter((trigger) => isQueryRoute(trigger) && trigger.key !== "query").map((trigger) => trigger.name),
      [],
    );
  });

  test("no ingestion route and no anonymous route is in it", () => {
    const names = namesIn(printed.stdout);
    const others = http.filter((trigger) => trigger.key !== "query").map((trigger) => trigger.name);
    assert.ok(others.includes("submitUsage") && others.includes("health"), others.join(", "));
    assert.deepEqual(names.filter((name) => others.includes(name)), []);
  });

  test("the key name carries the team, and no key value is printed: the lines read QUERY_KEY", () => {
    const lines = printed.stdout.split("\n").filter((line) => line.startsWith("az "));
    assert.ok(lines.length > 0);
    for (const line of lines) {
      assert.match(line, /--key-name query-contoso-bi --key-value "\$QUERY_KEY" /);
      assert.match(line, /-g "\$RG" -n "\$APP"/);
    }
  });

  test("without a team, or with one a key name cannot hold, it prints the usage and exits 2", () => {
    for (const args of [[], ["--team", "Contoso BI"], ["--team"], ["--unknown", "x"]]) {
      const result = run(...args);
      assert.equal(result.status, 2, args.join(" "));
      assert.match(result.stderr, /^usage: npm run query-key-setup -- --team <name>/);
      assert.equal(result.stdout, "");
    }
  });

  test("the functions come from the list it is given, not from a list of its own", () => {
    const [first] = queryKeyFunctions(triggers);
    assert.ok(first !== undefined);
    const added: HttpTrigger = { ...first, name: "statsSomethingNew", route: "v1/stats/something-new" };
    assert.deepEqual(namesIn(queryKeySetupCommands(queryKeyFunctions([...triggers, added]), "t").join("\n")).at(-1), "statsSomethingNew");
  });

  test("docs/deploy.md runs it, and names no query function by hand", () => {
    const docs = fs.readFileSync(path.join(projectRoot(), "docs", "deploy.md"), "utf8");
    assert.match(docs, /npm run --silent query-key-setup -- --team /);
    const handWritten = queryKeyFunctions(triggers)
      .map((trigger) => trigger.name)
      .filter((name) => new RegExp(`for fn in [^\n;]*\\b${name}\\b`).test(docs));
    assert.deepEqual(handWritten, []);
  });
});
