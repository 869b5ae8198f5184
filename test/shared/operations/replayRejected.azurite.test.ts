import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { promisify } from "node:util";
import { readConfig, storageNames } from "../../../shared/config";
import { InvalidParameterError } from "../../../shared/errors";
import { canonicalJson } from "../../../shared/ingestion/canonicalJson";
import { sha256Hex } from "../../../shared/sha256Hex";
import { submitDocument } from "../../../shared/ingestion/submitDocument";
import { replayRejected, type ReplayRejectedOptions, type ReplayResult, type ReplaySelection } from "../../../shared/operations/replayRejected";
import { outcomeOf } from "../../../shared/telemetry/outcomes";
import { createServices, type Services } from "../../../shared/services";
import type { ClaimCheck } from "../../../shared/storage/claimCheck";
import { ensureStorage } from "../../../shared/storage/ensureStorage";
import { rawBlobName } from "../../../shared/storage/rawArchive";
import { rejectedBlobName, type RejectedDocument } from "../../../shared/storage/rejectedStore";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";
import { dumpStorage, listBlobNames, peekQueue } from "../../support/storageScan";
import { base64Sha256Of, makeUsageDocument, testNow } from "../../../devkit/usageDocuments";
import type { UsageV1 } from "../../../shared/validation/usageV1";

const run = promisify(execFile);
const REPLAY_SCRIPT = join(__dirname, "..", "..", "..", "scripts", "replay.js");

// One hierarchy for every document, and a rate limit of 1 in the services: a replay that
// went through the rate limiter would be refused from its second document on.
const HIERARCHY = base64Sha256Of("replay hierarchy");
const OLD_ERRORS = [{ path: "/product/version", message: "must match the schema of an older release" }];

let azurite: EmbeddedAzurite;
let services: Services;
/** Services with a fixed clock, as replayRejected receives them. */
let deps: Services & { now: () => Date };

function doc(overrides: Partial<UsageV1> = {}): UsageV1 {
  return makeUsageDocument({ docId: randomUUID(), hierarchyId: HIERARCHY, ...overrides });
}

/** Puts a document among the rejected ones, as if the schema of its day had refused it. */
async function keepRejected(document: unknown, docId: string, receivedAt = "2026-10-01T10:00:00.000Z"): Promise<void> {
  await services.rejectedStore.keep({ docType: "usage", docVersion: 1, docId, receivedAt, errors: OLD_ERRORS, document });
}

async function readRejected(docId: string): Promise<RejectedDocument | undefined> {
  return services.rejectedStore.read(rejectedBlobName("usage", 1, docId));
}

function claimOf(document: UsageV1): ClaimCheck {
  const sha256 = sha256Hex(canonicalJson(document));
  return { v: 1, docType: "usage", docVersion: 1, docId: document.docId, blobName: rawBlobName("usage", document.docId), sha256 };
}

async function submitLive(document: UsageV1): Promise<void> {
  const { rawArchive, rejectedStore, ingestQueue } = services;
  await submitDocument({ docType: "usage", docVersion: 1, docId: document.docId, document }, { rawArchive, rejectedStore, ingestQueue });
}

async function clearIngestQueue(): Promise<void> {
  await services.clients.queueService.getQueueClient(storageNames.ingestQueue).clearMessages();
}

async function replay(
  selection: ReplaySelection,
  options: Pick<ReplayRejectedOptions, "dryRun"> = {},
): Promise<{ results: ReplayResult[]; summary: Awaited<ReturnType<typeof replayRejected>> }> {
  const results: ReplayResult[] = [];
  const summary = await replayRejected(selection, deps, { ...options, onProgress: (r) => results.push(r) });
  return { results, summary };
}

function outcomesByDocId(results: readonly ReplayResult[]): Record<string, string> {
  return Object.fromEntries(results.map((r) => [r.docId, r.outcome]));
}

/** A document nested far deeper than JSON.stringify can write: kept without its content. */
function deeplyNested(): unknown {
  let value: unknown = {};
  for (let i = 0; i < 200_000; i++) value = { a: value };
  return value;
}

