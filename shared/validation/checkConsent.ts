import type { DocumentError } from "./validationResult";

/** Consent levels in order: each includes the ones below it (contract section 1). */
const levelRanks: ReadonlyMap<string, number> = new Map([
  ["basic", 1],
  ["enhanced", 2],
  ["full", 3],
]);

/** The data that needs more than basic consent, the level it needs, and the fixed message. */
const consentRules: readonly { property: string; minimumRank: number; error: Readonly<DocumentError> }[] = [
  {
    property: "features",
    minimumRank: 2,
    error: Object.freeze({ path: "/features", message: "features may only be sent at level enhanced or full; the document is not kept" }),
  },
  {
    property: "compliance",
    minimumRank: 3,
    error: Object.freeze({ path: "/compliance", message: "compliance may only be sent at level full; the document is not kept" }),
  },
];

/**
 * The consent level a raw value declares. A level we cannot read (missing, not a string,
 * not one of the three) counts as basic, the least consent: a document we cannot place must
 * never be kept on the strength of a level it did not clearly give.
 */
function declaredRank(document: object): number {
  const level: unknown = Object.hasOwn(document, "level") ? (document as { level: unknown }).level : undefined;
  return (typeof level === "string" ? levelRanks.get(level) : undefined) ?? 1;
}

/**
 * Checks that a document carries no data above its declared consent level: no `features`
 * at basic, no `compliance` below full.
 *
 * Runs first, on the raw parsed value, before the schema: a violating document must be
 * rejected without being kept, whatever else is wrong with it. The errors are fixed
 * paths and fixed messages, so they never echo document content and may be logged.
 * Presence is what counts (`"features": {}` at basic is a violation too).
 *
 * @returns the violations; empty when consent is respected or the value is not an object.
 */
export function checkConsent(value: unknown): DocumentError[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const rank = declaredRank(value);
  const errors: DocumentError[] = [];
  for (const rule of consentRules) {
    if (rank < rule.minimumRank && Object.hasOwn(value, rule.property)) errors.push({ ...rule.error });
  }
  return errors;
}
