import { StorageUnavailableError } from "../errors";

interface RestLikeError {
  statusCode?: number;
  code?: string;
  name?: string;
}

function asRestLike(error: unknown): RestLikeError | undefined {
  return typeof error === "object" && error !== null ? error : undefined;
}

/** The HTTP status storage answered with, if it answered at all. */
export function storageStatusOf(error: unknown): number | undefined {
  const status = asRestLike(error)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The storage error code (`BlobAlreadyExists`, `EntityAlreadyExists`, …), if any. */
export function storageCodeOf(error: unknown): string | undefined {
  const code = asRestLike(error)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * True for failures that say storage is away rather than that our request was wrong:
 * no answer at all (connection refused, timeout, abort), 5xx, and throttling (429/503).
 */
export function isStorageUnavailable(error: unknown): boolean {
  const rest = asRestLike(error);
  if (rest === undefined) return false;
  const status = rest.statusCode;
  if (status === undefined) {
    return rest.name === "RestError" || rest.name === "AbortError" || (typeof rest.code === "string" && /^E[A-Z]+|REQUEST_SEND_ERROR/.test(rest.code));
  }
  return status >= 500 || status === 429 || status === 408;
}

/**
 * The storage boundary's translation: outages become `StorageUnavailableError` (a 503 with
 * Retry-After to the client); everything else is rethrown as it is, for the caller to map
 * the expected 404/409/412 into domain outcomes.
 */
export function translateStorageError(error: unknown, what: string): never {
  if (isStorageUnavailable(error)) throw new StorageUnavailableError(`storage unavailable while ${what}`, 30, { cause: error });
  throw error;
}
