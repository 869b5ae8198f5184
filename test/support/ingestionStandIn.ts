import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { projectRoot } from "../../local/hostSettings";

export interface IngestionStandIn {
  /** An Application Insights connection string that sends here. */
  connectionString: string;
  /** Every request received, as `<url> <decompressed body>`. */
  received: string[];
  /** Resolves once `arrived(everything received so far)` holds, or after 15 s (the caller asserts what it needs). */
  waitFor(arrived: (all: string) => boolean): Promise<void>;
  close(): void;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (req.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
}

/**
 * A local HTTPS server standing in for the Application Insights ingestion endpoint: the SDK
 * sends over HTTPS only, so it has a self-signed test certificate, which the calling test
 * process must trust (`NODE_TLS_REJECT_UNAUTHORIZED=0`). Statsbeat, which reports to a
 * fixed global endpoint, should be off (`APPLICATIONINSIGHTS_STATSBEAT_DISABLED=true`).
 */
export async function startIngestionStandIn(): Promise<IngestionStandIn> {
  const tls = join(projectRoot(), "test/fixtures/tls");
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
  return {
    connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=http://127.0.0.1:${port}/`,
    received,
    async waitFor(arrived) {
      // The SDK exports on its own schedule after flush(); poll rather than guess a delay.
      const deadline = Date.now() + 15_000;
      while (!arrived(received.join("\n")) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    },
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Telemetry items of one kind (`Request`, `RemoteDependency`, `Message`, `Exception`) among what the stand-in received. */
export function itemsOf(received: readonly string[], kind: string): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (const entry of received) {
    const body = entry.slice(entry.indexOf(" ") + 1);
    if (!body.startsWith("[")) continue;
    for (const item of JSON.parse(body) as Record<string, unknown>[]) {
      if (item["name"] === `Microsoft.ApplicationInsights.${kind}`) items.push(item);
    }
  }
  return items;
}

/**
 * The SDK installs its tracer provider a moment after it starts; spans begun before are not
 * recorded. Waits (within a deadline) until a probe span is.
 */
export async function tracingStarted(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { trace } = require("@opentelemetry/api") as typeof import("@opentelemetry/api");
  const deadline = Date.now() + 15_000;
  for (;;) {
    const probe = trace.getTracer("test").startSpan("probe");
    const recording = probe.isRecording();
    probe.end();
    if (recording) return;
    if (Date.now() > deadline) throw new Error("the SDK never started recording spans");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
