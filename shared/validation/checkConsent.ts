import type { DocumentError } from "./validationResult";

/** Consent levels in order: each includes the ones below it (contract section 1). */
const levelRanks: ReadonlyMap<string, number> = new Map([
  ["basic", 1],
  ["enhanced", 2],
  ["full", 3],
]);

/** A part of the document that needs more than basic consent, the level it needs, and the fixed message. */
interface ConsentRule {
  property: string;
  minimumRank: number;
  error: Readonly<DocumentError>;
}

function enhancedOnly(property: string): ConsentRule {
  return {
    property,
    minimumRank: 2,
    error: Object.freeze({ path: `/${property}`, message: `${property} may only be sent at level enhanced or full; the document is not kept` }),
  };
}

/** Version 1's rules (contract section 3). */
const consentRulesV1: readonly ConsentRule[] = Object.freeze([
  enhancedOnly("features"),
  {
    property: "compliance",
    minimumRank: 3,
    error: Object.freeze({ path: "/compliance", message: "compliance may only be sent at level full; the document is not kept" }),
  },
]);

/**
 * Version 2 extends the rule to its new parts (contract section 3.2). Version 1 keeps its own
 * list: there these names are undeclared properties (invalid, kept), not consent violations.
 */
const consentRulesV2: readonly ConsentRule[] = Object.freeze([
  ...consentRulesV1,
  enhancedOnly("coManagement"),
  enhancedOnly("updates"),
  enhancedOnly("osd"),
]);

const consentRulesByVersion: ReadonlyMap<number, readonly ConsentRule[]> = new Map([
  [1, consentRulesV1],
  [2, consentRulesV2],
]);

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
 * at basic, no `compliance` below full; in version 2 also no `coManagement`, `updates` or
 * `osd` at basic.
 *
 * Runs first, on the raw parsed value, before the schema: a violating document must be
 * rejected without being kept, whatever else is wrong with it. The errors are fixed
 * paths and fixed messages, so they never echo document content and may be logged.
 * Presence is what counts (`"features": {}` at basic is a violation too).
 *
 * @param docVersion - the version the submission path names (1 unless given)
 * @returns the violations; empty when consent is respected or the value is not an object.
 */
export function checkConsent(value: unknown, docVersion = 1): DocumentError[] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const rules = consentRulesByVersion.get(docVersion);
  if (rules === undefined) throw new RangeError(`no consent rules for usage version ${docVersion}`);
  const rank = declaredRank(value);
  const errors: DocumentError[] = [];
  for (const rule of rules) {
    if (rank < rule.minimumRank && Object.hasOwn(value, rule.property)) errors.push({ ...rule.error });
  }
  return errors;
}
