import { ConsentError, NotFoundError, ValidationError, type DocumentError } from "../errors";
import { isoWeekOf, type IsoWeek } from "../isoWeek";
import { isUuid } from "../isUuid";
import { findDocumentType, type DocumentType } from "../validation/documentTypes";
import { canonicalJson } from "./canonicalJson";
import { sha256Hex } from "../sha256Hex";

export interface Submission {
  docType: string;
  /** As it appears in the URL or envelope; the registry decides which spellings name a version. */
  docVersion: string | number;
  docId: string;
  /** The parsed JSON body. */
  document: unknown;
}

/**
 * What submitting decides about one document, before anything is stored or counted. Only
 * `valid` may be stored in `raw`; only `invalid` may be kept among rejected documents.
 */
export type SubmissionVerdict =
  | { kind: "unknown_type"; docType: string; docVersion: string | number }
  | { kind: "invalid_doc_id"; docId: string; errors: DocumentError[] }
  | { kind: "consent"; type: DocumentType; docId: string; errors: DocumentError[] }
  | { kind: "invalid"; type: DocumentType; docId: string; errors: DocumentError[]; document: unknown }
  | ValidVerdict;

export interface ValidVerdict {
  kind: "valid";
  type: DocumentType;
  docId: string;
  hierarchyId: string;
  collectedAt: string;
  /** The ISO week of `collectedAt` in UTC: where the document counts. */
  week: IsoWeek;
  /** The document as canonical JSON: what `raw` stores and `sha256` hashes. */
  body: string;
  sha256: string;
}

export type RefusedVerdict = Exclude<SubmissionVerdict, ValidVerdict>;

export interface JudgeSubmissionOptions {
  /** The receiver's clock, for the "not more than a day in the future" rule. */
  now: Date;
}

/** What becomes of a valid document's docId claim. */
export type ClaimOutcome = "accepted" | "duplicate" | "conflict";

function docIdErrors(): DocumentError[] {
  return [{ path: "/docId", message: "docId in the path must be a UUID" }];
}

/**
 * Judges one parsed submission: the one judgement that submit, batch lines and replay share,
 * so that a replay's dry run says exactly what a submission would do. Pure: it reads
 * nothing and writes nothing, and its answer depends only on its arguments. Storing the
 * verdict (and the rate limits) is the caller's next step (`storeVerdict`).
 *
 * The docType and docId are judged first: a docId names blobs, so nothing else may reach
 * storage. The document type's validator then judges consent before the schema, so that a
 * document carrying data above its level is refused as such whatever else is wrong with it.
 */
export function judgeSubmission(submission: Submission, options: JudgeSubmissionOptions): SubmissionVerdict {
  const { docType, docVersion, docId, document } = submission;
  const type = findDocumentType(docType, docVersion);
  if (type === undefined) return { kind: "unknown_type", docType, docVersion };
  if (!isUuid(docId)) return { kind: "invalid_doc_id", docId, errors: docIdErrors() };
  const result = type.validate(document, { docId, docVersion: type.docVersion }, options.now);
  if (!result.ok) {
    return result.kind === "consent"
      ? { kind: "consent", type, docId, errors: result.errors }
      : { kind: "invalid", type, docId, errors: result.errors, document };
  }
  const valid = result.document as { hierarchyId: string; collectedAt: string };
  const body = canonicalJson(result.document);
  return {
    kind: "valid",
    type,
    docId,
    hierarchyId: valid.hierarchyId,
    collectedAt: valid.collectedAt,
    week: isoWeekOf(new Date(valid.collectedAt)),
    body,
    sha256: sha256Hex(body),
  };
}

/** The typed error a refused verdict is answered with (shared/http/problem.ts maps it). */
export function refusalOf(verdict: RefusedVerdict): Error {
  switch (verdict.kind) {
    case "unknown_type":
      return new NotFoundError(`Unknown document type "${verdict.docType}" version "${verdict.docVersion}"`);
    case "invalid_doc_id":
      return new ValidationError("docId must be a UUID", verdict.errors);
    case "consent":
      return new ConsentError("The document carries data above its declared collection level; nothing of it was kept", verdict.errors);
    case "invalid":
      return new ValidationError(`The document is invalid (${verdict.errors.length} error(s))`, verdict.errors);
  }
}

/**
 * What a valid document's claim on its docId comes to, given the hash of the document
 * `raw` already holds under that docId (`undefined` when it holds none).
 */
export function claimOutcome(sha256: string, existingSha256: string | undefined): ClaimOutcome {
  if (existingSha256 === undefined) return "accepted";
  return existingSha256 === sha256 ? "duplicate" : "conflict";
}

/** Finds the document type, or throws the 404 for an unknown docType/docVersion. A cheap check the edge makes before reading a body. */
export function requireDocumentType(docType: string, docVersion: string | number): DocumentType {
  const type = findDocumentType(docType, docVersion);
  if (type === undefined) throw refusalOf({ kind: "unknown_type", docType, docVersion });
  return type;
}

/** A docId must be a UUID: it names blobs, so nothing else may reach storage. A cheap check the edge makes before reading a body. */
export function requireDocId(docId: string): void {
  if (!isUuid(docId)) throw refusalOf({ kind: "invalid_doc_id", docId, errors: docIdErrors() });
}
