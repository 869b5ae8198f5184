import assert from "node:assert/strict";
import { test } from "node:test";
import { createTelemetry } from "../../../shared/telemetry/telemetry";
import { itemsOf, startIngestionStandIn, tracingStarted } from "../../support/ingestionStandIn";

test("no URL or message the telemetry SDK records carries a key, and incoming requests are not auto-collected", async () => {
  // The stand-in has a self-signed test certificate; statsbeat would report elsewhere.
  process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
  process.env["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true";
  // Every span kept: the default sampler keeps 5 traces a second, which would make what
  // arrives here a matter of timing.
  process.env["OTEL_TRACES_SAMPLER"] = "always_on";
  // As on Azure Functions: the SDK then describes the resource from the environment instead
  // of probing the VM metadata endpoint, which holds exports back until it times out.
  process.env["WEBSITE_SITE_NAME"] = "usage-receiver-test";
  process.env["FUNCTIONS_EXTENSION_VERSION"] = "~4";
  const standIn = await startIngestionStandIn();
  const telemetry = createTelemetry(standIn.connectionString);
  try {
    await tracingStarted();
    // What the SDK records of its own: messages and exceptions (through the logs API), and
    // calls out of this process (spans of the instrumented `http`, which it instruments when
    // `http` is next required after the SDK started, as it is in a worker that goes on
    // loading modules). A server in this process stands for the worker's HTTP stream
    // server, which the Functions host calls with the client's `?code=` in the URL.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { defaultClient } = require("applicationinsights") as typeof import("applicationinsights");
    defaultClient.trackTrace({ message: "GET /api/v1/submit/usage/1/x?CODE=key-in-trace failed" });
    defaultClient.trackException({ exception: new Error("fetch http://localhost/api?x=1&code=key-in-exception failed") });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const http = require("node:http") as typeof import("node:http");
    const server = http.createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as import("node:net").AddressInfo;
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve, reject) => {
        http.get(`http://127.0.0.1:${port}/api/health?code=key-in-url-${i}`, (res) => res.resume().on("end", resolve)).on("error", reject);
      });
    }
    server.close();

    await telemetry.flush();
    const arrived = (): boolean =>
      ["RemoteDependency", "Message", "Exception"].every((kind) => itemsOf(standIn.received, kind).length > 0);
    await standIn.waitFor(arrived);
    assert.ok(arrived(), `not every item arrived; got ${standIn.received.length} request(s): ${(standIn.received.join("").match(/"name":"Microsoft.ApplicationInsights.[A-Za-z]*"/g) ?? []).join(" ")}`);

    const everything = standIn.received.join("\n");
    const found = everything.search(/key-in-/);
    assert.ok(found === -1, `a key was recorded:\n${everything.slice(Math.max(0, found - 400), found + 60)}`);
    assert.match(JSON.stringify(itemsOf(standIn.received, "RemoteDependency")), /code=REDACTED/);
    assert.match(JSON.stringify(itemsOf(standIn.received, "Message")), /CODE=REDACTED/);
    // The Functions host records every request itself; a second copy from the worker is not wanted.
    assert.deepEqual(itemsOf(standIn.received, "Request"), [], "incoming requests were auto-collected");
  } finally {
    await telemetry.shutdown();
    standIn.close();
  }
});
