import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { makeDimensionDocuments } from "../../../devkit/usageDocuments";
import { npmCommand, packQueryCli, type PackQueryCliResponse } from "../../../scripts/query/bundleQueryCli";
import { seedWeeks } from "../../support/seedWeeks";
import { QUERY_KEY, startTestRuntime, type TestRuntime } from "../../support/testRuntime";

const ROOT = join(__dirname, "../../../..");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every file under `dir`, relative to it, with `/` between names. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

/** npm without the registry: a package with no dependencies needs none, and `--offline` makes sure nothing is asked for. */
async function npmInstall(args: string[], cwd: string): Promise<void> {
  const npm = npmCommand();
  await promisify(execFile)(npm.file, [...npm.prefixArgs, "install", "--offline", "--no-audit", "--no-fund", ...args], { cwd });
}

describe("the query CLI packed, installed from its tarball into a temporary folder, run against the local runtime on Azurite", () => {
  let work: string;
  let packed: PackQueryCliResponse;
  let globalPrefix: string;
  let installed: string;
  let t: TestRuntime;
  let guard: string;
  let loadedFile: string;

  /**
   * The installed bin as a product team's shell runs it: from a folder outside the repository,
   * with only node's directory on PATH (the shebang's `env` finds node there), no NODE_PATH,
   * and only the settings the CLI reads.
   */
  function runInstalled(bin: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve) => {
      execFile(bin, args, { cwd: work, env: { PATH: dirname(process.execPath), ...env } }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      });
    });
  }

  before(async () => {
    work = realpathSync(mkdtempSync(join(tmpdir(), "cmusage-query-test-")));
    const running = startTestRuntime({}, { runQueueTriggers: false }).then(async (runtime) => {
      t = runtime;
      await seedWeeks(t.runtime.services, makeDimensionDocuments().map((d) => d.document));
    });
    packed = await packQueryCli({ root: ROOT, destination: join(work, "pack") });
    globalPrefix = join(work, "global");
    await npmInstall(["--global", "--prefix", globalPrefix, packed.tarball], work);
    installed = join(globalPrefix, "lib", "node_modules", packed.name);
    // Records, as the process exits, every module file it loaded, so a test can say where they came from.
    loadedFile = join(work, "loaded.json");
    guard = join(work, "recordLoadedModules.cjs");
    writeFileSync(guard, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(loadedFile)}, JSON.stringify(Object.keys(require.cache))));\n`);
    await running;
  });
  after(async () => {
    await t.close();
    rmSync(work, { recursive: true, force: true });
  });

  const bin = (): string => join(globalPrefix, "bin", packed.bin);
  const env = (): Record<string, string> => ({ QUERY_KEY, QUERY_URL: t.url });
  const fetchRoute = async (path: string): Promise<unknown> =>
    (await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY, accept: "application/json" } })).json();

  test("the temporary folder is outside the repository", () => {
    assert.ok(relative(realpathSync(ROOT), work).startsWith(".."), work);
  });

  test("npm install -g --prefix installs one file, the manifest and the notices: no node_modules, no dependencies", () => {
    assert.deepEqual(filesUnder(installed), ["README.md", "THIRD-PARTY-NOTICES.txt", "dist/query.js", "package.json"]);
    assert.match(readFileSync(join(installed, "THIRD-PARTY-NOTICES.txt"), "utf8"), /^ajv@\d+\.\d+\.\d+ \(MIT\)\n/m);
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as Record<string, unknown>;
    assert.equal(manifest["dependencies"], undefined);
    assert.ok(readFileSync(join(installed, "dist/query.js"), "utf8").startsWith("#!/usr/bin/env node\n"));
  });

  test("--help: exit 0, the usage naming the installed command", async () => {
    const run = await runInstalled(bin(), ["--help"]);
    assert.deepEqual({ code: run.code, stderr: run.stderr }, { code: 0, stderr: "" });
    assert.match(run.stdout, new RegExp(`^usage: ${packed.bin} <command> \\[options\\]\\n`));
    assert.match(run.stdout, /\n {2}dimensions +every dimension there is\n/);
  });

  test("a usage error points at the installed command's --help", async () => {
    const run = await runInstalled(bin(), ["versions"]);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, `query: versions needs --week, such as --week 2026-W47\n(${packed.bin} --help for usage)\n`);
  });

  test("dimensions: the service's list, as a table of every dimension it names, and as its JSON", async () => {
    const served = (await fetchRoute("/api/v1/stats/dimensions")) as { dimensions: { name: string }[] };
    const json = await runInstalled(bin(), ["dimensions", "--json"], env());
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), served);
    const table = await runInstalled(bin(), ["dimensions"], env());
    assert.deepEqual({ code: table.code, stderr: table.stderr }, { code: 0, stderr: "" });
    const firstCells = table.stdout.split("\n").map((line) => line.split(" ")[0]);
    for (const { name } of served.dimensions) assert.ok(firstCells.includes(name), `${name} missing from\n${table.stdout}`);
  });

  test("versions: the table the answer check lets through, and the route's JSON", async () => {
    const table = await runInstalled(bin(), ["versions", "--week", "2026-W47"], env());
    assert.deepEqual({ code: table.code, stderr: table.stderr }, { code: 0, stderr: "" });
    const lines = table.stdout.split("\n");
    assert.match(lines[0]!, /^Product versions, 2026-W47: \d+ hierarchies, [\d,]+ clients$/);
    assert.match(lines[1]!, /^version +hierarchies +share +clients +share$/);
    assert.match(lines[3]!, /^\d{4} +\d+ +\d+\.\d% +[\d,]+ +\d+\.\d%$/);
    const json = await runInstalled(bin(), ["versions", "--week", "2026-W47", "--json"], env());
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), await fetchRoute("/api/v1/stats/versions?week=2026-W47"));
  });

  test("an answer of another shape is refused by the schema inlined in the bundle", async () => {
    // A service of another version: 200 and JSON, but not a VersionStats.
    const other = createServer((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"week":"2026-W47"}'));
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = other.address() as AddressInfo;
      const run = await runInstalled(bin(), ["versions", "--week", "2026-W47", "--url", `http://127.0.0.1:${port}`], env());
      assert.equal(run.code, 1, run.stdout);
      assert.match(run.stderr, /^query: the answer is not a VersionStats/);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  test("the installed CLI loads no module file but its own bundle", async () => {
    const run = await runInstalled(bin(), ["versions", "--week", "2026-W47"], { ...env(), NODE_OPTIONS: `--require ${guard}` });
    assert.equal(run.code, 0, run.stderr);
    const loaded = (JSON.parse(readFileSync(loadedFile, "utf8")) as string[]).filter((file) => file !== guard);
    assert.deepEqual(loaded, [join(installed, "dist/query.js")]);
  });

  test("npm install --prefix (a project's own node_modules) gives the same command", async () => {
    const local = join(work, "local");
    await npmInstall(["--prefix", local, packed.tarball], work);
    const run = await runInstalled(join(local, "node_modules", ".bin", packed.bin), ["dimensions", "--json"], env());
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), await fetchRoute("/api/v1/stats/dimensions"));
  });
});