/**
 * One of each kind among the rejected documents: valid today, still invalid, already in raw
 * (same document), a different document in raw under its docId, a consent violation, and
 * one kept without its document. Returns them by role; the ingest queue is left empty.
 */
async function seedEveryKind() {
  const valid = doc();
  await keepRejected(valid, valid.docId);
  const stillInvalid = doc();
  await keepRejected({ ...stillInvalid, clients: { ...stillInvalid.clients, total: stillInvalid.clients.total + 1 } }, stillInvalid.docId);
  const duplicate = doc();
  await submitLive(duplicate);
  await keepRejected(duplicate, duplicate.docId);
  const inRaw = doc();
  await submitLive(inRaw);
  const conflicting = { ...inRaw, collectedAt: "2026-11-17T03:00:00.000Z" };
  await keepRejected(conflicting, inRaw.docId);
  const consent = doc({ level: "basic", features: { cloudAttach: { enabled: true } } });
  await keepRejected(consent, consent.docId);
  const omittedId = randomUUID();
  await keepRejected(deeplyNested(), omittedId);
  await clearIngestQueue();
  return { valid, stillInvalid, duplicate, inRaw, conflicting, consent, omittedId };
}

describe("replay of rejected documents against Azurite", () => {
  beforeEach(async () => {
    azurite = await startAzurite();
    services = createServices(readConfig({ AzureWebJobsStorage: azurite.connectionString, RATE_LIMIT_PER_HOUR: "1" }));
    await ensureStorage(services.clients);
    deps = { ...services, now: () => testNow };
  });
  afterEach(async () => azurite.close());

  test("by docId: valid and duplicate documents go through the live path and leave rejected; the rest stay, and say why", async () => {
    const seeded = await seedEveryKind();
    const missing = randomUUID();
    const selection = [seeded.valid.docId, seeded.stillInvalid.docId, seeded.duplicate.docId, seeded.inRaw.docId, seeded.consent.docId, seeded.omittedId, missing];

    const { results, summary } = await replay({ kind: "docIds", docIds: [...selection, seeded.valid.docId] });

    assert.deepEqual(results.map((r) => r.docId), selection, "one progress report per distinct docId, in order");
    assert.deepEqual(outcomesByDocId(results), {
      [seeded.valid.docId]: "accepted",
      [seeded.stillInvalid.docId]: "invalid",
      [seeded.duplicate.docId]: "duplicate",
      [seeded.inRaw.docId]: "conflict",
      [seeded.consent.docId]: "consent",
      [seeded.omittedId]: "omitted",
      [missing]: "not_found",
    });
    assert.equal(summary.documents, 7);
    assert.equal(summary.removed, 3);
    assert.deepEqual(
      Object.fromEntries(Object.entries(summary.outcomes).filter(([, n]) => n > 0)),
      { accepted: 1, invalid: 1, duplicate: 1, conflict: 1, consent: 1, omitted: 1, not_found: 1 },
    );

    // The accepted document is in raw exactly as a live submission stores it.
    const stored = await services.rawArchive.read(rawBlobName("usage", seeded.valid.docId));
    assert.ok(stored !== undefined);
    assert.equal(stored.body, canonicalJson(seeded.valid));
    assert.equal(stored.sha256, claimOf(seeded.valid).sha256);
    assert.equal(stored.receivedAt, testNow.toISOString());
    // Accepted and duplicate are queued (a duplicate is queued again, as live), nothing else.
    const queued = (await peekQueue(azurite.connectionString, storageNames.ingestQueue)) as ClaimCheck[];
    assert.deepEqual(
      queued.sort((a, b) => a.docId.localeCompare(b.docId)),
      [claimOf(seeded.valid), claimOf(seeded.duplicate)].sort((a, b) => a.docId.localeCompare(b.docId)),
    );
    // The conflict left raw's document alone.
    assert.equal((await services.rawArchive.read(rawBlobName("usage", seeded.inRaw.docId)))?.sha256, claimOf(seeded.inRaw).sha256);

    // What stays in rejected: still invalid (re-kept with today's errors), the conflict, the omitted one.
    const kept = await listBlobNames(azurite.connectionString, storageNames.rejectedContainer);
    assert.deepEqual(kept.sort(), [seeded.stillInvalid.docId, seeded.inRaw.docId, seeded.omittedId].map((id) => rejectedBlobName("usage", 1, id)).sort());
    const reKept = await readRejected(seeded.stillInvalid.docId);
    assert.ok(reKept !== undefined);
    assert.notDeepEqual(reKept.errors, OLD_ERRORS);
    assert.ok(reKept.errors.some((e) => e.path === "/clients/byOs"), JSON.stringify(reKept.errors));
    assert.equal(reKept.receivedAt, testNow.toISOString());
    const invalidResult = results.find((r) => r.docId === seeded.stillInvalid.docId);
    assert.deepEqual(invalidResult?.errorPaths, reKept.errors.map((e) => e.path));
    assert.deepEqual((await readRejected(seeded.inRaw.docId))?.document, seeded.conflicting, "a conflict stays as it was kept");
    // The consent violation is gone, and its report carries none of its content.
    const consentReport = JSON.stringify(results.find((r) => r.docId === seeded.consent.docId));
    assert.ok(!consentReport.includes("cloudAttach") && !consentReport.includes(HIERARCHY), consentReport);
  });

  test("replaying again is safe: what was replayed is gone from rejected, what stayed gets the same outcome", async () => {
    const seeded = await seedEveryKind();
    const selection: ReplaySelection = { kind: "docIds", docIds: [seeded.valid.docId, seeded.stillInvalid.docId, seeded.inRaw.docId] };
    await replay(selection);
    const again = await replay(selection);
    assert.deepEqual(outcomesByDocId(again.results), {
      [seeded.valid.docId]: "not_found",
      [seeded.stillInvalid.docId]: "invalid",
      [seeded.inRaw.docId]: "conflict",
    });
  });

  test("by received date: only documents rejected on the days from..to (inclusive, UTC) are replayed", async () => {
    const days = ["2026-09-30T23:59:59.999Z", "2026-10-01T00:00:00.000Z", "2026-10-09T12:00:00.000Z", "2026-10-15T23:59:59.999Z", "2026-10-16T00:00:00.000Z"];
    const docs = days.map(() => doc());
    for (const [i, d] of docs.entries()) await keepRejected(d, d.docId, days[i]);

    const { results, summary } = await replay({ kind: "receivedDates", from: "2026-10-01", to: "2026-10-15" });

    const inside = [docs[1]!, docs[2]!, docs[3]!].map((d) => d.docId);
    assert.deepEqual(results.map((r) => r.docId).sort(), [...inside].sort());
    assert.ok(results.every((r) => r.outcome === "accepted" && r.removed));
    assert.equal(summary.outcomes.accepted, 3);
    const rawNames = await listBlobNames(azurite.connectionString, storageNames.rawContainer);
    assert.deepEqual(rawNames.sort(), inside.map((id) => rawBlobName("usage", id)).sort());
    const kept = await listBlobNames(azurite.connectionString, storageNames.rejectedContainer);
    assert.deepEqual(kept.sort(), [docs[0]!, docs[4]!].map((d) => rejectedBlobName("usage", 1, d.docId)).sort());
    assert.equal((await replay({ kind: "receivedDates", from: "2026-10-02", to: "2026-10-08" })).summary.documents, 0);
  });

  test("a dry run reports what would happen and writes nothing", async () => {
    const seeded = await seedEveryKind();
    const before = await dumpStorage(azurite.connectionString);

    const byId = await replay({ kind: "docIds", docIds: [seeded.valid.docId, seeded.stillInvalid.docId, seeded.duplicate.docId, seeded.inRaw.docId, seeded.consent.docId, seeded.omittedId] }, { dryRun: true });
    const byDate = await replay({ kind: "receivedDates", from: "2026-10-01", to: "2026-10-01" }, { dryRun: true });

    assert.deepEqual(await dumpStorage(azurite.connectionString), before);
    const expected = {
      [seeded.valid.docId]: "accepted",
      [seeded.stillInvalid.docId]: "invalid",
      [seeded.duplicate.docId]: "duplicate",
      [seeded.inRaw.docId]: "conflict",
      [seeded.consent.docId]: "consent",
      [seeded.omittedId]: "omitted",
    };
    assert.deepEqual(outcomesByDocId(byId.results), expected);
    assert.deepEqual(outcomesByDocId(byDate.results), expected);
    assert.ok(byId.summary.dryRun && byId.summary.removed === 0);
    assert.ok(byId.results.every((r) => !r.removed));
    assert.ok(byId.results.find((r) => r.docId === seeded.stillInvalid.docId)?.errorPaths?.includes("/clients/byOs"));
  });

  test("one judgement: for every kind of document, a dry run says exactly what submitting it does", async () => {
    const sameInRaw = doc();
    const lostHash = doc();
    const inRaw = doc();
    const notUuid = "not-a-uuid";
    const clients = (d: UsageV1) => ({ ...d.clients, total: d.clients.total + 1 });
    const table: { name: string; docVersion?: number; docId?: string; document: unknown; before?: () => Promise<void>; expected: string }[] = [
      { name: "a new valid document", document: doc(), expected: "accepted" },
      { name: "the very document raw holds, keys in another order", document: Object.fromEntries(Object.entries(sameInRaw).reverse()), before: () => submitLive(sameInRaw), expected: "duplicate" },
      {
        name: "the very document raw holds under a blob whose hash metadata was lost",
        document: lostHash,
        before: async () => {
          const body = canonicalJson(lostHash);
          const blob = services.clients.blobService.getContainerClient(storageNames.rawContainer).getBlockBlobClient(rawBlobName("usage", lostHash.docId));
          await blob.upload(body, Buffer.byteLength(body));
        },
        expected: "duplicate",
      },
      { name: "a different document under a docId raw holds", document: { ...inRaw, collectedAt: "2026-11-17T03:00:00.000Z" }, before: () => submitLive(inRaw), expected: "conflict" },
      { name: "totals that do not add up", document: ((d) => ({ ...d, clients: clients(d) }))(doc()), expected: "invalid" },
      { name: "a property the schema does not declare", document: { ...doc(), clientName: "jane.doe@contoso.com" }, expected: "invalid" },
      { name: "collectedAt two days ahead of the clock", document: doc({ collectedAt: "2026-11-27T12:00:00.000Z" }), expected: "invalid" },
      { name: "a docId in the document other than the one it is submitted under", docId: randomUUID(), document: doc(), expected: "invalid" },
      { name: "a docId that is not a UUID", docId: notUuid, document: { ...doc(), docId: notUuid }, expected: "invalid" },
      { name: "features at basic level", document: doc({ level: "basic", features: { cmPivot: { enabled: true } } }), expected: "consent" },
      { name: "compliance below full level", document: doc({ level: "enhanced", compliance: { softwareUpdateCompliancePercent: 90, scanSuccessPercent: 90 } }), expected: "consent" },
      { name: "a docVersion the receiver does not take", docVersion: 3, document: doc({ schemaVersion: 3 as 1 }), expected: "unsupported" },
    ];
    const rows = table.map((row) => ({ ...row, docId: row.docId ?? (row.document as { docId: string }).docId, docVersion: row.docVersion ?? 1 }));
    assert.equal(new Set(rows.map((r) => r.docId)).size, rows.length, "one docId per row");
    for (const row of rows) {
      await row.before?.();
      await services.rejectedStore.keep({ docType: "usage", docVersion: row.docVersion, docId: row.docId, receivedAt: "2026-10-01T10:00:00.000Z", errors: OLD_ERRORS, document: row.document });
    }
    await clearIngestQueue();

    const dryRun = outcomesByDocId((await replay({ kind: "receivedDates", from: "2026-10-01", to: "2026-10-01" }, { dryRun: true })).results);

    // The same documents submitted live, as an SCP would send them, without a rate limiter:
    // the limit is not judgement, and this suite's is 1 an hour.
    const { rawArchive, rejectedStore, ingestQueue, now } = deps;
    const live: Record<string, string> = {};
    for (const row of rows) {
      try {
        const submission = { docType: "usage", docVersion: row.docVersion, docId: row.docId, document: row.document };
        const response = await submitDocument(submission, { rawArchive, rejectedStore, ingestQueue, now });
        live[row.docId] = response.status;
      } catch (error) {
        live[row.docId] = outcomeOf(error);
      }
    }
    const byName = (outcomes: Record<string, string>) => Object.fromEntries(rows.map((r) => [r.name, outcomes[r.docId]]));
    const expected = Object.fromEntries(rows.map((r) => [r.name, r.expected]));
    assert.deepEqual(byName(dryRun), expected, "the dry run");
    assert.deepEqual(byName(live), expected, "the live submission");
  });

  test("a malformed selection is refused before storage is touched", async () => {
    const bad: ReplaySelection[] = [
      { kind: "docIds", docIds: [] },
      { kind: "docIds", docIds: [randomUUID(), "not-a-uuid"] },
      { kind: "docIds", docIds: ["../../raw/usage/v1/x"] },
      { kind: "receivedDates", from: "2026-02-30", to: "2026-03-01" },
      { kind: "receivedDates", from: "2026-10-01", to: "2026-10-01' OR receivedDate > '0" },
      { kind: "receivedDates", from: "2026-10-02", to: "2026-10-01" },
    ];
    for (const selection of bad) {
      await assert.rejects(replayRejected(selection, deps), InvalidParameterError, JSON.stringify(selection));
    }
  });
});

