import { recordCheckedMaps } from "./checkedMaps";
import { checkConsent } from "./checkConsent";
import { checkSemanticRules, type SemanticRule } from "./semanticRules";
import { toSchemaValidator, type ValidatorSet } from "./toSchemaValidator";
import type { UsageDocument } from "./usageDocument";
import { limitErrors, type ValidationResult } from "./validationResult";

/** Validates a parsed document against one usage version's rules; never throws. */
export type UsageValidate<T> = (value: unknown, expected: { docId: string; docVersion: number }, now?: Date) => ValidationResult<T>;

/**
 * The validation order every usage version keeps (contract section 3), built once per version:
 *
 * 1. consent, on the raw value: data above the declared level fails as `kind: "consent"`,
 *    whatever else is wrong; such a document must not be persisted or logged anywhere;
 * 2. the version's JSON Schema (its build-time validators): failures are `kind: "invalid"`;
 * 3. the version's semantic rules, on schema-valid documents only: `kind: "invalid"`.
 *
 * At most `maxReportedErrors` errors are listed, one per path.
 *
 * @param version - the usage version, which picks its consent rules
 * @param validators - the validators compiled at build time from the version's schema
 * @param rules - the version's semantic rules
 */
export function usageValidator<T extends UsageDocument>(version: number, validators: ValidatorSet, rules: readonly SemanticRule[]): UsageValidate<T> {
  const checkSchema = toSchemaValidator<T>(validators);
  return (value, expected, now = new Date()) => {
    const consentErrors = checkConsent(value, version);
    if (consentErrors.length > 0) return { ok: false, kind: "consent", errors: consentErrors };

    // The quick check lists and sums the maps; the semantic rules reuse that (checkedMaps.ts).
    const { result: schemaCheck, maps: checkedMaps } = recordCheckedMaps(checkSchema, value);
    if (!schemaCheck.ok) return { ok: false, kind: "invalid", errors: schemaCheck.errors };

    const semanticErrors = checkSemanticRules(schemaCheck.value, { expected, now, checkedMaps }, rules);
    if (semanticErrors.length > 0) return { ok: false, kind: "invalid", errors: limitErrors(semanticErrors) };

    return { ok: true, document: schemaCheck.value };
  };
}
