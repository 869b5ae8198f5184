import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { promisify } from "node:util";
import type { QueueClient } from "@azure/storage-queue";
import { readConfig, storageNames } from "../../../shared/config";
import { requeuePoison, type PoisonMessageResult, type RequeuePoisonOptions } from "../../../shared/operations/requeuePoison";
import { createServices, type Services } from "../../../shared/services";
import { encodeClaimCheck, type ClaimCheck } from "../../../shared/storage/claimCheck";
import { ensureStorage } from "../../../shared/storage/ensureStorage";
import { rawBlobName } from "../../../shared/storage/rawArchive";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";

const run = promisify(execFile);
const REQUEUE_SCRIPT = join(__dirname, "..", "..", "..", "scripts", "requeuePoison.js");

let azurite: EmbeddedAzurite;
let services: Services;
let poison: QueueClient;
let ingest: QueueClient;

/** A claim check, with (by default) its raw document in the archive as ingestion leaves it. */
async function claim(withRaw = true): Promise<ClaimCheck> {
  const docId = randomUUID();
  if (withRaw) {
    const week = "2026-W47";
    await services.rawArchive.put({ docType: "usage", docVersion: 1, docId, hierarchyId: "h", collectedAt: "2026-11-18T00:00:00Z", week, receivedAt: new Date().toISOString(), body: "{}", sha256: "ab".repeat(32) });
  }
  return { v: 1, docType: "usage", docVersion: 1, docId, blobName: rawBlobName("usage", docId), sha256: "ab".repeat(32) };
}

const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** Every message on a queue, decoded, without dequeuing (peek sees 32 at most; these tests stay below). */
async function peekTexts(queue: QueueClient): Promise<string[]> {
  const peeked = await queue.peekMessages({ numberOfMessages: 32 });
  return peeked.peekedMessageItems.map((m) => Buffer.from(m.messageText, "base64").toString("utf8")).sort();
}

async function messageCount(queue: QueueClient): Promise<number> {
  return (await queue.getProperties()).approximateMessagesCount ?? 0;
}

const byDocId = (a: ClaimCheck, b: ClaimCheck): number => a.docId.localeCompare(b.docId);

/**
 * The poison queue as production leaves it: two claim checks our trigger poisoned (the
 * original as an object, and as a string: the host hands non-object JSON over as text), one
 * the Functions host moved by itself (bare, base64), and two that are no claim check at all.
 */
async function seedPoison() {
  const ours = await claim();
  await services.poisonQueue.send({ reason: "PermanentAggregationError: raw document is missing", attempts: 1, message: ours });
  const oursAsText = await claim();
  await services.poisonQueue.send({ reason: "StorageUnavailableError: storage unavailable", attempts: 5, message: JSON.stringify(oursAsText) });
  const hosts = await claim();
  await poison.sendMessage(encodeClaimCheck(hosts));
  await services.poisonQueue.send({ reason: "ClaimCheckFormatError: message is not JSON", attempts: 1, message: "hello" });
  await poison.sendMessage(base64("certainly not a claim check"));
  const garbage = await peekTexts(poison).then((texts) => texts.filter((t) => t.includes("hello") || t.includes("certainly")));
  assert.equal(garbage.length, 2);
  return { claims: [ours, oursAsText, hosts].sort(byDocId), ours, oursAsText, hosts, garbage };
}

async function requeue(options: RequeuePoisonOptions = {}) {
  const results: PoisonMessageResult[] = [];
  const summary = await requeuePoison(services, { ...options, onProgress: (r) => results.push(r) });
  return { results, summary };
}

