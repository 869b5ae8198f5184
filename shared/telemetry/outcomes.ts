import {
  ConflictError,
  ConsentError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  RequestTimeoutError,
  UnsupportedMediaTypeError,
  ValidationError,
} from "../errors";

/** The one outcome every submission ends in (issue: ingestion, item 8). */
export type Outcome =
  | "accepted"
  | "duplicate"
  | "conflict"
  | "invalid"
  | "consent"
  | "too_large"
  | "unsupported"
  | "rate_limited"
  | "timed_out"
  | "unavailable";

export const allOutcomes: readonly Outcome[] = [
  "accepted", "duplicate", "conflict", "invalid", "consent", "too_large", "unsupported", "rate_limited", "timed_out", "unavailable",
];

/** The outcome an error stands for. Anything unexpected counts as `unavailable` (the client is told to retry). */
export function outcomeOf(error: unknown): Outcome {
  if (error instanceof ConsentError) return "consent";
  if (error instanceof ValidationError) return "invalid";
  if (error instanceof ConflictError) return "conflict";
  if (error instanceof PayloadTooLargeError) return "too_large";
  if (error instanceof UnsupportedMediaTypeError || error instanceof NotFoundError) return "unsupported";
  if (error instanceof RateLimitedError) return "rate_limited";
  if (error instanceof RequestTimeoutError) return "timed_out";
  return "unavailable";
}

/**
 * What is recorded of a submission. Deliberately no document content: ids from the URL,
 * sizes, and for invalid documents the JSON Pointers of the errors (paths, not values),
 * which `Telemetry` records through `toLoggedPath` (names the schema declares, placeholders
 * for map keys and invented names).
 */
export interface OutcomeRecord {
  outcome: Outcome;
  route: "submit" | "batch";
  status: number;
  docType?: string;
  docVersion?: string;
  docId?: string;
  batchLine?: number;
  bytes?: number;
  durationMs?: number;
  errorPaths?: string[];
  /** Name of an unexpected error, so an operator can find the bug; never its message. */
  errorName?: string;
}
