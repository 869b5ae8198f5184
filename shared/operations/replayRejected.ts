import { ConflictError, ConsentError, InvalidParameterError, NotFoundError, ValidationError } from "../errors";
import { canonicalJson, sha256Hex } from "../ingestion/canonicalJson";
import { requireDocId, submitDocument, type IngestionDeps } from "../ingestion/submitDocument";
import { rawBlobName } from "../storage/rawArchive";
import { rejectedBlobName } from "../storage/rejectedStore";
import { documentTypes, findDocumentType } from "../validation/documentTypes";
import { isRecord } from "../isRecord";
import { isUuid } from "../isUuid";

/**
 * What a replay needs. Deliberately no rate limiter: a replay is the operator's decision,
 * and one hierarchy's backlog of rejected documents must not be throttled as a runaway SCP.
 */
export type ReplayDeps = Pick<IngestionDeps, "rawArchive" | "rejectedStore" | "ingestQueue" | "now">;

/** Which kept rejected documents to replay: by docId, or by the UTC day they were (last) rejected. */
export type ReplaySelection =
  | { kind: "docIds"; docIds: readonly string[] }
  | { kind: "receivedDates"; /** YYYY-MM-DD, inclusive. */ from: string; /** YYYY-MM-DD, inclusive. */ to: string };

/**
 * What became of one kept document (in a dry run: what would become of it).
 * - `accepted`, `duplicate`: stored in `raw` and queued as a live submission is; removed from `rejected`.
 * - `conflict`: its docId holds a different document in `raw`; it stays in `rejected`.
 * - `invalid`: today's schema still refuses it; it stays, re-kept with today's errors.
 * - `consent`: it carries data above its declared level and should never have been kept; removed.
 * - `omitted`: kept without its document (nested too deeply to serialize); nothing to replay.
 * - `unreadable`: the kept blob is not a rejected-document record this code wrote; left as it is.
 * - `unsupported`: its docType/docVersion is not one the receiver takes (today); left as it is.
 * - `not_found`: nothing is kept under that docId (any more).
 */
export type ReplayOutcome = "accepted" | "duplicate" | "conflict" | "invalid" | "consent" | "omitted" | "unreadable" | "unsupported" | "not_found";

export const replayOutcomes: readonly ReplayOutcome[] = Object.freeze([
  "accepted",
  "duplicate",
  "conflict",
  "invalid",
  "consent",
  "omitted",
  "unreadable",
  "unsupported",
  "not_found",
]);

/** One document's replay. Never carries document content: ids, paths and reasons only. */
export interface ReplayResult {
  docId: string;
  /** The blob in `rejected` (for `not_found` by docId: the name looked for under the first document type). */
  name: string;
  outcome: ReplayOutcome;
  /** Whether the blob was deleted from `rejected` (never in a dry run). */
  removed: boolean;
  /** For `invalid`: JSON Pointer paths of today's errors (as the submission log writes them, no values). */
  errorPaths?: string[];
  /** A short reason for the outcomes that need one. */
  detail?: string;
}

export interface ReplaySummary {
  dryRun: boolean;
  documents: number;
  outcomes: Record<ReplayOutcome, number>;
  removed: number;
}

export interface ReplayRejectedOptions {
  /** Judge and report, write nothing (not to `raw`, the queue or `rejected`). */
  dryRun?: boolean;
  /** Called once per document, in order, as soon as its outcome is known. */
  onProgress?: (result: ReplayResult) => void;
}


/** A YYYY-MM-DD that exists in the calendar (so `2026-02-30` is refused rather than rolled over). */
function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const date = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/**
 * Checks a selection before anything is read: docIds must be UUIDs (they name blobs) and
 * dates real YYYY-MM-DD days with `from` <= `to` (they go into a blob-tag query, so
 * nothing else may reach it). Throws `InvalidParameterError` naming the parameter.
 */
