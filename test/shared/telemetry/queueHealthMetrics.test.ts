import assert from "node:assert/strict";
import { test } from "node:test";
import { monitoringSettings } from "../../../shared/config";
import { createTelemetry } from "../../../shared/telemetry/telemetry";
import { startIngestionStandIn } from "../../support/ingestionStandIn";

test("with a connection string, a queue health reading reaches Application Insights as one custom metric per figure", async () => {
  // The stand-in for the ingestion endpoint has a self-signed test certificate.
  process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
  process.env["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true";
  const standIn = await startIngestionStandIn();
  const { received } = standIn;
  try {
    const telemetry = createTelemetry(standIn.connectionString);
    telemetry.recordQueueHealth({ ingestMessages: 3, ingestOldestAgeSeconds: 1000, poisonMessages: 2, rebuildLocks: 1, oldestRebuildLockAgeSeconds: 7200 }, () => undefined);
    telemetry.recordAggregationLag(12.5);
    await telemetry.flush();
    const names = [...Object.values(monitoringSettings.queueHealthMetrics), monitoringSettings.aggregationLagMetric];
    const all = (): string => received.join("\n");
    await standIn.waitFor((text) => names.every((name) => text.includes(name)));
    for (const name of names) assert.ok(all().includes(`"${name}"`), `${name} did not arrive; got ${all().slice(0, 500)}`);
    assert.match(all(), /"PoisonQueueMessages"[^}]*"value":2\b|"value":2\b[^}]*"PoisonQueueMessages"/);
    await telemetry.shutdown();
  } finally {
    standIn.close();
  }
});
