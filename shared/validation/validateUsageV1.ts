import { checkConsent } from "./checkConsent";
import { checkSemanticRules } from "./semanticRules";
import { toSchemaValidator } from "./toSchemaValidator";
import type { UsageV1 } from "./usageV1";
import * as usageV1Validators from "./usageV1Validators";
import { limitErrors, type ValidationResult } from "./validationResult";

export type { DocumentError, ValidationResult } from "./validationResult";
export type { UsageV1 } from "./usageV1";

/** Compiled at build time from schemas/usage.v1.schema.json: no schema is compiled at cold start. */
const checkUsageV1Schema = toSchemaValidator<UsageV1>(usageV1Validators);

/**
 * Validates a parsed `usage` version 1 document (contract section 3), in this order:
 *
 * 1. consent, on the raw value: data above the declared level fails as `kind: "consent"`,
 *    whatever else is wrong; such a document must not be persisted or logged anywhere;
 * 2. the JSON Schema `schemas/usage.v1.schema.json`: failures are `kind: "invalid"`;
 * 3. the semantic rules (`semanticRules.ts`), on schema-valid documents only: `kind: "invalid"`.
 *
 * Never throws for any value JSON.parse can produce. At most `maxReportedErrors` errors are
 * listed, one per path.
 *
 * @param value - the request body after JSON.parse
 * @param expected - the docId and docVersion from the submission path (or batch envelope)
 * @param now - the receiver's clock, for the "not more than a day in the future" rule
 * @returns the document, typed, when valid; the `document` is `value` itself, not a copy
 */
export function validateUsageV1(
  value: unknown,
  expected: { docId: string; docVersion: number },
  now: Date = new Date(),
): ValidationResult<UsageV1> {
  const consentErrors = checkConsent(value);
  if (consentErrors.length > 0) return { ok: false, kind: "consent", errors: consentErrors };

  const schemaCheck = checkUsageV1Schema(value);
  if (!schemaCheck.ok) return { ok: false, kind: "invalid", errors: schemaCheck.errors };

  const semanticErrors = checkSemanticRules(schemaCheck.value, { expected, now });
  if (semanticErrors.length > 0) return { ok: false, kind: "invalid", errors: limitErrors(semanticErrors) };

  return { ok: true, document: schemaCheck.value };
}
