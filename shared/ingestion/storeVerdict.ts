import { ConflictError, StorageUnavailableError, ValidationError } from "../errors";
import type { IngestQueue } from "../storage/ingestQueue";
import { rawBlobName, type PutRawResponse, type RawArchive, type StoredRawDocument } from "../storage/rawArchive";
import type { RejectedStore } from "../storage/rejectedStore";
import { claimOutcome, refusalOf, type ClaimOutcome, type SubmissionVerdict, type ValidVerdict } from "./judgeSubmission";
import type { RateLimiter } from "./rateLimiter";
import { sha256Hex } from "../sha256Hex";

/** What storing needs from the outside world; tests and the benchmark pass their own. */
export interface IngestionDeps {
  rawArchive: RawArchive;
  rejectedStore: RejectedStore;
  ingestQueue: IngestQueue;
  /** Absent where nothing is rate-limited (tests that are not about the limits). */
  rateLimiter?: RateLimiter;
  now?: () => Date;
}

export type SubmitResponse =
  | { docId: string; status: "accepted"; receivedAt: string }
  | { docId: string; status: "duplicate" };

export interface StoreVerdictOptions {
  /** When the submission arrived: the `receivedAt` of what is written. */
  now: Date;
  /**
   * Whether the rate limits apply (default `true`): a valid document spends its hierarchy's
   * budget, an invalid one the budget of invalid documents kept. Replay turns them off.
   */
  rateLimit?: boolean;
}

type InvalidVerdict = Extract<SubmissionVerdict, { kind: "invalid" }>;

/**
 * Keeps an invalid document among rejected ones, with its errors, unless the budget of
 * invalid documents is spent. Returns whether it was kept.
 */
export async function keepRejected(verdict: InvalidVerdict, deps: IngestionDeps, options: StoreVerdictOptions): Promise<boolean> {
  if ((options.rateLimit ?? true) && deps.rateLimiter?.tryTakeInvalid() === false) return false;
  await deps.rejectedStore.keep({
    docType: verdict.type.docType,
    docVersion: verdict.type.docVersion,
    docId: verdict.docId,
    receivedAt: options.now.toISOString(),
    errors: verdict.errors,
    document: verdict.document,
  });
  return true;
}

/**
 * The hash of a document in `raw`. Blobs this code writes carry it as metadata; one without
 * (copied or restored without its metadata) is hashed from its body, as aggregation checks
 * it, so that the same document is still a duplicate.
 */
function hashOf(stored: StoredRawDocument): string {
  return stored.sha256 ?? sha256Hex(stored.body);
}

/** The hash of what `raw` holds under a docId that was found taken. */
async function existingSha256(put: Extract<PutRawResponse, { created: false }>, name: string, deps: IngestionDeps): Promise<string> {
  if (put.existingSha256 !== undefined) return put.existingSha256;
  const stored = await deps.rawArchive.read(name);
  // Gone between the two requests (a deletion request ran): the client's retry will create it.
  if (stored === undefined) throw new StorageUnavailableError("The stored document changed while it was being compared; retry");
  return hashOf(stored);
}

function rawNameOf(verdict: ValidVerdict): string {
  return rawBlobName(verdict.type.docType, verdict.docId);
}

/** What storing a valid verdict would come to, found by one read of `raw`; writes nothing (a replay's dry run). */
export async function previewClaim(verdict: ValidVerdict, deps: Pick<IngestionDeps, "rawArchive">): Promise<ClaimOutcome> {
  const stored = await deps.rawArchive.read(rawNameOf(verdict));
  return claimOutcome(verdict.sha256, stored === undefined ? undefined : hashOf(stored));
}

async function storeValid(verdict: ValidVerdict, deps: IngestionDeps, options: StoreVerdictOptions): Promise<SubmitResponse> {
  const { type, docId } = verdict;
  // Before the first write: a document over its hierarchy's limit leaves nothing behind.
  if (options.rateLimit ?? true) deps.rateLimiter?.take(verdict.hierarchyId);
  const receivedAt = options.now.toISOString();
  const name = rawNameOf(verdict);
  const put = await deps.rawArchive.put({
    docType: type.docType,
    docVersion: type.docVersion,
    docId,
    hierarchyId: verdict.hierarchyId,
    collectedAt: verdict.collectedAt,
    week: verdict.week,
    receivedAt,
    body: verdict.body,
    sha256: verdict.sha256,
  });
  const outcome = put.created ? "accepted" : claimOutcome(verdict.sha256, await existingSha256(put, name, deps));
  if (outcome === "conflict") throw new ConflictError(`docId ${docId} is already used by a different document`);
  await deps.ingestQueue.send({ v: 1, docType: type.docType, docVersion: type.docVersion, docId, blobName: name, sha256: verdict.sha256 });
  return outcome === "accepted" ? { docId, status: "accepted", receivedAt } : { docId, status: "duplicate" };
}

/**
 * Stores what a verdict allows, the step after `judgeSubmission`: a valid document is
 * stored in `raw` and its aggregation queued; an invalid one is kept among rejected
 * documents; nothing else is written. Returns the 2xx outcome; every other outcome is a
 * typed error (see shared/errors.ts).
 *
 * A 2xx is returned only after both the raw blob and its claim check exist. A duplicate is
 * queued again, because the first attempt may have died between the two writes; aggregation
 * is idempotent, so an extra message is harmless.
 *
 * @throws RateLimitedError for a valid document over its hierarchy's limit, before anything is written
 * @throws ValidationError for an invalid document (kept, or over the budget of invalid documents and not kept)
 * @throws ConflictError when `raw` holds a different document under the docId
 */
export async function storeVerdict(verdict: SubmissionVerdict, deps: IngestionDeps, options: StoreVerdictOptions): Promise<SubmitResponse> {
  if (verdict.kind === "valid") return storeValid(verdict, deps, options);
  if (verdict.kind !== "invalid") throw refusalOf(verdict);
  const kept = await keepRejected(verdict, deps, options);
  const refusal = refusalOf(verdict);
  if (kept) throw refusal;
  throw new ValidationError(`${refusal.message}; not kept for replay: this hour's budget for invalid documents is spent`, verdict.errors);
}
