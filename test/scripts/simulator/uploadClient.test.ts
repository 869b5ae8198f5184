import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { after, before, test } from "node:test";
import { parseRetryAfter, UploadClient, type UploadClientOptions } from "../../../scripts/simulator/uploadClient";
import { makeUsageDocument } from "../../../devkit/usageDocuments";

/** A stand-in receiver that answers from a script of replies, keeping every request's path and body. */
type Reply = { status: number; headers?: Record<string, string>; body?: unknown } | "hang";
let script: Reply[] = [];
const seen: { path: string; body: Buffer }[] = [];
let url = "";
const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  const chunks: Buffer[] = [];
  request.on("data", (c: Buffer) => chunks.push(c));
  request.on("end", () => {
    seen.push({ path: request.url ?? "", body: Buffer.concat(chunks) });
    const reply = script.shift() ?? { status: 500 };
    if (reply === "hang") return;
    response.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    response.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  });
});
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(waits: number[], options: Partial<UploadClientOptions> = {}): UploadClient {
  seen.length = 0;
  return new UploadClient({ url, ingestKey: "k", random: () => 0.5, sleep: async (ms) => void waits.push(ms), ...options });
}

test("a 503 and a 429 are retried under the same docId after the server's Retry-After", async () => {
  const waits: number[] = [];
  const doc = makeUsageDocument();
  script = [{ status: 503, headers: { "retry-after": "3" } }, { status: 429, headers: { "retry-after": "7" } }, { status: 202, body: { status: "accepted" } }];
  const result = await client(waits).sendDocument(doc);
  assert.deepEqual(result, { docId: doc.docId, outcome: "accepted", attempts: 3 });
  assert.deepEqual(waits, [3000, 7000]);
  assert.deepEqual(new Set(seen.map((s) => s.path)), new Set([`/api/v1/submit/usage/1/${doc.docId}`]));
  assert.ok(seen.every((s) => s.body.equals(seen[0]!.body)), "the same bytes every time");
});

test("a timeout is retried with back-off, and the retry's duplicate counts as the document's answer", async () => {
  const waits: number[] = [];
  const doc = makeUsageDocument();
  script = ["hang", { status: 200, body: { status: "duplicate" } }];
  const result = await client(waits, { timeoutMs: 200 }).sendDocument(doc);
  assert.equal(result.outcome, "duplicate");
  assert.equal(result.attempts, 2);
  assert.equal(waits.length, 1);
  assert.ok(waits[0]! > 0, "backed off before the retry");
});

test("a Retry-After beyond the longest wait, and a 400, are not retried", async () => {
  script = [{ status: 429, headers: { "retry-after": "3600" } }];
  assert.equal((await client([], { maxRetryWaitMs: 60_000 }).sendDocument(makeUsageDocument())).outcome, "rate_limited");
  script = [{ status: 400, body: { errors: [] } }];
  assert.deepEqual((await client([]).sendDocument(makeUsageDocument())).attempts, 1);
});

test("a batch goes gzipped; a 503 sends it whole again, rate-limited lines go again alone after their wait", async () => {
  const waits: number[] = [];
  const docs = [makeUsageDocument(), makeUsageDocument(), makeUsageDocument()];
  script = [
    { status: 503, headers: { "retry-after": "2" } },
    { status: 200, body: { results: [{ line: 1, status: "accepted" }, { line: 2, status: "rate_limited", retryAfterSeconds: 5 }, { line: 3, status: "duplicate" }] } },
    { status: 200, body: { results: [{ line: 1, status: "accepted" }] } },
  ];
  const results = await client(waits).sendBatch(docs);
  assert.deepEqual(results.map((r) => r.outcome), ["accepted", "accepted", "duplicate"]);
  assert.deepEqual(waits, [2000, 5000]);
  const lines = seen.map((s) => gunzipSync(s.body).toString("utf8").split("\n").map((l) => (JSON.parse(l) as { docId: string }).docId));
  assert.deepEqual(lines, [docs.map((d) => d.docId), docs.map((d) => d.docId), [docs[1]!.docId]]);
});

test("Retry-After is delta-seconds or an HTTP date", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  assert.equal(parseRetryAfter("30", now), 30_000);
  assert.equal(parseRetryAfter("Wed, 25 Nov 2026 12:00:10 GMT", now), 10_000);
  assert.equal(parseRetryAfter(null, now), undefined);
  assert.equal(parseRetryAfter("soon", now), undefined);
});
