import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { storageNames } from "../../shared/config";
import { projectRoot } from "../../local/hostSettings";
import { dumpStorage, listBlobNames } from "../support/storageScan";
import { post, startTestRuntime, type TestRuntime } from "../support/testRuntime";
import { freshDocument } from "../support/freshDocument";
import { base64Sha256Of } from "../../devkit/usageDocuments";

const NDJSON = { "content-type": "application/x-ndjson" };
const offlineBatch = readFileSync(join(projectRoot(), "test/fixtures/batch/offline-batch.ndjson"));

function envelope(document: Record<string, unknown>, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ docType: "usage", docVersion: 1, docId: document["docId"], document, ...overrides });
}

interface BatchJson {
  accepted: number;
  duplicate: number;
  rejected: number;
  results: { line: number; docId?: string; status: string; errors?: { path: string }[]; retryAfterSeconds?: number }[];
}

describe("POST /api/v1/batch against Azurite", () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime({}, { runQueueTriggers: false });
  });
  after(async () => t.close());

  test("an offline upload of four weeks is accepted, and again is four duplicates", async () => {
    const first = await post(t.url, "/api/v1/batch", offlineBatch, NDJSON);
    assert.equal(first.status, 200);
    const json = first.json as unknown as BatchJson;
    assert.deepEqual([json.accepted, json.duplicate, json.rejected], [4, 0, 0]);
    assert.deepEqual(json.results.map((r) => [r.line, r.status]), [[1, "accepted"], [2, "accepted"], [3, "accepted"], [4, "accepted"]]);
    const again = (await post(t.url, "/api/v1/batch", gzipSync(offlineBatch), { ...NDJSON, "content-encoding": "gzip" })).json as unknown as BatchJson;
    assert.deepEqual([again.accepted, again.duplicate, again.rejected], [0, 4, 0]);
  });

  test("each line is judged alone: one bad line never fails the others", async () => {
    const good = freshDocument();
    const used = freshDocument();
    assert.equal((await post(t.url, "/api/v1/batch", envelope(used), NDJSON)).status, 200);
    const consent = freshDocument({ level: "basic", features: { cmPivot: { enabled: true } } });
    const clients = good["clients"] as Record<string, unknown>;
    const invalid = freshDocument({ clients: { ...clients, total: Number(clients["total"]) + 5 } });
    const lines = [
      envelope(good),
      "{not json",
      envelope(invalid),
      "",
      envelope({ ...used, collectedAt: "2026-10-05T00:00:00.000Z" }),
      envelope(consent),
      envelope(freshDocument(), { docType: "inventory" }),
      envelope(freshDocument(), { extra: true }),
    ].join("\n");
    const response = await post(t.url, "/api/v1/batch", lines, NDJSON);
    assert.equal(response.status, 200);
    const json = response.json as unknown as BatchJson;
    assert.deepEqual(
      json.results.map((r) => [r.line, r.status]),
      [[1, "accepted"], [2, "invalid"], [3, "invalid"], [5, "conflict"], [6, "invalid"], [7, "invalid"], [8, "invalid"]],
    );
    assert.deepEqual([json.accepted, json.duplicate, json.rejected], [1, 0, 6]);
    assert.ok(json.results[2]!.errors!.some((e) => e.path.startsWith("/clients")));
    const everything = (await dumpStorage(t.azurite.connectionString)).join("\n");
    assert.ok(!everything.includes(String(consent["docId"])), "the consent-violating line left a trace");
    assert.ok((await listBlobNames(t.azurite.connectionString, storageNames.rejectedContainer)).includes(`usage/v1/${String(invalid["docId"])}.json`));
  });

  test("a v1 and a v2 line of one docId: the first line is accepted and the other is a conflict, in either order", async () => {
    for (const order of [[1, 2], [2, 1]] as const) {
      const v1 = freshDocument();
      const twins = { 1: envelope(v1), 2: envelope({ ...v1, schemaVersion: 2 }, { docVersion: 2 }) };
      const response = await post(t.url, "/api/v1/batch", order.map((version) => twins[version]).join("\n"), NDJSON);
      assert.equal(response.status, 200);
      const json = response.json as unknown as BatchJson;
      assert.deepEqual(json.results.map((r) => [r.line, r.status]), [[1, "accepted"], [2, "conflict"]], `order v${order.join(", v")}`);
      assert.deepEqual([json.accepted, json.duplicate, json.rejected], [1, 0, 1]);
      const raw = await listBlobNames(t.azurite.connectionString, storageNames.rawContainer);
      assert.deepEqual(raw.filter((name) => name.includes(String(v1["docId"]))), [`usage/${String(v1["docId"])}.json`]);
    }
  });

  test("more than 500 lines is a 413 and nothing of it is stored", async () => {
    const docs = Array.from({ length: 501 }, () => freshDocument());
    const response = await post(t.url, "/api/v1/batch", docs.map((d) => envelope(d)).join("\n"), NDJSON);
    assert.equal(response.status, 413);
    const raw = await listBlobNames(t.azurite.connectionString, storageNames.rawContainer);
    assert.ok(!docs.some((d) => raw.includes(`usage/${String(d["docId"])}.json`)));
  });

  test("over 32 MiB decompressed is a 413", async () => {
    const response = await post(t.url, "/api/v1/batch", gzipSync(Buffer.alloc(33 * 1024 * 1024, 0x0a)), { ...NDJSON, "content-encoding": "gzip" });
    assert.equal(response.status, 413);
  });

  test("a batch needs the NDJSON media type", async () => {
    const response = await post(t.url, "/api/v1/batch", offlineBatch, { "content-type": "application/json" });
    assert.equal(response.status, 415);
  });
});

