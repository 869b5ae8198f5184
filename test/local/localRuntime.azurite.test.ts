import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { storageNames } from "../../shared/config";
import { listBlobNames } from "../support/storageScan";
import { post, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { makeUsageDocument } from "../../devkit/usageDocuments";

describe("two local runtimes in one process", () => {
  let first: TestRuntime;
  let second: TestRuntime;
  before(async () => {
    first = await startTestRuntime({}, { runQueueTriggers: false });
    second = await startTestRuntime({}, { runQueueTriggers: false });
  });
  after(async () => {
    await first.close();
    await second.close();
  });

  test("each answers from its own storage, whichever started last", async () => {
    const doc = { ...makeUsageDocument(), docId: randomUUID() };
    const blob = `usage/${doc.docId}.json`;
    const response = await post(first.url, submitPath(doc.docId), JSON.stringify(doc));
    assert.equal(response.status, 202);
    assert.ok((await listBlobNames(first.azurite.connectionString, storageNames.rawContainer)).includes(blob), "the first runtime's storage lacks the document");
    assert.ok(!(await listBlobNames(second.azurite.connectionString, storageNames.rawContainer)).includes(blob), "the document went to the second runtime's storage");
  });
});
