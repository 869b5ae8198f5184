/** One problem found in a document: where (a JSON Pointer) and what. */
export interface DocumentError {
  /** RFC 6901 JSON Pointer into the submitted document; `""` is the document itself. */
  path: string;
  message: string;
}

/**
 * The outcome of validating one document.
 *
 * `consent` and `invalid` are different fates (contract section 3): a consent violation is
 * rejected and never persisted anywhere; an invalid document is kept among the rejected
 * documents, with its errors, so that it can be replayed once a schema is fixed.
 */
export type ValidationResult<T> =
  | { ok: true; document: T }
  | { ok: false; kind: "consent"; errors: DocumentError[] }
  | { ok: false; kind: "invalid"; errors: DocumentError[] };

/**
 * At most this many errors are reported for one document. The list goes into a 400 body,
 * a batch result line and the rejected-document record, so a hostile document must not be
 * able to make any of them large; 50 is plenty for a person fixing an SCP.
 */
export const maxReportedErrors = 50;

/** The entry that ends a list cut at `maxReportedErrors`. */
export const moreErrorsNotShown: Readonly<DocumentError> = Object.freeze({
  path: "",
  message: `more errors were found; only the first ${maxReportedErrors} are reported`,
});

/** The entry that follows the one error listed for a document too large to list them all. */
export const onlyFirstErrorShown: Readonly<DocumentError> = Object.freeze({
  path: "",
  message: "the document is too large to list every error; only the first is reported",
});

/** Whether an entry is one of the notes above rather than an error in the document. */
export function isErrorListNote(error: DocumentError): boolean {
  return error.path === "" && (error.message === moreErrorsNotShown.message || error.message === onlyFirstErrorShown.message);
}

/**
 * Keeps the first error for each path (a string that is too long usually fails its
 * pattern as well; one message per place is what a reader needs) and caps the list.
 */
export function limitErrors(errors: readonly DocumentError[]): DocumentError[] {
  const seen = new Set<string>();
  const kept: DocumentError[] = [];
  for (const error of errors) {
    if (seen.has(error.path)) continue;
    if (kept.length === maxReportedErrors) {
      kept.push({ ...moreErrorsNotShown });
      break;
    }
    seen.add(error.path);
    kept.push(error);
  }
  return kept;
}
