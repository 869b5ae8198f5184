import { validateUsageV1 } from "./validateUsageV1";
import type { UsageV1 } from "./usageV1";
import type { ValidationResult } from "./validationResult";

/** A docType/docVersion pair the receiver accepts, with its validator. */
export interface DocumentType<T = unknown> {
  docType: string;
  docVersion: number;
  validate(value: unknown, expected: { docId: string; docVersion: number }, now?: Date): ValidationResult<T>;
}

const usageV1: DocumentType<UsageV1> = Object.freeze({ docType: "usage", docVersion: 1, validate: validateUsageV1 });

/**
 * Every known document type. Later versions are added beside the existing ones, never
 * instead of them (contract section 2): SCPs that send version 1 keep working.
 */
export const documentTypes: readonly DocumentType[] = Object.freeze([usageV1]);

/** A version as the path spells it: a positive integer in canonical decimal, nothing else. */
const canonicalVersion = /^[1-9][0-9]{0,8}$/;

function toVersionNumber(docVersion: string | number): number | undefined {
  if (typeof docVersion === "number") return Number.isSafeInteger(docVersion) && docVersion > 0 ? docVersion : undefined;
  return canonicalVersion.test(docVersion) ? Number(docVersion) : undefined;
}

/**
 * Finds the document type for a submission path's `{docType}/{docVersion}` (or a batch
 * envelope's fields). `"1"` and `1` both find usage v1; `"01"`, `"1.0"`, `" 1"` find
 * nothing, so that one document type has one URL.
 *
 * @returns the document type, or `undefined` for an unknown pair (a 404).
 */
export function findDocumentType(docType: string, docVersion: string | number): DocumentType | undefined {
  const version = toVersionNumber(docVersion);
  if (version === undefined) return undefined;
  return documentTypes.find((known) => known.docType === docType && known.docVersion === version);
}
