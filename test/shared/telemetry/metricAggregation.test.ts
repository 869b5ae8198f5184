/**
 * What the Application Insights SDK (v3) really sends for trackMetric, which the queries in
 * infra/monitoring rely on: not one row per reading but one aggregate per export interval.
 * In a process of its own: the SDK is set up once per process.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { monitoringSettings } from "../../../shared/config";
import { createTelemetry } from "../../../shared/telemetry/telemetry";
import { startIngestionStandIn } from "../../support/ingestionStandIn";

/** The metric data points of `name` among what the stand-in received (one per export interval). */
function dataPoints(received: readonly string[], name: string): Record<string, unknown>[] {
  return received.flatMap((request) => {
    const body = request.slice(request.indexOf(" ") + 1);
    const items = body
      .split("\n")
      .filter((line) => line.trim() !== "")
      .flatMap((line) => JSON.parse(line) as unknown as unknown[]);
    return items.flatMap((item) => {
      const metrics = (item as { data?: { baseData?: { metrics?: Record<string, unknown>[] } } }).data?.baseData?.metrics ?? [];
      return metrics.filter((metric) => metric["name"] === name);
    });
  });
}

test("trackMetric sends a minute's readings as one aggregate: value is their sum, with count, min and max (what infra/monitoring reads)", async () => {
  process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
  process.env["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true";
  const standIn = await startIngestionStandIn();
  try {
    const telemetry = createTelemetry(standIn.connectionString);
    for (const seconds of [10, 20, 30]) telemetry.recordAggregationLag(seconds);
    await telemetry.flush();
    const name = monitoringSettings.aggregationLagMetric;
    await standIn.waitFor(() => dataPoints(standIn.received, name).length > 0);
    assert.deepEqual(
      dataPoints(standIn.received, name).map(({ value, count, min, max }) => ({ value, count, min, max })),
      [{ value: 60, count: 3, min: 10, max: 30 }],
    );
    await telemetry.shutdown();
  } finally {
    standIn.close();
  }
});
