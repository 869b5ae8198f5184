/**
 * The rate limits of a submission (contract section 2, "Limits that protect the service"),
 * against Azurite: only valid documents spend a hierarchy's budget, keyed by their validated
 * hierarchyId; invalid ones share one budget of their own, over which they are still
 * answered 400 but no longer kept.
 */
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, test } from "node:test";
import { readConfig, storageNames } from "../../../shared/config";
import { ConsentError, RateLimitedError, ValidationError } from "../../../shared/errors";
import { RateLimiter } from "../../../shared/ingestion/rateLimiter";
import { submitDocument, type IngestionDeps, type Submission } from "../../../shared/ingestion/submitDocument";
import { createServices, type Services } from "../../../shared/services";
import { ensureStorage } from "../../../shared/storage/ensureStorage";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";
import { listBlobNames } from "../../support/storageScan";
import { base64Sha256Of, makeUsageDocument } from "../../../devkit/usageDocuments";

let azurite: EmbeddedAzurite;
let services: Services;

function submission(document: Record<string, unknown>): Submission {
  return { docType: "usage", docVersion: 1, docId: String(document["docId"]), document };
}

/** A document that fails the semantic rules (totals that do not add up), naming `hierarchyId`. */
function junk(hierarchyId: string): Record<string, unknown> {
  const document = makeUsageDocument({ docId: randomUUID() }) as unknown as Record<string, unknown>;
  const clients = document["clients"] as Record<string, unknown>;
  return { ...document, hierarchyId, clients: { ...clients, total: Number(clients["total"]) + 1 } };
}

function valid(hierarchyId: string): Record<string, unknown> {
  return makeUsageDocument({ docId: randomUUID(), hierarchyId }) as unknown as Record<string, unknown>;
}

async function keptCount(): Promise<number> {
  return (await listBlobNames(azurite.connectionString, storageNames.rejectedContainer)).length;
}

describe("submitDocument's rate limits against Azurite", () => {
  before(async () => {
    azurite = await startAzurite();
    services = createServices(readConfig({ AzureWebJobsStorage: azurite.connectionString }));
    await ensureStorage(services.clients);
  });
  after(async () => azurite.close());
  beforeEach(async () => {
    const rejected = services.clients.blobService.getContainerClient(storageNames.rejectedContainer);
    for await (const blob of rejected.listBlobsFlat()) await rejected.deleteBlob(blob.name);
  });

  function depsWith(limiter: RateLimiter): IngestionDeps {
    return { ...services, rateLimiter: limiter };
  }

  test("120 junk documents naming a victim's hierarchyId do not stop the victim's valid document", async () => {
    const victim = base64Sha256Of("victim hierarchy");
    const deps = depsWith(new RateLimiter(120));
    for (let i = 0; i < 120; i++) await assert.rejects(submitDocument(submission(junk(victim)), deps), ValidationError);
    const response = await submitDocument(submission(valid(victim)), deps);
    assert.equal(response.status, "accepted");
  });

  test("junk that names a new hierarchyId each time gets no fresh budget: invalid documents share one", async () => {
    const deps = depsWith(new RateLimiter(120, { invalidPerHour: 5 }));
    for (let i = 0; i < 12; i++) {
      const hierarchyId = i % 2 === 0 ? randomBytes(24).toString("base64") : `junk ${randomUUID()}`;
      await assert.rejects(submitDocument(submission(junk(hierarchyId)), deps), ValidationError);
    }
    assert.equal(await keptCount(), 5, "only the invalid documents within their budget are kept");
  });

  test("an invalid document over the budget is still answered 400 with its errors, and is not kept", async () => {
    const deps = depsWith(new RateLimiter(120, { invalidPerHour: 1 }));
    const first = junk(base64Sha256Of("a"));
    const second = junk(base64Sha256Of("b"));
    await assert.rejects(submitDocument(submission(first), deps), ValidationError);
    await assert.rejects(
      submitDocument(submission(second), deps),
      (error: unknown) => error instanceof ValidationError && error.errors.some((e) => e.path.startsWith("/clients")),
    );
    assert.deepEqual(await listBlobNames(azurite.connectionString, storageNames.rejectedContainer), [`usage/v1/${String(first["docId"])}.json`]);
  });

  test("consent violations spend no budget and are never kept", async () => {
    const deps = depsWith(new RateLimiter(1, { invalidPerHour: 1 }));
    const hierarchyId = base64Sha256Of("consent");
    for (let i = 0; i < 3; i++) {
      const document = { ...valid(hierarchyId), level: "basic", features: { cmPivot: { enabled: true } } };
      await assert.rejects(submitDocument(submission(document), deps), ConsentError);
    }
    assert.equal(await keptCount(), 0);
    assert.equal((await submitDocument(submission(valid(hierarchyId)), deps)).status, "accepted");
    await assert.rejects(submitDocument(submission(junk(hierarchyId)), deps), ValidationError);
    assert.equal(await keptCount(), 1, "the invalid budget was still whole");
  });

  test("valid documents spend their hierarchy's budget, duplicates too; over it they are refused before anything is stored", async () => {
    const deps = depsWith(new RateLimiter(2));
    const hierarchyId = base64Sha256Of("busy");
    const document = valid(hierarchyId);
    assert.equal((await submitDocument(submission(document), deps)).status, "accepted");
    assert.equal((await submitDocument(submission(document), deps)).status, "duplicate");
    const third = valid(hierarchyId);
    await assert.rejects(submitDocument(submission(third), deps), RateLimitedError);
    assert.ok(!(await services.rawArchive.exists(`usage/${String(third["docId"])}.json`)));
    assert.equal((await submitDocument(submission(valid(base64Sha256Of("quiet"))), deps)).status, "accepted");
  });

  test("without the rate limit (as replay submits), neither budget applies", async () => {
    const deps = depsWith(new RateLimiter(1, { invalidPerHour: 1 }));
    const hierarchyId = base64Sha256Of("replayed");
    for (let i = 0; i < 3; i++) {
      assert.equal((await submitDocument(submission(valid(hierarchyId)), deps, { rateLimit: false })).status, "accepted");
      await assert.rejects(submitDocument(submission(junk(hierarchyId)), deps, { rateLimit: false }), ValidationError);
    }
    assert.equal(await keptCount(), 3);
    assert.equal((await submitDocument(submission(valid(hierarchyId)), deps)).status, "accepted", "its budget was not spent");
  });
});
