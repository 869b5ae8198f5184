/**
 * The typed errors of the domain. Each names the outcome it stands for; `shared/http/problem.ts`
 * is the one place that turns them into RFC 9457 problem details.
 */
import type { DocumentError } from "./validation/validateUsageV1";

export type { DocumentError };

/** Malformed JSON, invalid UTF-8, a schema or a semantic violation: 400 with `errors`. */
export class ValidationError extends Error {
  override readonly name: string = "ValidationError";
  constructor(
    message: string,
    readonly errors: DocumentError[] = [],
  ) {
    super(message);
  }
}

/**
 * Data above the declared collection level: 400 like any invalid document, but a separate
 * outcome because nothing of the document may be kept or logged.
 */
export class ConsentError extends ValidationError {
  override readonly name = "ConsentError";
}

/** A different document under a docId that is already used. */
export class ConflictError extends Error {
  override readonly name = "ConflictError";
}

/**
 * A query route's parameter (path or query string) that is missing, malformed or out of
 * range: 400. `parameter` names it (`week`, `from`, `id`…); undefined when the parameters
 * only fail together (`from` after `to`, a range that is too long).
 */
export class InvalidParameterError extends Error {
  override readonly name = "InvalidParameterError";
  constructor(
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
  }
}

/** Unknown docType/docVersion (and, for queries, an unknown hierarchy). */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}

/** Over a size or count limit; `limit` names it for the client. */
export class PayloadTooLargeError extends Error {
  override readonly name = "PayloadTooLargeError";
  constructor(
    message: string,
    readonly limit: string,
  ) {
    super(message);
  }
}

/**
 * The body did not arrive in full within `limits.bodyDeadlineMs` of the request's start
 * (contract section 2): 408, and the request gives back the memory it held.
 */
export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
}

/** A content type, charset or content encoding this service does not take. */
export class UnsupportedMediaTypeError extends Error {
  override readonly name = "UnsupportedMediaTypeError";
}

/** Over the per-hierarchy submission rate. */
export class RateLimitedError extends Error {
  override readonly name = "RateLimitedError";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** Storage did not answer (or answered 5xx); the client should retry later. */
export class StorageUnavailableError extends Error {
  override readonly name = "StorageUnavailableError";
  constructor(
    message: string,
    readonly retryAfterSeconds = 30,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * This instance already holds as much request data as contract section 2 allows (decoded and
 * parsed bodies in flight): 503, and the client retries once requests in flight have finished.
 */
export class MemoryBudgetExceededError extends Error {
  override readonly name = "MemoryBudgetExceededError";
  constructor(
    message: string,
    readonly retryAfterSeconds = 10,
  ) {
    super(message);
  }
}

/**
 * Optimistic concurrency kept losing: other writers changed the same rows every time. Transient:
 * the queue delivers the message again later.
 */
export class ContentionError extends Error {
  override readonly name = "ContentionError";
}

/**
 * A table write that Azure Table Storage would refuse (an entity over 1 MiB, a value over
 * 64 KiB, too many properties, a transaction over 100 operations or 4 MiB). Thrown before
 * the write by the storage boundary's guard (shared/storage/tableLimits.ts), so that tests
 * on Azurite, which does not enforce these limits in transactions, fail where Azure would.
 * Always a bug of ours: retrying cannot help.
 */
export class TableLimitError extends Error {
  override readonly name = "TableLimitError";
  constructor(
    message: string,
    readonly limit: "entity bytes" | "value bytes" | "key bytes" | "properties" | "property name length" | "operations" | "transaction bytes",
    readonly actual: number,
    readonly maximum: number,
  ) {
    super(message);
  }
}

/** A missing or wrong function key (the Functions host does this in Azure; the local runtime here). */
export class UnauthorizedError extends Error {
  override readonly name = "UnauthorizedError";
}

/** Anything thrown that is not an Error becomes one, so callers can rely on `.message`. */
export function ensureErrorType(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === "string" ? value : `Non-error thrown: ${String(value)}`);
}
