import { ConflictError, InvalidParameterError } from "../errors";
import { judgeSubmission, type ClaimOutcome } from "../ingestion/judgeSubmission";
import { keepRejected, previewClaim, storeVerdict, type IngestionDeps } from "../ingestion/storeVerdict";
import { rejectedBlobName } from "../storage/rejectedStore";
import { documentTypes } from "../validation/documentTypes";
import { isRecord } from "../isRecord";
import { isUuid } from "../isUuid";

/** What a replay needs: what submitting needs, less the rate limiter (a replay is never rate-limited). */
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
const CONFLICT_DETAIL = "raw already holds a different document under this docId";

interface ReplayOneOptions {
  /** Judge and read, write nothing. */
  dryRun: boolean;
}

/**
 * Judges one kept document with the judgement a submission gets (`judgeSubmission`) and,
 * unless this is a dry run, does what submitting it would: the same verdict, so the dry
 * run's answer is the run's. The only read a dry run makes is `raw`'s hash under the docId,
 * to tell `accepted` from `duplicate` and `conflict` as storing would.
 */
async function replayOne(kept: KeptRecord, name: string, deps: ReplayDeps, options: ReplayOneOptions): Promise<ReplayResult> {
  const now = deps.now?.() ?? new Date();
  const verdict = judgeSubmission(kept, { now });
  const base = { docId: kept.docId, name, removed: false };
  // Never rate-limited: a replay is the operator's decision, and one hierarchy's backlog of
  // rejected documents must not be throttled as a runaway SCP would be.
  const storeOptions = { now, rateLimit: false };
  switch (verdict.kind) {
    case "unknown_type":
      return { ...base, outcome: "unsupported", detail: `unknown document type ${kept.docType} v${kept.docVersion}` };
    case "invalid_doc_id":
      return { ...base, outcome: "invalid", errorPaths: verdict.errors.map((e) => e.path) };
    case "consent":
      return { ...base, outcome: "consent", detail: CONSENT_DETAIL, removed: !options.dryRun && (await deps.rejectedStore.remove(name)) };
    case "invalid":
      // Re-kept under the same name, with today's errors and date, as a live submission keeps it.
      if (!options.dryRun) await keepRejected(verdict, deps, storeOptions);
      return { ...base, outcome: "invalid", errorPaths: verdict.errors.map((e) => e.path) };
    case "valid":
      break;
  }
  let outcome: ClaimOutcome;
  if (options.dryRun) {
    outcome = await previewClaim(verdict, deps);
  } else {
    try {
      outcome = (await storeVerdict(verdict, deps, storeOptions)).status;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      outcome = "conflict";
    }
  }
  if (outcome === "conflict") return { ...base, outcome, detail: CONFLICT_DETAIL };
  // Removed only after raw and the queue hold it: a run that dies here is finished by the
  // next one, which finds the document a duplicate.
  return { ...base, outcome, removed: !options.dryRun && (await deps.rejectedStore.remove(name)) };
}

/**
 * Replays kept rejected documents against today's schema (docs/operations.md, "Replay of
 * rejected documents"). Each is judged as a submission is (`judgeSubmission`); one that now
 * passes is stored and queued by the step a live submission takes (`storeVerdict`), without
 * the rate limit, and is then removed from `rejected`.
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
    } else {
      result = await replayOne(found.record, found.name, deps, { dryRun });
    }
    summary.documents += 1;
    summary.outcomes[result.outcome] += 1;
    if (result.removed) summary.removed += 1;
    options.onProgress?.(result);
  }
  return summary;
}
