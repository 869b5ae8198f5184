import type { UsageDocument } from "./usageDocument";
import { validateUsageV1 } from "./validateUsageV1";
import { validateUsageV2 } from "./validateUsageV2";
import type { ValidationResult } from "./validationResult";

/** A docType/docVersion pair the receiver accepts, with its validator. */
export interface DocumentType<T = unknown> {
  docType: string;
  docVersion: number;
  validate(value: unknown, expected: { docId: string; docVersion: number }, now?: Date): ValidationResult<T>;
}

// The one place that branches on the usage version: each version validates to the one
// document model (usageDocument.ts) that the rest of the pipeline reads.
const usageV1: DocumentType<UsageDocument> = Object.freeze({ docType: "usage", docVersion: 1, validate: validateUsageV1 });
const usageV2: DocumentType<UsageDocument> = Object.freeze({ docType: "usage", docVersion: 2, validate: validateUsageV2 });

/**
 * Every known document type. Later versions are added beside the existing ones, never
 * instead of them (contract section 2): SCPs that send version 1 keep working.
 */
export const documentTypes: readonly DocumentType<UsageDocument>[] = Object.freeze([usageV1, usageV2]);

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
export function findDocumentType(docType: string, docVersion: string | number): DocumentType<UsageDocument> | undefined {
  const version = toVersionNumber(docVersion);
  if (version === undefined) return undefined;
  return documentTypes.find((known) => known.docType === docType && known.docVersion === version);
}
