/**
 * The validators of schemas/usage.v2.schema.json, precompiled. usageV2Validators.js is
 * build output, never committed: scripts/buildValidators.ts writes it beside the compiled
 * code (`npm run build`, infra/scripts/stagePackage.sh) with generateValidatorModule.ts, and
 * test/shared/validation/usageV1Validators.test.ts checks it matches the schema.
 */
import type { AjvValidator } from "./toSchemaValidator";

export declare const quick: AjvValidator;
export declare const exact: AjvValidator;
export declare const firstError: AjvValidator;
