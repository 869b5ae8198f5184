import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { createServer } from "node:https";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { test } from "node:test";
import { projectRoot } from "../../../local/hostSettings";
import { createTelemetry, Telemetry } from "../../../shared/telemetry/telemetry";

const tls = join(projectRoot(), "test/fixtures/tls");

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
}

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
  // The SDK sends to the ingestion endpoint over HTTPS only: a local HTTPS server with a
  // self-signed test certificate stands in for it, and this test process trusts it.
  process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
  process.env["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true";
  const received: string[] = [];
  const options = { key: readFileSync(join(tls, "localhost-test.key")), cert: readFileSync(join(tls, "localhost-test.crt")) };
  const server = createServer(options, (req, res) => {
    void bodyOf(req).then((body) => {
      received.push(`${req.url ?? ""} ${body}`);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ itemsReceived: 1, itemsAccepted: 1, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const telemetry = createTelemetry(`InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=http://127.0.0.1:${port}/`);
    telemetry.recordOutcome({ outcome: "rate_limited", route: "submit", status: 429, docId: "d1" }, () => undefined);
    await telemetry.flush();
    const deadline = Date.now() + 15_000;
    while (!received.some((r) => r.includes("UsageSubmission")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const event = received.find((r) => r.includes("UsageSubmission"));
    assert.ok(event, `no event arrived; got ${received.length} request(s): ${received.join("\n").slice(0, 500)}`);
    assert.match(event, /"outcome":"rate_limited"/);
    assert.match(event, /"status":"429"/);
    await telemetry.shutdown();
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
