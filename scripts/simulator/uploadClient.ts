/**
 * The SCP's side of the wire: one document to the submit route, or several as a gzipped
 * NDJSON batch, retried as a careful SCP would. A retry reuses the docId (it is the
 * idempotency key), after a timeout, a 5xx or a 429, waiting what the server's `Retry-After`
 * says or, without one, an exponential back-off with jitter.
 */
import { gzipSync } from "node:zlib";
import type { UsageDocument } from "../../shared/validation/usageDocument";

/** What became of one document, as the SCP last heard it. */
export type DocumentOutcome = "accepted" | "duplicate" | "conflict" | "invalid" | "rate_limited" | "failed";

export const documentOutcomes: readonly DocumentOutcome[] = Object.freeze(["accepted", "duplicate", "conflict", "invalid", "rate_limited", "failed"]);

/** 2xx for the document: the service promised to count it. */
export function isConfirmed(outcome: DocumentOutcome): boolean {
  return outcome === "accepted" || outcome === "duplicate";
}

export interface DocumentResult {
  docId: string;
  outcome: DocumentOutcome;
  /** Requests that carried it, retries included. */
  attempts: number;
}

/** One HTTP request, for the latency figures. */
export interface AttemptRecord {
  route: "submit" | "batch";
  /** HTTP status, or 0 for a timeout or a connection error. */
  status: number;
  ms: number;
}

export interface UploadClientOptions {
  /** Base URL of the receiver, without `/api`. */
  url: string;
  ingestKey: string;
  /** A request that takes longer is abandoned and retried (default 30 s). */
  timeoutMs?: number;
  /** Requests per document before it counts as `failed` (default 8). */
  maxAttempts?: number;
  /** A `Retry-After` longer than this is not waited for: the document stays `rate_limited` or `failed` (default 60 s). */
  maxRetryWaitMs?: number;
  /** Stands in for setTimeout in tests. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter for the back-off, in [0, 1). */
  random?: () => number;
  onAttempt?: (attempt: AttemptRecord) => void;
}