describe("npm run replay (dist/scripts/replay.js)", () => {
  async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      // Asynchronous on purpose: the Azurite a test starts runs in this process's event loop.
      const { stdout, stderr } = await run(process.execPath, [REPLAY_SCRIPT, ...args], { env: { PATH: process.env["PATH"] ?? "", ...env } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  test("usage errors exit 2 with the usage, before any storage is touched", async () => {
    const cases: [string[], RegExp][] = [
      [["--bogus"], /Unknown option '--bogus'/],
      [[], /either --docId .* or --from and --to/],
      [["--docId", randomUUID(), "--from", "2026-10-01", "--to", "2026-10-02"], /not both/],
      [["--from", "2026-10-01"], /--from and --to go together/],
      [["--docId", "nope"], /--docId "nope" is not a UUID/],
      [["--from", "2026-13-01", "--to", "2026-12-01"], /--from "2026-13-01" is not a date/],
      [["--from", "2026-10-02", "--to", "2026-10-01"], /after/],
    ];
    // No storage setting and no Azurite on the default ports: reaching storage would fail differently.
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await cli(args);
      assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
      assert.match(stderr, message);
      assert.match(stderr, /usage: npm run replay/);
      assert.equal(stdout, "");
    }
  });

  test("a run against storage prints one line per document and a summary, and exits 0 though one stayed invalid", async () => {
    azurite = await startAzurite();
    try {
      services = createServices(readConfig({ AzureWebJobsStorage: azurite.connectionString }));
      await ensureStorage(services.clients);
      const valid = doc();
      await keepRejected(valid, valid.docId);
      const invalid = doc();
      await keepRejected({ ...invalid, hierarchyId: "not a hash" }, invalid.docId);
      const { code, stdout } = await cli(["--from", "2026-10-01", "--to", "2026-10-01"], { AzureWebJobsStorage: azurite.connectionString });
      assert.equal(code, 0, stdout);
      assert.match(stdout, new RegExp(`\\] ${valid.docId} accepted; removed from rejected`));
      assert.match(stdout, new RegExp(`\\] ${invalid.docId} invalid; 1 error\\(s\\) at /hierarchyId; stays in rejected`));
      assert.match(stdout, /done: 2 document\(s\): 1 accepted, 1 invalid; 1 removed from rejected/);
      assert.ok(!stdout.includes("not a hash"), "no document content in the output");
    } finally {
      await azurite.close();
    }
  });

  test("storage that does not answer exits 1", async () => {
    const { code, stderr } = await cli(["--docId", randomUUID()], {
      AzureWebJobsStorage: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;",
    });
    assert.equal(code, 1, stderr);
    assert.match(stderr, /StorageUnavailableError/);
  });
});
