import { semanticRules } from "./semanticRules";
import type { UsageV1 } from "./usageV1";
import * as usageV1Validators from "./usageV1Validators";
import { usageValidator } from "./usageValidator";

export type { DocumentError, ValidationResult } from "./validationResult";
export type { UsageV1 } from "./usageV1";

/**
 * Validates a parsed `usage` version 1 document (contract section 3): consent, then the JSON
 * Schema `schemas/usage.v1.schema.json` (compiled at build time: no schema is compiled at cold
 * start), then the semantic rules (`semanticRules.ts`), in usageValidator's order.
 *
 * Never throws for any value JSON.parse can produce.
 *
 * @param value - the request body after JSON.parse
 * @param expected - the docId and docVersion from the submission path (or batch envelope)
 * @param now - the receiver's clock, for the "not more than a day in the future" rule
 * @returns the document, typed, when valid; the `document` is `value` itself, not a copy
 */
export const validateUsageV1 = usageValidator<UsageV1>(1, usageV1Validators, semanticRules);
