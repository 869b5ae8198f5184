/**
 * Precompiles the validators of the JSON Schemas in `schemas/` (the one source of truth)
 * into Ajv standalone code beside the compiled app, so that no schema is compiled when a
 * process starts. Build output, never committed: run after `tsc`, by `npm run build` and by
 * infra/scripts/stagePackage.sh, as `node <outDir>/scripts/buildValidators.js`.
 *
 * test/shared/validation/usageV1Validators.test.ts fails if the output does not match the
 * schema.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { AnySchemaObject } from "ajv";
import usageV1Schema from "../schemas/usage.v1.schema.json";
import usageV2Schema from "../schemas/usage.v2.schema.json";
import { generateValidatorModule } from "../shared/validation/generateValidatorModule";

/** A schema and the validator module generated from it. */
export interface ValidatorTarget {
  /** Relative to the project root. */
  schemaFile: string;
  schema: AnySchemaObject;
  /** Relative to the compiled output's root (dist/); shared/validation/ holds a `.d.ts` for it. */
  output: string;
}

export const validatorTargets: readonly ValidatorTarget[] = Object.freeze([
  { schemaFile: "schemas/usage.v1.schema.json", schema: usageV1Schema, output: "shared/validation/usageV1Validators.js" },
  { schemaFile: "schemas/usage.v2.schema.json", schema: usageV2Schema, output: "shared/validation/usageV2Validators.js" },
]);

/**
 * Writes every target's module under `outDir`, by default the output this script was
 * compiled into (dist/ or the staged package's dist/); returns the paths written.
 */
export function buildValidators(outDir: string = join(__dirname, "..")): string[] {
  const written: string[] = [];
  for (const target of validatorTargets) {
    const file = join(outDir, target.output);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, generateValidatorModule(target.schema));
    written.push(file);
  }
  return written;
}

if (require.main === module) {
  try {
    buildValidators();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
