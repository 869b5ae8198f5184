/**
 * The deployment package works from a clean clone: infra/scripts/stagePackage.sh (azd's
 * `prepackage` hook, which azd fires after its restore and before its own build) builds what it stages, and
 * the staged entry point registers every trigger with nothing but the staged node_modules.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { projectRoot } from "../../local/hostSettings";
import { dashboardFiles } from "../../functions/dashboard";
import { triggers } from "../../functions/triggers";
import type { Registration } from "../../devkit/stagedEntryProbe";
import { loadStaged, stageFromCleanCopy, type StagedPackage } from "../../devkit/stagedPackage";

interface PackageJson {
  main: string;
  dependencies: Record<string, string>;
}

interface PackageLock {
  packages: Record<string, { dev?: boolean }>;
}

const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot(), "package.json"), "utf8")) as PackageJson;

/** What functions/index.ts must hand the host for each trigger of the one list. */
function expectedRegistration(trigger: (typeof triggers)[number]): Registration {
  switch (trigger.kind) {
    case "http":
      return { kind: "http", name: trigger.name, route: trigger.route, methods: trigger.methods, authLevel: trigger.key === "none" ? "anonymous" : "function" };
    case "queue":
      return { kind: "queue", name: trigger.name, queueName: trigger.queueName, connection: "AzureWebJobsStorage" };
    case "timer":
      return { kind: "timer", name: trigger.name, schedule: trigger.schedule };
  }
}

describe("the deployment package staged from a clean clone", { timeout: 240_000 }, () => {
  let staged: StagedPackage | undefined;
  const packageDir = (): string => {
    assert.ok(staged !== undefined, "the package was not staged");
    return staged.packageDir;
  };

  before(async () => {
    staged = await stageFromCleanCopy();
  });

  after(() => staged?.remove());

  test("every trigger of functions/triggers.ts registers with the staged @azure/functions", async () => {
    const report = await loadStaged(packageDir(), { mode: "entry" });
    assert.deepEqual(report.registrations, triggers.map(expectedRegistration));
  });

  test("the entry point loads with the staged node_modules alone", async () => {
    const report = await loadStaged(packageDir(), { mode: "entry" });
    assert.deepEqual(report.outside, []);
  });

  test("every production dependency loads from the package, applicationinsights (loaded lazily) included", async () => {
    const report = await loadStaged(packageDir(), { mode: "require", names: Object.keys(manifest.dependencies) });
    assert.deepEqual(report.outside, []);
  });

  test("nothing that only devDependencies need is in the package", () => {
    // package-lock.json marks `dev` every package installed for devDependencies alone; a
    // package both sides need (@types/node, through protobufjs) is rightly there.
    const lock = JSON.parse(fs.readFileSync(path.join(projectRoot(), "package-lock.json"), "utf8")) as PackageLock;
    const devOnly = Object.entries(lock.packages).flatMap(([where, entry]) => (entry.dev === true ? [where] : []));
    assert.ok(devOnly.some((where) => where === "node_modules/typescript"), "the lockfile marks no dev-only package");
    assert.deepEqual(
      devOnly.filter((where) => fs.existsSync(path.join(packageDir(), where))),
      [],
    );
  });

  test("the package holds the host's files and the compiled app, and no tests, benchmarks or tools", () => {
    assert.deepEqual(fs.readdirSync(packageDir()).sort(), ["dist", "host.json", "node_modules", "package-lock.json", "package.json"]);
    assert.deepEqual(fs.readdirSync(path.join(packageDir(), "dist")).sort(), ["functions", "schemas", "shared", "web"]);
    assert.ok(fs.existsSync(path.join(packageDir(), manifest.main)), `${manifest.main} missing`);
  });

  test("the package holds the built dashboard page, with Chart.js bundled in, where functions/dashboard.ts reads it", () => {
    const dir = path.join(packageDir(), "dist", dashboardFiles.dir);
    assert.deepEqual(fs.readdirSync(dir).sort(), [dashboardFiles.policy, dashboardFiles.page].sort());
    const page = fs.readFileSync(path.join(dir, dashboardFiles.page), "utf8");
    const script = /<script>([\s\S]*)<\/script>/.exec(page)?.[1] ?? "";
    assert.ok(script.length > 100_000, `the page's script is ${script.length} characters: no Chart.js in it`);
    assert.match(fs.readFileSync(path.join(dir, dashboardFiles.policy), "utf8"), /^default-src 'none'; script-src 'sha256-/);
  });
});
