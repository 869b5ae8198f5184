import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { projectRoot } from "../local/hostSettings";

// `npm start` runs from dist/. A helper script run beside it (query, simulate, load, bench…)
// must not delete that output on its way, or the running service fails on its next lazy
// require. Checked on package.json itself: every command a script runs, through `npm run`.
const scripts = (JSON.parse(readFileSync(join(projectRoot(), "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** The scripts that build from scratch: run to start or to test, never beside a running service. */
const CLEAN_BUILDERS = new Set(["build", "start", "test"]);

/** Every shell command `name` runs, with the ones of the scripts it runs through `npm run`. */
function commandsOf(name: string, seen: ReadonlySet<string> = new Set()): string[] {
  const script = scripts[name];
  assert.ok(script !== undefined, `package.json has no script "${name}"`);
  assert.ok(!seen.has(name), `script "${name}" runs itself`);
  return script.split(/&&|\|\||;/).flatMap((part) => {
    const command = part.trim();
    const nested = /^npm run ([\w:-]+)/.exec(command);
    return nested === null ? [command] : commandsOf(nested[1]!, new Set([...seen, name]));
  });
}

/** Whether a command deletes files: `rm`, `rimraf`, or fs's rm/rmSync/rmdir/unlink. */
function deletes(command: string): boolean {
  return /(^|\s)(rm|rmdir|rimraf)\s|\b(rmSync|rmdirSync|unlinkSync|rm|rmdir|unlink)\(/.test(command);
}

test("the clean build does delete dist/ (what the check below looks for is really there)", () => {
  assert.ok(commandsOf("build").some(deletes), `npm run build: ${commandsOf("build").join(" && ")}`);
});

test("no helper script deletes what npm start runs from", () => {
  const helpers = Object.keys(scripts).filter((name) => !CLEAN_BUILDERS.has(name));
  for (const name of ["query", "simulate", "load", "reaggregate", "replay", "requeue-poison", "gen:types", "bench", "azurite"]) {
    assert.ok(helpers.includes(name), `the helper script "${name}" is still there`);
  }
  const offending = helpers.filter((name) => commandsOf(name).some(deletes));
  assert.deepEqual(offending, [], `these scripts delete files on their way: ${offending.map((name) => `${name}: ${commandsOf(name).filter(deletes).join(", ")}`).join("; ")}`);
});

test("the helper scripts still compile before they run", () => {
  for (const name of ["query", "simulate", "load", "bench"]) {
    assert.ok(
      commandsOf(name).some((command) => /^tsc\b/.test(command)),
      `npm run ${name} compiles first: ${commandsOf(name).join(" && ")}`,
    );
  }
});