export function validateReplaySelection(selection: ReplaySelection): void {
  if (selection.kind === "docIds") {
    if (selection.docIds.length === 0) throw new InvalidParameterError("give at least one docId", "docId");
    for (const docId of selection.docIds) {
      if (!isUuid(docId)) throw new InvalidParameterError(`docId ${JSON.stringify(docId.slice(0, 40))} is not a UUID`, "docId");
    }
    return;
  }
  for (const [name, value] of [["from", selection.from], ["to", selection.to]] as const) {
    if (!isCalendarDate(value)) throw new InvalidParameterError(`${name} ${JSON.stringify(value.slice(0, 40))} is not a date such as 2026-11-19`, name);
  }
  if (selection.from > selection.to) throw new InvalidParameterError(`from (${selection.from}) is after to (${selection.to})`);
}

/** A kept record as far as replay relies on it; anything else is reported `unreadable`. */
interface KeptRecord {
  docType: string;
  docVersion: number;
  docId: string;
  document: unknown;
  omitted: boolean;
}

function toKeptRecord(name: string, value: unknown): KeptRecord | string {
  if (!isRecord(value)) return "the blob is not a JSON object";
  const { docType, docVersion, docId } = value;
  if (typeof docType !== "string" || typeof docVersion !== "number" || typeof docId !== "string" || !("document" in value)) {
    return "the blob lacks docType, docVersion, docId or document";
  }
  // The name is the record's identity: replaying a record under another docId than its
  // name says, and then removing that name, could drop a different document.
  if (rejectedBlobName(docType, docVersion, docId) !== name) return "the record's docType, docVersion or docId do not match its blob name";
  return { docType, docVersion, docId, document: value["document"], omitted: "documentOmitted" in value };
}

/** Blob names in `rejected` to look at, each with the docId it should hold. */
async function selectNames(selection: ReplaySelection, deps: ReplayDeps): Promise<{ name: string; docId: string; candidates: string[] }[]> {
  if (selection.kind === "docIds") {
    // Every known document type: a docId is kept under the type it was submitted as.
    return [...new Set(selection.docIds)].map((docId) => {
      const candidates = documentTypes.map((type) => rejectedBlobName(type.docType, type.docVersion, docId));
      return { name: candidates[0]!, docId, candidates };
    });
  }
  // Listed in full before anything is replayed: a document that stays invalid is re-kept
  // with today's date, and a listing still running could then meet it again.
  const names = new Set<string>();
  for await (const name of deps.rejectedStore.listByReceivedDate(selection.from, selection.to)) names.add(name);
  return [...names].sort().map((name) => ({ name, docId: /([^/]+)\.json$/.exec(name)?.[1] ?? name, candidates: [name] }));
}

/** Reads the first candidate that exists: its name and content, or the reason it cannot be read. */
async function readKept(
  candidates: readonly string[],
  deps: ReplayDeps,
): Promise<{ name: string; record: KeptRecord | string } | undefined> {
  for (const name of candidates) {
    let value: unknown;
    try {
      value = await deps.rejectedStore.read(name);
    } catch (error) {
      if (error instanceof SyntaxError) return { name, record: "the blob is not JSON" };
      throw error;
    }
    if (value !== undefined) return { name, record: toKeptRecord(name, value) };
  }
  return undefined;
}

const CONSENT_DETAIL = "carries data above its declared level; such documents are never kept (content not shown)";

/** What submitting would do, by validation and a read of `raw`: the dry run's answer. Writes nothing. */
async function judge(kept: KeptRecord, name: string, deps: ReplayDeps, now: Date): Promise<ReplayResult> {
  const base = { docId: kept.docId, name, removed: false };
  const type = findDocumentType(kept.docType, kept.docVersion);
  if (type === undefined) return { ...base, outcome: "unsupported", detail: `unknown document type ${kept.docType} v${kept.docVersion}` };
  try {
    requireDocId(kept.docId);
  } catch (error) {
    if (error instanceof ValidationError) return { ...base, outcome: "invalid", errorPaths: error.errors.map((e) => e.path) };
    throw error;
  }
  const verdict = type.validate(kept.document, { docId: kept.docId, docVersion: type.docVersion }, now);
  if (!verdict.ok) {
    return verdict.kind === "consent"
      ? { ...base, outcome: "consent", detail: CONSENT_DETAIL }
      : { ...base, outcome: "invalid", errorPaths: verdict.errors.map((e) => e.path) };
  }
  const stored = await deps.rawArchive.read(rawBlobName(type.docType, type.docVersion, kept.docId));
  if (stored === undefined) return { ...base, outcome: "accepted" };
  const sha256 = sha256Hex(canonicalJson(verdict.document));
  return (stored.sha256 ?? sha256Hex(stored.body)) === sha256
    ? { ...base, outcome: "duplicate" }
    : { ...base, outcome: "conflict", detail: "raw already holds a different document under this docId" };
}

