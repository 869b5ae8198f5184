import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { ESLint, Linter } from "eslint";
import tseslint from "typescript-eslint";
import { projectRoot } from "../local/hostSettings";

// The layer rule of eslint.config.mjs, checked on its own: parsing only, so every source file
// can be held to it here in seconds (npm run lint runs it too, with the typed rules).
const root = projectRoot();
const eslint = new ESLint({ cwd: root });
const linter = new Linter({ configType: "flat" });

/** The messages the project's import restrictions give `source` as if it were the file at `path`. */
async function restrictedImports(path: string, source: string): Promise<string[]> {
  const config = (await eslint.calculateConfigForFile(path)) as { rules?: Record<string, unknown> };
  const rule = config.rules?.["no-restricted-imports"];
  if (rule === undefined) return [];
  const messages = linter.verify(
    source,
    [
      {
        files: ["**/*.ts"],
        languageOptions: { parser: tseslint.parser, sourceType: "module" },
        linterOptions: { reportUnusedDisableDirectives: "off" },
        rules: { "no-restricted-imports": rule as Linter.RuleEntry },
      },
    ],
    { filename: join(root, path) },
  );
  // Directives in the file name rules this lone-rule config does not load: only the layer rule's findings count.
  return messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

const wrongImports: [file: string, source: string, rule: RegExp][] = [
  ["shared/aggregation/aggregateDocument.ts", `import type { WeeklyStatsTable } from "../storage/weeklyStatsTable";`, /may not import shared\/storage/],
  ["shared/publishing/publishWeek.ts", `import { WeeklyDimensionsTable } from "../storage/weeklyDimensionsTable";`, /may not import shared\/storage/],
  ["shared/query/versionStats.ts", `export { rowKeys } from "../storage/weeklyStatsTable";`, /may not import shared\/storage/],
  ["shared/validation/semanticRules.ts", `import "../storage/storageClients";`, /may not import shared\/storage/],
  ["shared/services.ts", `import { triggers } from "../functions/triggers";`, /shared\/ is below/],
  ["shared/storage/rawArchive.ts", `import { startAzurite } from "../../local/azurite";`, /shared\/ is below/],
  ["shared/ingestion/submitBatch.ts", `import { pause } from "../../test/support/pause";`, /shared\/ is below/],
  ["bench/run.ts", `import { makeUsageDocument } from "../test/support/usageDocuments";`, /never through test/],
  ["scripts/simulator/generateFleet.ts", `import type { X } from "../../test/support/x";`, /never through test/],
  ["devkit/usageDocuments.ts", `import { freshDocument } from "../test/support/freshDocument";`, /never through test/],
  ["shared/aggregation/weekStats.ts", `import { makeUsageDocument } from "../../devkit/usageDocuments";`, /shared\/ is below/],
  ["functions/health.ts", `import { startLocalRuntime } from "../local/localRuntime";`, /functions\/ runs on the Functions host/],
];

test("a deliberate wrong import in each layer is an error", async () => {
  for (const [file, source, rule] of wrongImports) {
    const messages = await restrictedImports(file, source);
    assert.equal(messages.length, 1, `${file}: ${source} gave ${JSON.stringify(messages)}`);
    assert.match(messages[0]!, rule);
  }
});

test("the imports each layer may make are not flagged", async () => {
  const allowed: [string, string][] = [
    ["shared/storage/weeklyStatsTable.ts", `import type { WeekSnapshot } from "../aggregation/weekSnapshot";`],
    ["shared/aggregation/aggregateDocument.ts", `import { isoWeekOf } from "../isoWeek";`],
    ["functions/statsVersions.ts", `import { toVersionStats } from "../shared/query/versionStats";`],
    ["test/shared/storage/x.test.ts", `import { WeeklyStatsTable } from "../../../shared/storage/weeklyStatsTable";`],
    ["local/start.ts", `import { triggers } from "../functions/triggers";`],
  ];
  for (const [file, source] of allowed) assert.deepEqual(await restrictedImports(file, source), [], `${file}: ${source}`);
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

test("every source file keeps to the layers", async () => {
  const broken: string[] = [];
  for (const folder of ["functions", "shared", "bench", "scripts", "devkit"]) {
    for (const path of sourceFiles(join(root, folder))) {
      const file = relative(root, path);
      for (const message of await restrictedImports(file, readFileSync(path, "utf8"))) broken.push(`${file}: ${message}`);
    }
  }
  assert.deepEqual(broken, []);
});
