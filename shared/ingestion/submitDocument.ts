import { ConflictError, ConsentError, NotFoundError, ValidationError } from "../errors";
import { isoWeekOf } from "../isoWeek";
import type { IngestQueue } from "../storage/ingestQueue";
import { rawBlobName, type RawArchive } from "../storage/rawArchive";
import type { RejectedStore } from "../storage/rejectedStore";
import { findDocumentType, type DocumentType } from "../validation/documentTypes";
import { canonicalJson, sha256Hex } from "./canonicalJson";
import type { RateLimiter } from "./rateLimiter";
import { isUuid } from "../isUuid";

/** What submitting needs from the outside world; tests and the benchmark pass their own. */
export interface IngestionDeps {
  rawArchive: RawArchive;
  rejectedStore: RejectedStore;
  ingestQueue: IngestQueue;
  /** Absent where submissions are not rate-limited (batch lines). */
  rateLimiter?: RateLimiter;
  now?: () => Date;
}

export interface Submission {
  docType: string;
  /** As it appears in the URL or envelope; the registry decides which spellings name a version. */
  docVersion: string | number;
  docId: string;
  /** The parsed JSON body. */
  document: unknown;
}

export type SubmitResponse =
  | { docId: string; status: "accepted"; receivedAt: string }
  | { docId: string; status: "duplicate" };


// Documents that carry no usable hierarchy share one budget, so garbage cannot dodge the limit.
const NO_HIERARCHY = "(none)";

/** Finds the document type, or throws the 404 for an unknown docType/docVersion. */
export function requireDocumentType(docType: string, docVersion: string | number): DocumentType {
  const type = findDocumentType(docType, docVersion);
  if (type === undefined) throw new NotFoundError(`Unknown document type "${docType}" version "${docVersion}"`);
  return type;
}

/** A docId must be a UUID: it names blobs, so nothing else may reach storage. */
export function requireDocId(docId: string): void {
  if (!isUuid(docId)) {
    throw new ValidationError("docId must be a UUID", [{ path: "/docId", message: "docId in the path must be a UUID" }]);
  }
}

function hierarchyKeyOf(document: unknown): string {
  if (typeof document !== "object" || document === null || !Object.hasOwn(document, "hierarchyId")) return NO_HIERARCHY;
  const id = (document as { hierarchyId: unknown }).hierarchyId;
  return typeof id === "string" && id.length <= 64 ? id : NO_HIERARCHY;
}

/**
 * Judges one document and, when it is valid, stores it and queues its aggregation. Returns
 * the 2xx outcome; every other outcome is a typed error (see shared/errors.ts).
 *
 * Order matters: consent is judged before anything is written, so a document carrying data
 * above its level leaves no trace; a 2xx is returned only after both the raw blob and its
 * claim check exist. A duplicate is queued again, because the first attempt may have died
 * between the two writes; aggregation is idempotent, so an extra message is harmless.
 */
export async function submitDocument(submission: Submission, deps: IngestionDeps): Promise<SubmitResponse> {
  const type = requireDocumentType(submission.docType, submission.docVersion);
  const { docId, document } = submission;
  requireDocId(docId);
  deps.rateLimiter?.take(hierarchyKeyOf(document));
  const now = deps.now?.() ?? new Date();
  const verdict = type.validate(document, { docId, docVersion: type.docVersion }, now);
  if (!verdict.ok) {
    if (verdict.kind === "consent") {
      throw new ConsentError("The document carries data above its declared collection level; nothing of it was kept", verdict.errors);
    }
    await deps.rejectedStore.keep({
      docType: type.docType,
      docVersion: type.docVersion,
      docId,
      receivedAt: now.toISOString(),
      errors: verdict.errors,
      document,
    });
    throw new ValidationError(`The document is invalid (${verdict.errors.length} error(s))`, verdict.errors);
  }
  const valid = verdict.document as { hierarchyId: string; collectedAt: string };
  const body = canonicalJson(verdict.document);
  const sha256 = sha256Hex(body);
  const receivedAt = now.toISOString();
  const put = await deps.rawArchive.put({
    docType: type.docType,
    docVersion: type.docVersion,
    docId,
    hierarchyId: valid.hierarchyId,
    collectedAt: valid.collectedAt,
    week: isoWeekOf(new Date(valid.collectedAt)),
    receivedAt,
    body,
    sha256,
  });
  if (!put.created && put.existingSha256 !== sha256) {
    throw new ConflictError(`docId ${docId} is already used by a different document`);
  }
  await deps.ingestQueue.send({
    v: 1,
    docType: type.docType,
    docVersion: type.docVersion,
    docId,
    blobName: rawBlobName(type.docType, type.docVersion, docId),
    sha256,
  });
  return put.created ? { docId, status: "accepted", receivedAt } : { docId, status: "duplicate" };
}