describe("requeueing poison messages against Azurite", () => {
  beforeEach(async () => {
    azurite = await startAzurite();
    services = createServices(readConfig({ AzureWebJobsStorage: azurite.connectionString }));
    await ensureStorage(services.clients);
    poison = services.clients.queueService.getQueueClient(storageNames.poisonQueue);
    ingest = services.clients.queueService.getQueueClient(storageNames.ingestQueue);
  });
  afterEach(async () => azurite.close());

  test("a claim check naming a blob of the old layout (usage/v1/<docId>.json) is requeued with that name, since the blob is there", async () => {
    const docId = randomUUID();
    const blobName = `usage/v1/${docId}.json`;
    await services.clients.blobService.getContainerClient(storageNames.rawContainer).getBlockBlobClient(blobName).upload("{}", 2);
    const old: ClaimCheck = { v: 1, docType: "usage", docVersion: 1, docId, blobName, sha256: "ab".repeat(32) };
    await services.poisonQueue.send({ reason: "StorageUnavailableError: storage unavailable", attempts: 5, message: old });
    const { summary } = await requeue();
    assert.deepEqual([summary.requeued, summary.kept], [1, 0]);
    assert.deepEqual((await peekTexts(ingest)).map((t) => JSON.parse(t) as ClaimCheck), [old]);
  });

  test("claim checks in both formats go back to the ingest queue unchanged; what is no claim check stays, visible", async () => {
    const seeded = await seedPoison();

    const { results, summary } = await requeue();

    assert.deepEqual(summary, { dryRun: false, messages: 5, requeued: 3, kept: 2, dropped: 0 });
    const requeued = (await peekTexts(ingest)).map((t) => JSON.parse(t) as ClaimCheck);
    assert.deepEqual(requeued.sort(byDocId), seeded.claims);
    assert.deepEqual(await peekTexts(poison), seeded.garbage, "the unreadable ones stay, and are visible again at once");

    const report = (docId: string) => results.find((r) => r.docId === docId);
    assert.deepEqual(
      { ...report(seeded.ours.docId), messageId: "", poisonedAt: "" },
      { messageId: "", format: "poisoned", outcome: "requeued", docId: seeded.ours.docId, reason: "PermanentAggregationError: raw document is missing", attempts: 1, poisonedAt: "" },
    );
    assert.equal(report(seeded.oursAsText.docId)?.attempts, 5);
    assert.deepEqual({ ...report(seeded.hosts.docId), messageId: "" }, { messageId: "", format: "bare", outcome: "requeued", docId: seeded.hosts.docId });
    const unreadable = results.filter((r) => r.outcome === "kept");
    assert.deepEqual(unreadable.map((r) => [r.format, r.problem]).sort(), [["bare", "message is not JSON"], ["poisoned", "message is not JSON"]]);
    assert.ok(!JSON.stringify(results).includes("certainly"), "reports never carry the message text");
  });

  test("--drop-unreadable deletes what is no claim check; a second run finds an empty queue", async () => {
    const seeded = await seedPoison();

    const { summary } = await requeue({ dropUnreadable: true });

    assert.deepEqual(summary, { dryRun: false, messages: 5, requeued: 3, kept: 0, dropped: 2 });
    assert.equal(await messageCount(poison), 0);
    assert.deepEqual((await peekTexts(ingest)).map((t) => JSON.parse(t) as ClaimCheck).sort(byDocId), seeded.claims);
    assert.deepEqual((await requeue({ dropUnreadable: true })).summary, { dryRun: false, messages: 0, requeued: 0, kept: 0, dropped: 0 });
  });

  test("a dry run lists every message and changes nothing, with or without --drop-unreadable", async () => {
    const seeded = await seedPoison();
    const before = await peekTexts(poison);

    for (const dropUnreadable of [false, true]) {
      const { results, summary } = await requeue({ dryRun: true, dropUnreadable });
      assert.deepEqual(summary, { dryRun: true, messages: 5, requeued: 3, kept: dropUnreadable ? 0 : 2, dropped: dropUnreadable ? 2 : 0 });
      assert.deepEqual(results.filter((r) => r.outcome === "requeued").map((r) => r.docId).sort(), seeded.claims.map((c) => c.docId));
      assert.deepEqual(await peekTexts(poison), before, "every message is still there, and visible");
      assert.equal(await messageCount(ingest), 0);
    }
  });

  test("a claim check whose raw document is gone is kept (it could only fail again), and dropped with --drop-unreadable", async () => {
    const gone = await claim(false);
    await services.poisonQueue.send({ reason: "PermanentAggregationError: raw document is missing", attempts: 1, message: gone });
    const kept = await requeue();
    assert.deepEqual(kept.results.map((r) => [r.docId, r.outcome, r.problem]), [[gone.docId, "kept", "its raw document is missing (expired or deleted)"]]);
    assert.equal(await messageCount(ingest), 0);
    const dropped = await requeue({ dropUnreadable: true });
    assert.deepEqual(dropped.results.map((r) => r.outcome), ["dropped"]);
    assert.equal(await messageCount(poison), 0);
  });

  test("more than one batch: every message is handled exactly once and the run ends, though some stay behind", async () => {
    const claims = await Promise.all(Array.from({ length: 40 }, () => claim()));
    for (const c of claims) await poison.sendMessage(encodeClaimCheck(c));
    for (let i = 0; i < 30; i++) await poison.sendMessage(base64(`garbage ${i}`));

    const { results, summary } = await requeue();

    assert.deepEqual(summary, { dryRun: false, messages: 70, requeued: 40, kept: 30, dropped: 0 });
    assert.equal(new Set(results.map((r) => r.messageId)).size, 70);
    assert.equal(await messageCount(ingest), 40);
    assert.equal(await messageCount(poison), 30);
    assert.equal((await peekTexts(poison)).length, 30, "the kept ones are visible again");
  });

  test("messages held past their visibility timeout show up again and are not handled twice", async () => {
    for (let i = 0; i < 3; i++) await poison.sendMessage(base64(`garbage ${i}`));
    const c = await claim();
    await poison.sendMessage(encodeClaimCheck(c));
    const results: PoisonMessageResult[] = [];
    // A slow operator terminal: the run holds the batch for longer than the 1 s timeout.
    const summary = await requeuePoison(services, {
      visibilityTimeoutSeconds: 1,
      onProgress: (r) => {
        results.push(r);
        const until = Date.now() + 400;
        while (Date.now() < until); // blocks on purpose: the hold runs out meanwhile
      },
    });
    assert.deepEqual(summary, { dryRun: false, messages: 4, requeued: 1, kept: 3, dropped: 0 });
    assert.equal(new Set(results.map((r) => r.messageId)).size, 4);
    assert.deepEqual((await peekTexts(ingest)).map((t) => JSON.parse(t) as unknown), [c]);
    assert.equal((await peekTexts(poison)).length, 3);
  });
});