describe("POST /api/v1/batch over a hierarchy's rate limit", () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime({ RATE_LIMIT_PER_HOUR: "2" }, { runQueueTriggers: false });
  });
  after(async () => t.close());

  test("a line over its hierarchy's limit is rate_limited, counted as rejected and not stored; the others go on, and the batch is a 200", async () => {
    const busy = base64Sha256Of("busy offline hierarchy");
    const docs = [freshDocument({ hierarchyId: busy }), freshDocument({ hierarchyId: busy }), freshDocument({ hierarchyId: busy }), freshDocument()];
    const before = t.runtime.services.telemetry.outcomeCounts();
    const response = await post(t.url, "/api/v1/batch", docs.map((d) => envelope(d)).join("\n"), NDJSON);
    assert.equal(response.status, 200);
    const json = response.json as unknown as BatchJson;
    assert.deepEqual(json.results.map((r) => [r.line, r.docId]), docs.map((d, index) => [index + 1, d["docId"]]));
    // Lines are judged a few at a time, so which of the busy hierarchy's three lines is the one over its limit is not fixed.
    assert.deepEqual(json.results.slice(0, 3).map((r) => r.status).sort(), ["accepted", "accepted", "rate_limited"]);
    assert.equal(json.results[3]!.status, "accepted", "another hierarchy's line goes on");
    assert.deepEqual([json.accepted, json.duplicate, json.rejected], [3, 0, 1]);
    const limited = json.results.find((r) => r.status === "rate_limited")!;
    assert.ok(limited.retryAfterSeconds! > 0 && limited.retryAfterSeconds! <= 3600, `retryAfterSeconds ${limited.retryAfterSeconds}`);
    const raw = await listBlobNames(t.azurite.connectionString, storageNames.rawContainer);
    assert.ok(!raw.includes(`usage/${String(limited.docId)}.json`), "the limited line was stored");
    assert.equal(t.runtime.services.telemetry.outcomeCounts().rate_limited - before.rate_limited, 1);
    assert.ok(t.logs.some((line) => line.includes('"outcome":"rate_limited"') && line.includes('"status":429') && line.includes(`"batchLine":${limited.line}`)));
  });
});
