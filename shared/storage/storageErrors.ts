import { isRestError, type RestError } from "@azure/core-rest-pipeline";
import { StorageUnavailableError } from "../errors";

/**
 * Every place the SDKs leave the service's error code, as seen against Azurite: blob and
 * queue errors fill `code`, but a blob HEAD (no body) only `details.errorCode`; table errors
 * fill `details.errorCode` and the parsed OData body, a table batch only `code`.
 */
function codesOf(error: RestError): string[] {
  const details = error.details as { errorCode?: unknown } | undefined;
  // core-client leaves the deserialised body on the response it attaches to the error.
  const response = error.response as { parsedBody?: { odataError?: { code?: unknown } } } | undefined;
  const body = response?.parsedBody;
  return [error.code, details?.errorCode, body?.odataError?.code].filter((code): code is string => typeof code === "string");
}

/** The HTTP status storage answered with, if it answered at all. */
export function storageStatusOf(error: unknown): number | undefined {
  return isRestError(error) ? error.statusCode : undefined;
}

/** The storage error code (`BlobAlreadyExists`, `EntityAlreadyExists`, …), if any. */
export function storageCodeOf(error: unknown): string | undefined {
  return isRestError(error) ? codesOf(error)[0] : undefined;
}

/**
 * True when storage answered `status` and, if codes are given, one of those error codes:
 * the match the SDK's own `handleTableAlreadyExists` makes, so that a 409 or 412 we did not
 * expect (a lease, a disabled account) is not mistaken for the one we did.
 */
export function isStorageError(error: unknown, status: number, ...codes: string[]): boolean {
  if (!isRestError(error) || error.statusCode !== status) return false;
  return codes.length === 0 || codesOf(error).some((code) => codes.includes(code));
}

/**
 * True for failures that say storage is away rather than that our request was wrong:
 * no answer at all (connection refused, timeout, abort), 5xx, and throttling (429/503).
 */
export function isStorageUnavailable(error: unknown): boolean {
  if (isRestError(error)) {
    const status = error.statusCode;
    return status === undefined || status >= 500 || status === 429 || status === 408;
  }
  // An abort or a socket error can surface before the pipeline wraps it in a RestError.
  if (typeof error !== "object" || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === "AbortError" || (typeof code === "string" && /^E[A-Z]+|REQUEST_SEND_ERROR/.test(code));
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
