import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { readConfig } from "../../../shared/config";
import { StorageUnavailableError } from "../../../shared/errors";
import { submitBatchLines } from "../../../shared/ingestion/submitBatchLines";
import { createServices, type Services } from "../../../shared/services";
import { ensureStorage } from "../../../shared/storage/ensureStorage";
import type { RawDocument } from "../../../shared/storage/rawArchive";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";
import { makeUsageDocument } from "../../../devkit/usageDocuments";

let azurite: EmbeddedAzurite;
let services: Services;

before(async () => {
  azurite = await startAzurite();
  services = createServices({ ...readConfig({}), storage: { kind: "connectionString", connectionString: azurite.connectionString } });
  await ensureStorage(services.clients);
});
after(async () => azurite.close());

test("a batch whose storage fails part-way answers only after every line in flight has finished", async () => {
  const docs = Array.from({ length: 30 }, () => makeUsageDocument());
  const body = Buffer.from(docs.map((document) => JSON.stringify({ docType: "usage", docVersion: 1, docId: document.docId, document })).join("\n"));
  let settled = false;
  const writesAfter: string[] = [];
  // The real archive, with an outage injected on the fifth document.
  const rawArchive = Object.create(services.rawArchive) as typeof services.rawArchive;
  rawArchive.put = async (doc: RawDocument) => {
    if (doc.docId === docs[4]!.docId) throw new StorageUnavailableError("injected outage");
    const response = await services.rawArchive.put(doc);
    if (settled) writesAfter.push(doc.docId);
    return response;
  };
  const outcomes: string[] = [];
  await assert.rejects(
    submitBatchLines(body, { ...services, rawArchive }, (_line, outcome) => outcomes.push(outcome)),
    StorageUnavailableError,
  );
  settled = true;
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.deepEqual(writesAfter, [], "lines were written after the batch had answered");
  assert.ok(outcomes.length < docs.length - 1, "no line should start after the failure");
  assert.ok(outcomes.every((o) => o === "accepted"));
});