interface Reply {
  status: number;
  retryAfterMs: number | undefined;
  text: string;
}

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 section 10.2.3), in milliseconds from now. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class UploadClient {
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly maxRetryWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: UploadClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxAttempts = options.maxAttempts ?? 8;
    this.maxRetryWaitMs = options.maxRetryWaitMs ?? 60_000;
    this.sleep = options.sleep ?? sleepFor;
    this.random = options.random ?? Math.random;
  }

  /** POST /api/v1/submit/usage/{schemaVersion}/{docId}, retried until an answer that retrying cannot change. */
  async sendDocument(document: UsageDocument): Promise<DocumentResult> {
    const body = JSON.stringify(document);
    for (let attempt = 1; ; attempt++) {
      const reply = await this.post("submit", `/api/v1/submit/usage/${document.schemaVersion}/${document.docId}`, body, { "content-type": "application/json" });
      const final = finalOutcome(reply.status);
      if (final !== undefined) return { docId: document.docId, outcome: final, attempts: attempt };
      const wait = this.waitBeforeRetry(reply, attempt);
      if (wait === undefined) return { docId: document.docId, outcome: reply.status === 429 ? "rate_limited" : "failed", attempts: attempt };
      await this.sleep(wait);
    }
  }

  /**
   * POST /api/v1/batch with the documents as gzipped NDJSON. A whole-batch 5xx or timeout
   * sends the batch again (lines already stored answer `duplicate`); `rate_limited` lines
   * go again on their own after the wait the line names.
   */
  async sendBatch(documents: readonly UsageDocument[]): Promise<DocumentResult[]> {
    const results = new Map<string, DocumentResult>();
    let pending = [...documents];
    for (let attempt = 1; pending.length > 0; attempt++) {
      const ndjson = pending.map((document) => JSON.stringify({ docType: "usage", docVersion: document.schemaVersion, docId: document.docId, document })).join("\n");
      const reply = await this.post("batch", "/api/v1/batch", gzipSync(ndjson), { "content-type": "application/x-ndjson", "content-encoding": "gzip" });
      let retry: UsageDocument[] = pending;
      let waitMs = this.waitBeforeRetry(reply, attempt);
      if (reply.status === 200) {
        retry = [];
        let longest = 0;
        for (const line of batchLines(reply.text)) {
          const document = pending[line.line - 1];
          if (document === undefined) continue;
          if (line.status === "rate_limited") {
            retry.push(document);
            longest = Math.max(longest, (line.retryAfterSeconds ?? 1) * 1000);
          }
          results.set(document.docId, { docId: document.docId, outcome: lineOutcome(line.status), attempts: attempt });
        }
        waitMs = longest <= this.maxRetryWaitMs && attempt < this.maxAttempts ? longest : undefined;
      } else if (finalOutcome(reply.status) !== undefined) {
        for (const document of pending) results.set(document.docId, { docId: document.docId, outcome: "failed", attempts: attempt });
        retry = [];
      } else if (waitMs === undefined) {
        for (const document of pending) results.set(document.docId, { docId: document.docId, outcome: "failed", attempts: attempt });
      }
      if (retry.length === 0 || waitMs === undefined) break;
      pending = retry;
      await this.sleep(waitMs);
    }
    // A line the response did not account for was not confirmed.
    return documents.map((d) => results.get(d.docId) ?? { docId: d.docId, outcome: "failed", attempts: this.maxAttempts });
  }

  /** How long to wait before the next attempt, or undefined to give up. */
  private waitBeforeRetry(reply: Reply, attempt: number): number | undefined {
    if (attempt >= this.maxAttempts) return undefined;
    if (reply.retryAfterMs !== undefined) return reply.retryAfterMs <= this.maxRetryWaitMs ? reply.retryAfterMs : undefined;
    // No Retry-After (a timeout, a reset, a 5xx that names none): back off, with jitter so that retries do not come in step.
    return Math.min(30_000, 250 * 2 ** attempt) * (0.5 + this.random() / 2);
  }

  private async post(route: AttemptRecord["route"], path: string, body: string | Buffer, headers: Record<string, string>): Promise<Reply> {
    const started = performance.now();
    let reply: Reply;
    try {
      const response = await fetch(`${this.options.url}${path}`, {
        method: "POST",
        headers: { ...headers, "x-functions-key": this.options.ingestKey },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      reply = { status: response.status, retryAfterMs: parseRetryAfter(response.headers.get("retry-after")), text: await response.text() };
    } catch {
      // A timeout or a connection that failed: the document may or may not be stored, so it goes again under the same docId.
      reply = { status: 0, retryAfterMs: undefined, text: "" };
    }
    this.options.onAttempt?.({ route, status: reply.status, ms: performance.now() - started });
    return reply;
  }
}

/** The outcome a status settles, or undefined when the request should go again (timeout, 429, 5xx). */
function finalOutcome(status: number): DocumentOutcome | undefined {
  if (status === 202) return "accepted";
  if (status === 200) return "duplicate";
  if (status === 409) return "conflict";
  if (status === 0 || status === 429 || status >= 500) return undefined;
  if (status === 400) return "invalid";
  // 401, 404, 413, 415: the simulator is misconfigured, and the same bytes would fare no better.
  return "failed";
}

interface BatchLine {
  line: number;
  status: string;
  retryAfterSeconds?: number;
}

/** The `results` of a batch response; none when the body is not what the contract describes. */
function batchLines(text: string): BatchLine[] {
  try {
    const results = (JSON.parse(text) as { results?: unknown }).results;
    return Array.isArray(results) ? (results as BatchLine[]) : [];
  } catch {
    return [];
  }
}

function lineOutcome(status: string): DocumentOutcome {
  switch (status) {
    case "accepted":
    case "duplicate":
    case "conflict":
    case "invalid":
    case "rate_limited":
      return status;
    default:
      return "failed";
  }
}
