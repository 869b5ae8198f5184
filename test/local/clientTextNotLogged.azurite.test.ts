import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { startIngestionStandIn, type IngestionStandIn } from "../support/ingestionStandIn";
import { INGEST_KEY, QUERY_KEY, post, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { makeUsageDocument } from "../../devkit/usageDocuments";

/*
 * Contract section 2: nothing a client chose (invented property names, strings, keys)
 * reaches logs or telemetry, except the path's docType, docVersion and a UUID docId. Real
 * requests go to the local runtime with Application Insights pointed at a local stand-in;
 * then every log line and everything the stand-in received is searched.
 */

/** Client-chosen text that must never be written anywhere but the response. */
const INVENTED = "jane.doe@contoso.com";
const WRONG_KEY = "wrong-key-0f3c9a";
const STRAY_KEY = "stray-key-7d41e2";

/** Sends raw bytes, for request targets no HTTP client would send, and returns the status line's code and the body. */
function sendRaw(url: string, head: string): Promise<{ status: number; text: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    socket.end(`${head}\r\nhost: localhost\r\nconnection: close\r\n\r\n`);
  });
}

/** POSTs JSON with the key in `?code=` (as `path` carries it), not in a header. */
async function postWithCode(url: string, path: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { status: response.status, text: await response.text() };
}

function documentWith(overrides: Record<string, unknown>): Record<string, unknown> {
  return { ...(makeUsageDocument() as unknown as Record<string, unknown>), docId: randomUUID(), ...overrides };
}

describe("keys and client text never reach logs or telemetry", () => {
  let standIn: IngestionStandIn;
  let t: TestRuntime;
  before(async () => {
    // The stand-in has a self-signed test certificate; statsbeat would report elsewhere.
    process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
    process.env["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true";
    standIn = await startIngestionStandIn();
    t = await startTestRuntime({ APPLICATIONINSIGHTS_CONNECTION_STRING: standIn.connectionString }, { runQueueTriggers: false });
    // The SDK instruments `http` when it is next required after the SDK started; in a worker
    // modules go on loading after that, so incoming requests may well be recorded there.
    // Requiring it here makes sure that this process is in that state too.
    await import("node:http");
  });
  after(async () => {
    await t.close();
    standIn.close();
  });

  test("a malformed request target is a 400 problem (its key is looked for in the logs below)", async () => {
    const answer = await sendRaw(t.url, `GET //[?code=${STRAY_KEY} HTTP/1.1`);
    assert.equal(answer.status, 400, answer.text);
    assert.match(answer.text, /content-type: application\/problem\+json/i);
    assert.match(answer.text, /"type":"\/problems\/invalid-parameter"/);
  });

  test("invented names are answered in the response but logged as placeholders", async () => {
    const base = makeUsageDocument() as unknown as Record<string, unknown>;
    const clients = base["clients"] as Record<string, unknown>;
    const byOs = clients["byOs"] as Record<string, number>;
    const [firstOs, count] = Object.entries(byOs)[0]!;
    const longOs = `${"x".repeat(120)}${INVENTED}`;
    const documents = [
      // an undeclared property
      documentWith({ clients: { ...clients, [INVENTED]: 1 } }),
      // a map key the schema refuses (an OS name over 128 characters)
      documentWith({ clients: { ...clients, byOs: { ...Object.fromEntries(Object.entries(byOs).filter(([name]) => name !== firstOs)), [longOs]: count } } }),
      // a feature name that does not match the pattern
      documentWith({ features: { [INVENTED]: { enabled: true } } }),
    ];
    for (const document of documents) {
      const response = await postWithCode(t.url, `${submitPath(String(document["docId"]))}?code=${INGEST_KEY}`, JSON.stringify(document));
      assert.equal(response.status, 400, response.text);
      assert.ok(response.text.includes(INVENTED), "the response names what the client sent");
    }
    const line = JSON.stringify({ docType: "usage", docVersion: 1, docId: documents[0]!["docId"], document: documents[0] });
    const batch = await post(t.url, "/api/v1/batch", line, { "content-type": "application/x-ndjson" });
    assert.equal(batch.status, 200);
    const logged = t.logs.filter((entry) => entry.includes('"event":"submission"') && entry.includes('"errorPaths"')).join("\n");
    assert.match(logged, /"\/clients\/\{unknown\}"/);
    assert.match(logged, /"\/clients\/byOs\/\{key\}"/);
    assert.match(logged, /"\/features\/\{key\}"/);
  });

  test("requests with client text in the path and keys in the query are answered as usual", async () => {
    const notUuid = await postWithCode(t.url, `/api/v1/submit/usage/1/${INVENTED}?code=${INGEST_KEY}`, "{}");
    assert.equal(notUuid.status, 400);
    const unknownRoute = await fetch(`${t.url}/api/${INVENTED}?code=${QUERY_KEY}`);
    assert.equal(unknownRoute.status, 404);
    const wrongKey = await postWithCode(t.url, `${submitPath(randomUUID())}?code=${WRONG_KEY}`, "{}");
    assert.equal(wrongKey.status, 401);
    const stats = await fetch(`${t.url}/api/v1/stats/versions?week=2026-W47&code=${QUERY_KEY}`);
    assert.equal(stats.status, 200);
  });

  const needles = [INGEST_KEY, QUERY_KEY, WRONG_KEY, STRAY_KEY, INVENTED, "contoso"];

  test("after all of the above, no log line holds a key or an invented name", () => {
    for (const needle of needles) {
      const holding = t.logs.filter((line) => line.includes(needle));
      assert.deepEqual(holding, [], `log lines hold ${needle}`);
    }
  });

  test("after all of the above, nothing sent to Application Insights holds a key or an invented name", async () => {
    await t.runtime.services.telemetry.flush();
    const events = (): number => standIn.received.join("").split("UsageSubmission").length - 1;
    // Three invalid documents, a batch line and the docId that is not a UUID.
    await standIn.waitFor(() => events() >= 5);
    assert.ok(events() >= 5, `telemetry did not arrive: ${standIn.received.length} request(s)`);
    const telemetry = standIn.received.join("\n");
    for (const needle of needles) {
      const at = telemetry.indexOf(needle);
      assert.ok(at === -1, `telemetry holds ${needle}:\n${telemetry.slice(Math.max(0, at - 300), at + 100)}`);
    }
  });
});