describe("npm run requeue-poison (dist/scripts/requeuePoison.js)", () => {
  test("an unknown option exits 2 with the usage", async () => {
    await assert.rejects(run(process.execPath, [REQUEUE_SCRIPT, "--bogus"], { env: { PATH: process.env["PATH"] ?? "" } }), (error: unknown) => {
      const failed = error as { code: number; stderr: string; stdout: string };
      assert.equal(failed.code, 2);
      assert.match(failed.stderr, /Unknown option '--bogus'/);
      assert.match(failed.stderr, /usage: npm run requeue-poison/);
      return true;
    });
  });

  test("a run prints one line per message and a summary, and exits 0 though some stayed", async () => {
    azurite = await startAzurite();
    try {
      services = createServices(readConfig({ AzureWebJobsStorage: azurite.connectionString }));
      await ensureStorage(services.clients);
      poison = services.clients.queueService.getQueueClient(storageNames.poisonQueue);
      const c = await claim();
      await services.poisonQueue.send({ reason: "PermanentAggregationError: raw document is missing", attempts: 1, message: c });
      await poison.sendMessage(base64("secret garbage"));
      const { stdout } = await run(process.execPath, [REQUEUE_SCRIPT], { env: { PATH: process.env["PATH"] ?? "", AzureWebJobsStorage: azurite.connectionString } });
      assert.match(stdout, new RegExp(`requeued; docId ${c.docId}; poisoned \\S+ after 1 attempt\\(s\\): PermanentAggregationError: raw document is missing`));
      assert.match(stdout, /kept \(not a claim check\); docId -; bare message, as the Functions host moves them \(no reason recorded\); unreadable: message is not JSON/);
      assert.match(stdout, /done: 2 message\(s\): 1 requeued, 1 kept, 0 dropped/);
      assert.ok(!stdout.includes("secret"), "no message text in the output");
    } finally {
      await azurite.close();
    }
  });
});
