import type { HttpResponseInit } from "@azure/functions";
import {
  ConflictError,
  ConsentError,
  InvalidParameterError,
  MemoryBudgetExceededError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  RequestTimeoutError,
  StorageUnavailableError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../errors";
import type { Problem } from "../resultsV1";
import { toJsonPointer } from "../validation/jsonPointer";

/** RFC 9457 problem details, as contract section 2 lists their members (the results schema's `Problem`). */
export type { Problem } from "../resultsV1";

/** Problem types are relative URI references documented in docs/api.md. */
const problemTypes = {
  invalid: "/problems/invalid-document",
  invalidParameter: "/problems/invalid-parameter",
  consent: "/problems/consent-violation",
  conflict: "/problems/docid-conflict",
  notFound: "/problems/not-found",
  tooLarge: "/problems/payload-too-large",
  timeout: "/problems/request-timeout",
  unsupported: "/problems/unsupported-media-type",
  rateLimited: "/problems/rate-limited",
  unavailable: "/problems/storage-unavailable",
  busy: "/problems/instance-busy",
  unauthorized: "/problems/unauthorized",
  internal: "/problems/internal-error",
} as const;

/**
 * Maps a typed error to its problem. Anything untyped is a fault of ours, never the
 * client's: 503 with Retry-After (the contract allows no 500 for what a client sent, and a
 * retry later loses nothing), with no detail from the error (it might echo document content).
 */
export function toProblem(error: unknown, docId?: string): Problem {
  const withDoc = <T extends Problem>(p: T): T => (docId === undefined ? p : { ...p, docId });
  if (error instanceof ConsentError) {
    return withDoc({ type: problemTypes.consent, title: "Data above the declared collection level", status: 400, detail: error.message, errors: error.errors });
  }
  if (error instanceof ValidationError) {
    return withDoc({ type: problemTypes.invalid, title: "Invalid document", status: 400, detail: error.message, errors: error.errors });
  }
  if (error instanceof InvalidParameterError) {
    // `path` points into the request's parameters taken as one object ({id, week, from, to}),
    // so that clients read one `errors` shape for documents and queries alike.
    const path = error.parameter === undefined ? "" : toJsonPointer([error.parameter]);
    return { type: problemTypes.invalidParameter, title: "Invalid parameter", status: 400, detail: error.message, errors: [{ path, message: error.message }] };
  }
  if (error instanceof ConflictError) {
    return withDoc({ type: problemTypes.conflict, title: "docId already used by a different document", status: 409, detail: error.message });
  }
  if (error instanceof NotFoundError) {
    return withDoc({ type: problemTypes.notFound, title: "Not found", status: 404, detail: error.message });
  }
  if (error instanceof PayloadTooLargeError) {
    return withDoc({ type: problemTypes.tooLarge, title: "Payload too large", status: 413, detail: error.message, limit: error.limit });
  }
  if (error instanceof RequestTimeoutError) {
    return withDoc({ type: problemTypes.timeout, title: "Request body not received in time", status: 408, detail: error.message });
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return withDoc({ type: problemTypes.unsupported, title: "Unsupported media type", status: 415, detail: error.message });
  }
  if (error instanceof RateLimitedError) {
    return withDoc({ type: problemTypes.rateLimited, title: "Too many submissions for this hierarchy", status: 429, detail: error.message });
  }
  if (error instanceof StorageUnavailableError) {
    return withDoc({ type: problemTypes.unavailable, title: "Storage unavailable", status: 503, detail: "Storage did not answer; retry later." });
  }
  if (error instanceof MemoryBudgetExceededError) {
    return withDoc({ type: problemTypes.busy, title: "Too much request data in flight", status: 503, detail: error.message });
  }
  if (error instanceof UnauthorizedError) {
    return { type: problemTypes.unauthorized, title: "Unauthorized", status: 401, detail: error.message };
  }
  return withDoc({ type: problemTypes.internal, title: "Temporarily unable to process", status: 503, detail: "An unexpected error occurred and was logged; retry later." });
}

/** The seconds a client should wait, for the errors that carry one. */
function retryAfterOf(error: unknown, status: number): number | undefined {
  if (error instanceof RateLimitedError || error instanceof StorageUnavailableError || error instanceof MemoryBudgetExceededError) {
    return error.retryAfterSeconds;
  }
  return status === 503 ? UNEXPECTED_RETRY_AFTER_SECONDS : undefined;
}

const UNEXPECTED_RETRY_AFTER_SECONDS = 60;

/** An HTTP response carrying the problem for `error`, with `Retry-After` where one applies. */
export function problemResponse(error: unknown, docId?: string): HttpResponseInit {
  const problem = toProblem(error, docId);
  const headers: Record<string, string> = { "Content-Type": "application/problem+json" };
  const retryAfter = retryAfterOf(error, problem.status);
  if (retryAfter !== undefined) headers["Retry-After"] = String(Math.max(1, Math.ceil(retryAfter)));
  return { status: problem.status, headers, body: JSON.stringify(problem) };
}

/** A JSON response; `body` rather than `jsonBody` so that the local runtime and the host send the same bytes. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers }, body: JSON.stringify(value) };
}
