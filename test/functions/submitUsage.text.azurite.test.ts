/**
 * Contract section 3's newer rules, through the submission routes on Azurite: names that are
 * not well-formed Unicode (lone surrogates, U+0000, sent as JSON escapes) and entraJoined or
 * coManaged above clients.total are 400s with a path; such documents are invalid, not consent
 * violations, so they are kept among rejected documents; and none of their text reaches logs.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { storageNames } from "../../shared/config";
import { listBlobNames } from "../support/storageScan";
import { post, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import type { UsageV1 } from "../../shared/validation/usageV1";
import { makeUsageDocument } from "../../devkit/usageDocuments";

/** A typical document under a fresh docId whose clients are reported under `names` (the total split over them). */
function documentWithOsNames(names: readonly string[]): UsageV1 {
  const document = { ...makeUsageDocument({ level: "basic" }), docId: randomUUID() };
  const share = Math.floor(document.clients.total / names.length);
  const byOs = Object.fromEntries(names.map((name, i) => [name, i === 0 ? document.clients.total - share * (names.length - 1) : share]));
  return { ...document, clients: { ...document.clients, byOs } };
}

describe("POST /api/v1/submit and /api/v1/batch: well-formed names and client shares", () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime({ RATE_LIMIT_PER_HOUR: "1000" }, { runQueueTriggers: false });
  });
  after(async () => t.close());

  const keptErrors = async (docId: string): Promise<{ path: string }[]> => {
    assert.ok((await listBlobNames(t.azurite.connectionString, storageNames.rejectedContainer)).includes(`usage/v1/${docId}.json`), "kept among rejected documents");
    assert.ok(!(await listBlobNames(t.azurite.connectionString, storageNames.rawContainer)).includes(`usage/${docId}.json`), "not in the raw archive");
    const container = t.runtime.services.clients.blobService.getContainerClient(storageNames.rejectedContainer);
    const kept = JSON.parse((await container.getBlockBlobClient(`usage/v1/${docId}.json`).downloadToBuffer()).toString("utf8")) as { errors: { path: string }[] };
    return kept.errors;
  };

  test('OS names "\\ud800" and "\\ud801", sent as JSON escapes, are a 400 at each name; kept for replay; nothing of them in logs', async () => {
    const marker = "Lone Surrogate Trap OS";
    const document = documentWithOsNames(["Windows 11 24H2", `${marker} \ud800`, "\ud801"]);
    const text = JSON.stringify(document);
    // JSON.stringify writes a lone surrogate as an escape: the body is plain, valid UTF-8.
    assert.ok(text.includes("\\ud800") && text.includes("\\ud801") && Buffer.from(text).toString("utf8") === text);
    const logsBefore = t.logs.length;
    const response = await post(t.url, submitPath(document.docId), text);
    assert.equal(response.status, 400, JSON.stringify(response.json));
    const expected = [`/clients/byOs/${marker} \ud800`, "/clients/byOs/\ud801"];
    assert.deepEqual((response.json["errors"] as { path: string }[]).map((e) => e.path), expected);
    assert.deepEqual((await keptErrors(document.docId)).map((e) => e.path), expected);

    // The outcome is logged with the error paths' map keys redacted (shared/telemetry).
    const logs = t.logs.slice(logsBefore).join("\n");
    assert.ok(logs.includes('"outcome":"invalid"'), `the outcome was not logged: ${logs}`);
    for (const needle of [marker, "\ud800", "\ud801", "\\ud800", "\\ud801", "ud80"]) assert.ok(!logs.includes(needle), `logs hold ${JSON.stringify(needle)}: ${JSON.stringify(logs.split("\n").filter((line) => line.includes(needle)))}`);
  });

  test("U+0000 in an OS name is a 400 at that name, on the submit and the batch route", async () => {
    const name = "Windows\u0000 10 22H2";
    const document = documentWithOsNames(["Windows 11 24H2", name]);
    const response = await post(t.url, submitPath(document.docId), JSON.stringify(document));
    assert.equal(response.status, 400);
    assert.deepEqual((response.json["errors"] as { path: string }[]).map((e) => e.path), [`/clients/byOs/${name}`]);
    assert.deepEqual((await keptErrors(document.docId)).map((e) => e.path), [`/clients/byOs/${name}`]);

    const other = documentWithOsNames(["a/b~\u0000"]);
    const batch = await post(t.url, "/api/v1/batch", JSON.stringify({ docType: "usage", docVersion: 1, docId: other.docId, document: other }), {
      "content-type": "application/x-ndjson",
    });
    const [result] = batch.json["results"] as { status: string; errors?: { path: string }[] }[];
    assert.ok(result !== undefined, "one result line");
    assert.equal(result.status, "invalid");
    assert.deepEqual(result.errors?.map((e) => e.path), ["/clients/byOs/a~1b~0\u0000"]);
  });

  test("entraJoined or coManaged above clients.total is a 400 at that path; equal to it, a 202", async () => {
    for (const field of ["entraJoined", "coManaged"] as const) {
      const document = documentWithOsNames(["Windows 11 24H2"]);
      const over = { ...document, clients: { ...document.clients, entraJoined: 0, coManaged: 0, [field]: document.clients.total + 1 } };
      const response = await post(t.url, submitPath(over.docId), JSON.stringify(over));
      assert.equal(response.status, 400, field);
      assert.deepEqual((response.json["errors"] as { path: string }[]).map((e) => e.path), [`/clients/${field}`]);
      const equal = { ...document, docId: randomUUID(), clients: { ...document.clients, entraJoined: 0, coManaged: 0, [field]: document.clients.total } };
      assert.equal((await post(t.url, submitPath(equal.docId), JSON.stringify(equal))).status, 202, field);
    }
  });
});
