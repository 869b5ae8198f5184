import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, afterEach, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { limits, storageNames } from "../../shared/config";
import { batchParseCost } from "../../shared/ingestion/batchParseCost";
import { dumpStorage, listBlobNames } from "../support/storageScan";
import { post, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { freshDocument } from "../support/freshDocument";

const NDJSON = { "content-type": "application/x-ndjson" };

function envelope(document: Record<string, unknown>): string {
  return JSON.stringify({ docType: "usage", docVersion: 1, docId: document["docId"], document });
}

describe("the memory budget at the submission routes, against Azurite", () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime({ RATE_LIMIT_PER_HOUR: "1000" }, { runQueueTriggers: false });
  });
  after(async () => t.close());
  afterEach(() => {
    // Whatever a request did, it gave back all it reserved.
    assert.equal(t.runtime.services.memoryBudget.bytesInUse, 0);
  });

  /** Stands for other requests in flight: holds all but `free` bytes of the instance's budget. */
  function holdAllBut(free: number): { release(): void } {
    const others = t.runtime.services.memoryBudget.lease();
    others.reserve(limits.maxInFlightBytes - free);
    return others;
  }

  test("a tiny gzip body of too many values, or too deep, is a 400 at path \"\" and is not kept among rejected documents", async () => {
    const tooMany = gzipSync(`[${"{},".repeat(limits.maxJsonValues)}{}]`);
    const tooDeep = gzipSync("[".repeat(limits.maxJsonDepth + 1) + "]".repeat(limits.maxJsonDepth + 1));
    for (const [body, message] of [
      [tooMany, `more than ${limits.maxJsonValues} JSON values`],
      [tooDeep, `nested more than ${limits.maxJsonDepth} levels deep`],
    ] as const) {
      const response = await post(t.url, submitPath(randomUUID()), body, { "content-encoding": "gzip" });
      assert.equal(response.status, 400);
      assert.equal(response.json["type"], "/problems/invalid-document");
      assert.deepEqual(response.json["errors"], [{ path: "", message }]);
    }
    assert.deepEqual(await listBlobNames(t.azurite.connectionString, storageNames.rejectedContainer), []);
  });

  test("a submission the budget cannot take is a 503 with Retry-After, nothing is stored, and it is accepted once others are done", async () => {
    const doc = freshDocument();
    const before = await dumpStorage(t.azurite.connectionString);
    const others = holdAllBut(1024); // less than the document and its parse
    try {
      const refused = await post(t.url, submitPath(String(doc["docId"])), JSON.stringify(doc));
      assert.equal(refused.status, 503);
      assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
      assert.equal(refused.json["type"], "/problems/instance-busy");
      assert.equal(refused.json["docId"], doc["docId"]);
    } finally {
      others.release();
    }
    assert.deepEqual(await dumpStorage(t.azurite.connectionString), before);
    assert.equal((await post(t.url, submitPath(String(doc["docId"])), JSON.stringify(doc))).status, 202);
  });

  test("a batch whose lines the budget cannot take is a 503 before any line is stored, and is judged once others are done", async () => {
    const body = Buffer.from([freshDocument(), freshDocument(), freshDocument()].map(envelope).join("\n"));
    const before = await dumpStorage(t.azurite.connectionString);
    // Room for reading the body (its chunks and their copy), not for parsing its lines.
    const others = holdAllBut(2 * body.length + batchParseCost(body) - 1);
    try {
      const refused = await post(t.url, "/api/v1/batch", body, NDJSON);
      assert.equal(refused.status, 503);
      assert.match(refused.headers.get("retry-after") ?? "", /^\d+$/);
      assert.equal(refused.json["type"], "/problems/instance-busy");
    } finally {
      others.release();
    }
    assert.deepEqual(await dumpStorage(t.azurite.connectionString), before);
    const judged = await post(t.url, "/api/v1/batch", body, NDJSON);
    assert.equal(judged.status, 200);
    assert.equal(judged.json["accepted"], 3);
  });
});