/** Submits a kept document through the live path and settles its blob in `rejected`. */
async function replay(kept: KeptRecord, name: string, deps: ReplayDeps): Promise<ReplayResult> {
  const base = { docId: kept.docId, name };
  // Built by hand, not spread from deps: services carry a rate limiter that must not apply here.
  const ingestion: IngestionDeps = { rawArchive: deps.rawArchive, rejectedStore: deps.rejectedStore, ingestQueue: deps.ingestQueue };
  if (deps.now !== undefined) ingestion.now = deps.now;
  try {
    const response = await submitDocument({ docType: kept.docType, docVersion: kept.docVersion, docId: kept.docId, document: kept.document }, ingestion);
    // Removed only after raw and the queue hold it: a run that dies here is finished by the
    // next one, which finds the document a duplicate.
    return { ...base, outcome: response.status, removed: await deps.rejectedStore.remove(name) };
  } catch (error) {
    if (error instanceof ConsentError) {
      return { ...base, outcome: "consent", removed: await deps.rejectedStore.remove(name), detail: CONSENT_DETAIL };
    }
    // submitDocument has re-kept it under the same name, with today's errors and date.
    if (error instanceof ValidationError) return { ...base, outcome: "invalid", removed: false, errorPaths: error.errors.map((e) => e.path) };
    if (error instanceof ConflictError) {
      return { ...base, outcome: "conflict", removed: false, detail: "raw already holds a different document under this docId" };
    }
    if (error instanceof NotFoundError) return { ...base, outcome: "unsupported", removed: false, detail: error.message };
    throw error;
  }
}

/**
 * Replays kept rejected documents against today's schema (docs/operations.md, "Replay of
 * rejected documents"). Each one that now passes goes through `submitDocument`, so it is
 * stored and queued exactly as a live submission, and is then removed from `rejected`.
 * Documents are taken one at a time: a replay is rare and small, and serial progress is
 * what an operator can follow.
 *
 * Storage failures (`StorageUnavailableError`, or anything unexpected) end the run by
 * throwing; what was done so far stays done, and running it again is safe (a replayed
 * document is found a duplicate).
 *
 * @throws InvalidParameterError for a malformed selection, before anything is read.
 */
export async function replayRejected(selection: ReplaySelection, deps: ReplayDeps, options: ReplayRejectedOptions = {}): Promise<ReplaySummary> {
  validateReplaySelection(selection);
  const dryRun = options.dryRun ?? false;
  const summary: ReplaySummary = {
    dryRun,
    documents: 0,
    outcomes: Object.fromEntries(replayOutcomes.map((o) => [o, 0])) as Record<ReplayOutcome, number>,
    removed: 0,
  };
  for (const { name, docId, candidates } of await selectNames(selection, deps)) {
    const found = await readKept(candidates, deps);
    let result: ReplayResult;
    if (found === undefined) {
      result = { docId, name, outcome: "not_found", removed: false };
    } else if (typeof found.record === "string") {
      result = { docId, name: found.name, outcome: "unreadable", removed: false, detail: found.record };
    } else if (found.record.omitted) {
      result = { docId, name: found.name, outcome: "omitted", removed: false, detail: "kept without its document (nested too deeply); nothing to replay" };
    } else if (dryRun) {
      result = await judge(found.record, found.name, deps, deps.now?.() ?? new Date());
    } else {
      result = await replay(found.record, found.name, deps);
    }
    summary.documents += 1;
    summary.outcomes[result.outcome] += 1;
    if (result.removed) summary.removed += 1;
    options.onProgress?.(result);
  }
  return summary;
}
