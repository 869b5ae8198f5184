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
