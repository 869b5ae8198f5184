import { checkConsent } from "./checkConsent";
import { checkSemanticRules, semanticRulesV2 } from "./semanticRules";
import { toSchemaValidator } from "./toSchemaValidator";
import type { UsageV2 } from "./usageV2";
import * as usageV2Validators from "./usageV2Validators";
import { limitErrors, type ValidationResult } from "./validationResult";

export type { UsageV2 } from "./usageV2";

/** Compiled at build time from schemas/usage.v2.schema.json, as version 1's are. */
const checkUsageV2Schema = toSchemaValidator<UsageV2>(usageV2Validators);

/**
 * Validates a parsed `usage` version 2 document (contract section 3.2) in version 1's order:
 * consent on the raw value (version 2's parts included), then the JSON Schema
 * `schemas/usage.v2.schema.json`, then version 1's semantic rules and version 2's own
 * (byWindowsBuild and byArchitecture sum to clients.total, scan error codes are unique).
 *
 * Never throws for any value JSON.parse can produce.
 *
 * @param value - the request body after JSON.parse
 * @param expected - the docId and docVersion from the submission path (or batch envelope)
 * @param now - the receiver's clock, for the "not more than a day in the future" rule
 * @returns the document, typed, when valid; the `document` is `value` itself, not a copy
 */
export function validateUsageV2(
  value: unknown,
  expected: { docId: string; docVersion: number },
  now: Date = new Date(),
): ValidationResult<UsageV2> {
  const consentErrors = checkConsent(value, 2);
  if (consentErrors.length > 0) return { ok: false, kind: "consent", errors: consentErrors };

  const schemaCheck = checkUsageV2Schema(value);
  if (!schemaCheck.ok) return { ok: false, kind: "invalid", errors: schemaCheck.errors };

  const semanticErrors = checkSemanticRules(schemaCheck.value, { expected, now }, semanticRulesV2);
  if (semanticErrors.length > 0) return { ok: false, kind: "invalid", errors: limitErrors(semanticErrors) };

  return { ok: true, document: schemaCheck.value };
}
