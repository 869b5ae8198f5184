/**
 * The alert rules, the workbook and docs/operations.md share one copy of each query:
 * infra/monitoring/*.kql. These checks hold them together, and hold the metric names the
 * queries read to the ones the code records (shared/config.ts, monitoringSettings).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { projectRoot } from "../../local/hostSettings";
import { monitoringSettings } from "../../shared/config";

const root = projectRoot();
const queryDir = join(root, "infra", "monitoring");
const queryFiles = readdirSync(queryDir).filter((f) => f.endsWith(".kql")).sort();
const modules = ["alerts.bicep", "workbook.bicep"].map((name) => ({ name, text: readFileSync(join(root, "infra", "modules", name), "utf8") }));
const loaded = (text: string): string[] => [...text.matchAll(/loadTextContent\('\.\.\/monitoring\/([^']+)'\)/g)].map((m) => m[1]!);

describe("infra/monitoring/*.kql, the one copy of each query", () => {
  test("there are queries, and every one is loaded by a module and every load names one", () => {
    assert.ok(queryFiles.length >= 8, queryFiles.join(", "));
    const all = modules.flatMap((m) => loaded(m.text));
    for (const file of queryFiles) assert.ok(all.includes(file), `${file} is loaded by no module`);
    for (const file of all) assert.ok(queryFiles.includes(file), `a module loads ${file}, which does not exist`);
  });

  test("the alert rules load the four alert queries and the workbook the four chart queries", () => {
    const [alerts, workbook] = modules.map((m) => loaded(m.text).sort());
    assert.deepEqual(alerts, ["oldestIngestMessage.kql", "poisonMessages.kql", "rebuildLockAge.kql", "serverErrors.kql"]);
    assert.deepEqual(workbook, ["aggregationLag.kql", "ingestLatency.kql", "outcomesPerDay.kql", "poisonCount.kql"]);
  });

  test("no module writes a query of its own", () => {
    for (const { name, text } of modules) {
      for (const match of text.matchAll(/^\s*query:\s*(.+)$/gm)) {
        assert.match(match[1]!, /^(loadTextContent\(|rule\.query|chart\.query)/, `${name}: query: ${match[1]!}`);
      }
    }
  });

  test("docs/operations.md links every query file", () => {
    const docs = readFileSync(join(root, "docs", "operations.md"), "utf8");
    for (const file of queryFiles) assert.ok(docs.includes(`(../infra/monitoring/${file})`), `docs/operations.md does not link ${file}`);
  });

  test("the metrics the queries read are those the code records, and every recorded metric is read", () => {
    const recorded: string[] = [...Object.values(monitoringSettings.queueHealthMetrics), monitoringSettings.aggregationLagMetric];
    const read = new Set(queryFiles.flatMap((file) => [...readFileSync(join(queryDir, file), "utf8").matchAll(/\bname == "([^"]+)"/g)].map((m) => m[1]!)));
    read.delete("UsageSubmission");
    for (const name of read) assert.ok(recorded.includes(name), `a query reads metric ${name}, which nothing records`);
    for (const name of recorded.filter((n) => n !== "IngestQueueMessages" && n !== "RebuildLocks")) assert.ok(read.has(name), `no query reads ${name}`);
  });
});
