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

  test("the alert rules load the five alert queries and the workbook the four chart queries", () => {
    const [alerts, workbook] = modules.map((m) => loaded(m.text).sort());
    assert.deepEqual(alerts, ["oldestIngestMessage.kql", "poisonMessages.kql", "queueHealthHeartbeat.kql", "rebuildLockAge.kql", "serverErrors.kql"]);
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
    for (const name of recorded.filter((n) => n !== "RebuildLocks")) assert.ok(read.has(name), `no query reads ${name}`);
  });

  test("queries over customMetrics read the per-minute aggregates the SDK sends, never `value` nor a percentile of it", () => {
    // trackMetric records into an OpenTelemetry histogram: each row is one export interval,
    // `value` the sum of its readings (test/shared/telemetry/queueHealthMetrics.test.ts).
    const metricQueries = queryFiles.filter((file) => readFileSync(join(queryDir, file), "utf8").includes("customMetrics"));
    assert.ok(metricQueries.length >= 5, metricQueries.join(", "));
    for (const file of metricQueries) {
      const query = withoutComments(readFileSync(join(queryDir, file), "utf8"));
      assert.doesNotMatch(query, /\bvalue\b/, `${file} reads value, the sum of a minute's readings`);
      assert.doesNotMatch(query, /percentile\w*\(\s*value(Sum|Max|Min)?\b/, `${file} takes a percentile of per-minute aggregates`);
      assert.match(query, /\bvalue(Max|Sum|Count)\b/, `${file} reads none of valueMax, valueSum, valueCount`);
    }
  });

  test("a heartbeat rule fires when the queueHealth timer's readings stop arriving", () => {
    const heartbeat = alertRules().find((rule) => rule.includes("queueHealthHeartbeat.kql"));
    assert.ok(heartbeat !== undefined, "no alert rule loads queueHealthHeartbeat.kql");
    assert.match(heartbeat, /timeAggregation: 'Count'/);
    assert.match(heartbeat, /operator: 'LessThan'/);
    assert.match(heartbeat, /threshold: 1\b/);
    const query = withoutComments(readFileSync(join(queryDir, "queueHealthHeartbeat.kql"), "utf8"));
    // A metric the timer records on every run, whatever the queues hold; no filter on its value.
    const names = [...query.matchAll(/\bname == "([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(names, [monitoringSettings.queueHealthMetrics.ingestMessages]);
    assert.doesNotMatch(query, /\|\s*where\s+(?!name ==)/, "the heartbeat must count every reading");
  });

  test("every other rule fires on a value above its threshold", () => {
    const others = alertRules().filter((rule) => !rule.includes("queueHealthHeartbeat.kql"));
    assert.equal(others.length, 4);
    for (const rule of others) assert.match(rule, /operator: 'GreaterThan'/, rule);
  });
});

/** A query without its `//` comment lines, which may name what the query must not read. */
function withoutComments(query: string): string {
  return query
    .split("\n")
    .filter((line) => !line.trim().startsWith("//"))
    .join("\n");
}

/** The entries of the `rules` array of infra/modules/alerts.bicep, as source text. */
function alertRules(): string[] {
  const alerts = modules.find((m) => m.name === "alerts.bicep")?.text ?? "";
  const list = /^var rules = \[\n([\s\S]*?)^\]$/m.exec(alerts)?.[1] ?? "";
  return list.split(/^ {2}\{$/m).filter((entry) => entry.trim() !== "");
}
