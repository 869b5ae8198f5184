import { limits } from "../config";
import { ConflictError, NotFoundError, PayloadTooLargeError, RateLimitedError, ValidationError } from "../errors";
import type { BatchLineResult, BatchLineStatus, BatchResponse } from "../resultsV1";
import { outcomeOf, type Outcome } from "../telemetry/outcomes";
import { parseJsonBody } from "./parseJsonBody";
import type { Submission } from "./judgeSubmission";
import { submitDocument, type IngestionDeps } from "./submitDocument";
import { lineParseCost, reservedParseCost } from "./batchParseCost";
import { runWithinCost } from "./runWithinCost";
import { splitLines } from "./splitLines";

// The answer's shape is the results schema's (schemas/results.v1.schema.json).
export type { BatchLineResult, BatchLineStatus, BatchResponse } from "../resultsV1";

/** Called once per line with its outcome, for telemetry. */
export type BatchLineObserver = (result: BatchLineResult, outcome: Outcome) => void;

/*
 * Lines are independent: several in flight hide storage latency, so that a 500-line batch
 * takes a few round trips' time, not 500. Up to MAX_LINES_IN_FLIGHT at once, as long as their
 * parse costs together stay within what the route reserved for the batch (batchParseCost:
 * its RESERVED_LINES costliest lines). Any RESERVED_LINES lines fit, so a batch of large
 * lines runs as many at once as before and typical lines run many more.
 */
const MAX_LINES_IN_FLIGHT = 32;
const ENVELOPE_KEYS = new Set(["docType", "docVersion", "docId", "document"]);

function envelopeError(message: string): ValidationError {
  return new ValidationError(`Line is not a valid envelope: ${message}`, [{ path: "", message: `envelope: ${message}` }]);
}

/** Reads one line's envelope `{docType, docVersion, docId, document}`. */
function parseEnvelope(bytes: Buffer): Submission {
  if (bytes.length > limits.maxDocumentBytes) {
    throw envelopeError(`line is over the ${limits.maxDocumentBytes} byte document limit`);
  }
  const value = parseJsonBody(bytes);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw envelopeError("not a JSON object");
  const unknown = Object.keys(value).filter((key) => !ENVELOPE_KEYS.has(key));
  if (unknown.length > 0) throw envelopeError(`unknown member(s) ${unknown.map((k) => JSON.stringify(k)).join(", ")}`);
  const { docType, docVersion, docId, document } = value as Record<string, unknown>;
  if (typeof docType !== "string") throw envelopeError("docType must be a string");
  if (typeof docVersion !== "number" || !Number.isInteger(docVersion)) throw envelopeError("docVersion must be an integer");
  if (typeof docId !== "string") throw envelopeError("docId must be a string");
  if (document === undefined) throw envelopeError("document is missing");
  return { docType, docVersion, docId, document };
}

function docIdOf(bytes: Buffer): string | undefined {
  // Only for the result row: a cheap look for the envelope's docId when the line failed early.
  const match = /"docId"\s*:\s*"([0-9a-fA-F-]{36})"/.exec(bytes.subarray(0, 4096).toString("latin1"));
  return match?.[1];
}

/**
 * Judges every line of an offline upload on its own, with the rules of a single submission
 * (the rate limit included: a line over its hierarchy's limit is `rate_limited`). A bad
 * line never fails the others; an unreachable storage fails the whole batch (503): the
 * lines in flight finish, no new one starts, and those already stored answer `duplicate`
 * when the batch is sent again.
 */
export async function submitBatchLines(body: Buffer, deps: IngestionDeps, observe?: BatchLineObserver): Promise<BatchResponse> {
  const lines = splitLines(body);
  if (lines.length > limits.maxBatchLines) {
    throw new PayloadTooLargeError(`The batch has ${lines.length} lines; at most ${limits.maxBatchLines} are allowed`, `lines:${limits.maxBatchLines}`);
  }
  const results = new Array<BatchLineResult>(lines.length);
  const costs = lines.map(({ bytes }) => lineParseCost(bytes));
  // After a storage failure the lines in flight finish (and record their outcomes) before the
  // batch answers, so nothing is written after the 503 goes out.
  await runWithinCost(costs, reservedParseCost(costs), MAX_LINES_IN_FLIGHT, async (index) => {
    const { line, bytes } = lines[index]!;
    let result: BatchLineResult;
    let outcome: Outcome;
    try {
      const submission = parseEnvelope(bytes);
      const response = await submitDocument(submission, deps);
      result = { line, docId: submission.docId, status: response.status };
      outcome = response.status;
    } catch (error) {
      outcome = outcomeOf(error);
      const docId = docIdOf(bytes);
      const base = docId === undefined ? { line } : { line, docId };
      if (error instanceof ConflictError) result = { ...base, status: "conflict" };
      // Only this line waits; the batch goes on (contract section 2: never a 429 for the whole batch).
      else if (error instanceof RateLimitedError) result = { ...base, status: "rate_limited", retryAfterSeconds: error.retryAfterSeconds };
      else if (error instanceof ValidationError) result = { ...base, status: "invalid", errors: error.errors };
      else if (error instanceof NotFoundError) {
        result = { ...base, status: "invalid", errors: [{ path: "", message: `envelope: ${error.message}` }] };
      } else {
        throw error; // the batch fails as a whole; no line after it starts
      }
    }
    results[index] = result;
    observe?.(result, outcome);
  });
  const count = (status: BatchLineStatus): number => results.filter((r) => r.status === status).length;
  return {
    accepted: count("accepted"),
    duplicate: count("duplicate"),
    rejected: count("invalid") + count("conflict") + count("rate_limited"),
    results,
  };
}
