import { semanticRulesV2 } from "./semanticRules";
import type { UsageV2 } from "./usageV2";
import * as usageV2Validators from "./usageV2Validators";
import { usageValidator } from "./usageValidator";

export type { UsageV2 } from "./usageV2";

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
export const validateUsageV2 = usageValidator<UsageV2>(2, usageV2Validators, semanticRulesV2);
