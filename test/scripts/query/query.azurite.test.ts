import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { toHierarchyKey } from "../../../shared/aggregation/hierarchyKey";
import { seedWeeks } from "../../support/seedWeeks";
import { QUERY_KEY, startTestRuntime, type TestRuntime } from "../../support/testRuntime";
import { base64Sha256Of, makeDimensionDocuments } from "../../../devkit/usageDocuments";

const CLI = join(__dirname, "../../../scripts/query.js");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as a script runs it: its own process, the key and URL from the environment unless the arguments say otherwise. */
function runCli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    // Only what the CLI reads, so that a QUERY_KEY of the machine running the tests cannot leak in.
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env["PATH"] ?? "", ...env } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("npm run query against the local runtime on Azurite", () => {
  let t: TestRuntime;
  let env: Record<string, string>;
  const documents = makeDimensionDocuments().map((d) => d.document);
  const hierarchyId = documents[0]!.hierarchyId;

  before(async () => {
    t = await startTestRuntime({}, { runQueueTriggers: false });
    await seedWeeks(t.runtime.services, documents);
    env = { QUERY_KEY, QUERY_URL: t.url };
  });
  after(async () => t.close());

  const fetchRoute = async (path: string, accept: string) => (await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY, accept } })).text();

  test("a table on stdout, nothing on stderr, exit 0; the key taken from QUERY_KEY", async () => {
    const run = await runCli(["versions", "--week", "2026-W47"], env);
    assert.deepEqual({ code: run.code, stderr: run.stderr }, { code: 0, stderr: "" });
    const lines = run.stdout.split("\n");
    assert.match(lines[0]!, /^Product versions, 2026-W47: \d+ hierarchies, [\d,]+ clients$/);
    assert.match(lines[1]!, /^version +hierarchies +share +clients +share$/);
    assert.match(lines[3]!, /^\d{4} +\d+ +\d+\.\d% +[\d,]+ +\d+\.\d%$/);
  });

  test("--csv prints the route's CSV and --json its JSON, byte for byte and value for value", async () => {
    const path = "/api/v1/stats/dimensions/os?week=2026-W47";
    const csv = await runCli(["dimension", "os", "--week", "2026-W47", "--csv"], env);
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stdout, await fetchRoute(path, "text/csv"));
    const json = await runCli(["dimension", "os", "--week", "2026-W47", "--json"], env);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse(await fetchRoute(path, "application/json")));
  });

  test("every command answers with a table", async () => {
    const commands = [
      ["os", "--week", "2026-W47"],
      ["features", "--week", "2026-W47"],
      ["trend"],
      ["hierarchy", "--id", hierarchyId],
      ["dimensions"],
      ["dimension", "sqlVersion", "--week", "2026-W47", "--min-hierarchies", "2"],
      ["dimension", "siteRole", "--week", "2026-W47"],
      ["dimension", "databaseSizeMb", "--week", "2026-W47"],
      ["dimension", "version"],
      ["dimension", "clients", "--from", "2026-W46", "--to", "2026-W48"],
    ];
    for (const args of commands) {
      const run = await runCli(args, env);
      assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stdout, /\n-+( +-+)*\n/, args.join(" "));
    }
  });

  test("--key wins over QUERY_KEY", async () => {
    assert.equal((await runCli(["dimensions", "--key", QUERY_KEY], { ...env, QUERY_KEY: "wrong" })).code, 0);
  });

  const failures: { name: string; args: string[]; env?: Record<string, string>; code: number; stderr: RegExp }[] = [
    { name: "a usage error", args: ["versions"], code: 2, stderr: /^query: versions needs --week/ },
    { name: "an unknown option", args: ["trend", "--weeks", "3"], code: 2, stderr: /Unknown option '--weeks'/ },
    { name: "a wrong key (401)", args: ["dimensions"], env: { QUERY_KEY: "wrong" }, code: 3, stderr: /^query: 401: the key was refused/ },
    { name: "an unknown hierarchy (404)", args: ["hierarchy", "--id", base64Sha256Of("nobody")], code: 4, stderr: /^query: 404: No data is known for this hierarchy/ },
    { name: "an unknown dimension (404)", args: ["dimension", "nonesuch", "--week", "2026-W47"], code: 4, stderr: /^query: 404: There is no dimension "nonesuch"/ },
    { name: "a week that does not exist (400)", args: ["versions", "--week", "2025-W53"], code: 5, stderr: /^query: 400: week "2025-W53" is not an ISO 8601 week that exists/ },
    { name: "from after to (400)", args: ["trend", "--from", "2026-W47", "--to", "2026-W46"], code: 5, stderr: /^query: 400: from \(2026-W47\) is after to/ },
  ];
  for (const failure of failures) {
    test(`${failure.name}: exit ${failure.code}, the reason on stderr, nothing on stdout`, async () => {
      const run = await runCli(failure.args, { ...env, ...failure.env });
      assert.equal(run.code, failure.code, run.stderr);
      assert.match(run.stderr, failure.stderr);
      assert.equal(run.stdout, "");
    });
  }

  test("a server that is not there: exit 7", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await runCli(["dimensions", "--url", url], env);
    assert.equal(run.code, 7);
    assert.equal(run.stderr, `query: cannot reach ${url}: ECONNREFUSED\n`);
    assert.equal(run.stdout, "");
  });

  test("the key never appears in what the CLI prints", async () => {
    const runs = await Promise.all([runCli(["dimensions"], env), runCli(["dimensions"], { ...env, QUERY_KEY: "wrong-secret" })]);
    for (const run of runs) assert.ok(!`${run.stdout}${run.stderr}`.includes(QUERY_KEY) && !`${run.stdout}${run.stderr}`.includes("wrong-secret"));
  });

  test("a hierarchy given in the URL form reads the same as in the standard form", async () => {
    const standard = await runCli(["hierarchy", "--id", hierarchyId, "--json"], env);
    const url = await runCli(["hierarchy", "--id", toHierarchyKey(hierarchyId), "--json"], env);
    assert.equal(standard.code, 0);
    assert.equal(url.stdout, standard.stdout);
  });
});
