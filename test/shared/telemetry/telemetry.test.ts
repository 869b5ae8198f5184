import assert from "node:assert/strict";
import { test } from "node:test";
import { createTelemetry, Telemetry } from "../../../shared/telemetry/telemetry";
import { startIngestionStandIn } from "../../support/ingestionStandIn";
test("every outcome is one structured log line and a count, without an Application Insights connection", () => {
  const lines: string[] = [];
  const telemetry = new Telemetry(undefined);
  telemetry.recordOutcome({ outcome: "invalid", route: "submit", status: 400, docId: "x", errorPaths: ["/clients/total"] }, (l) => lines.push(l));
  telemetry.recordOutcome({ outcome: "accepted", route: "batch", status: 202, batchLine: 3 }, (l) => lines.push(l));
  assert.deepEqual(lines.map((l) => JSON.parse(l) as unknown), [
    { event: "submission", outcome: "invalid", route: "submit", status: 400, docId: "x", errorPaths: ["/clients/total"] },
    { event: "submission", outcome: "accepted", route: "batch", status: 202, batchLine: 3 },
  ]);
  const counts = telemetry.outcomeCounts();
  assert.equal(counts.invalid, 1);
  assert.equal(counts.accepted, 1);
  assert.equal(counts.conflict, 0);
});

test("with a connection string, outcomes reach Application Insights as UsageSubmission events", async () => {
  // The stand-in for the ingestion endpoint has a self-signed test certificate.
  process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
  process.env["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true";
  const standIn = await startIngestionStandIn();
  const { received } = standIn;
  try {
    const telemetry = createTelemetry(standIn.connectionString);
    telemetry.recordOutcome({ outcome: "rate_limited", route: "submit", status: 429, docId: "d1" }, () => undefined);
    await telemetry.flush();
    await standIn.waitFor((text) => text.includes("UsageSubmission"));
    const event = received.find((r) => r.includes("UsageSubmission"));
    assert.ok(event, `no event arrived; got ${received.length} request(s): ${received.join("\n").slice(0, 500)}`);
    assert.match(event, /"outcome":"rate_limited"/);
    assert.match(event, /"status":"429"/);
    await telemetry.shutdown();
  } finally {
    standIn.close();
  }
});
