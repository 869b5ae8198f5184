import { createRequire } from "node:module";
import * as path from "node:path";
import { runInThisContext } from "node:vm";
import type { AnySchemaObject } from "ajv";
import { generateValidatorModule } from "./generateValidatorModule";
import { toSchemaValidator, type SchemaValidator, type ValidatorSet } from "./toSchemaValidator";

export { maxNodesForFullErrorList, type SchemaCheck, type SchemaValidator } from "./toSchemaValidator";

/**
 * Evaluates a module from generateValidatorModule as Node would load it from this folder
 * (where its `require("./quickFormats")` resolves), without writing it anywhere.
 */
export function loadValidatorModule(source: string): ValidatorSet {
  const filename = path.join(__dirname, "compiledValidators.js");
  const wrapper = runInThisContext(`(function (exports, require, module) {${source}\n})`, { filename }) as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
  ) => void;
  const module = { exports: {} };
  wrapper(module.exports, createRequire(filename), module);
  return module.exports as ValidatorSet;
}

/**
 * Compiles `schema` now into the same code that scripts/buildValidators.ts precompiles at
 * build time (generateValidatorModule.ts), and returns a validator for it. For schemas known
 * only at run time, and for tests; the service's own schemas are precompiled, since compiling
 * costs hundreds of milliseconds of cold start.
 *
 * The type parameter is trusted, not checked: pass the type generated from the same schema.
 */
export function compileSchemaValidator<T>(schema: AnySchemaObject): SchemaValidator<T> {
  return toSchemaValidator<T>(loadValidatorModule(generateValidatorModule(schema)));
}
