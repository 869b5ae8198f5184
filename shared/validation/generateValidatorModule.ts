import Ajv2020 from "ajv/dist/2020";
import { _, type AnySchemaObject, type Logger, type Options } from "ajv";
import addFormats from "ajv-formats";
import standaloneCode from "ajv/dist/standalone";
import { inlineSchemaRefs } from "./inlineSchemaRefs";
import { quickFormats } from "./quickFormats";
import { quickMapKeywordDefinition, toQuickMapSchema } from "./quickMaps";

/*
 * Each schema is compiled three times (see toSchemaValidator.ts for how they are used):
 *
 * - the quick validator answers "is it valid?" and is tuned for that. It stops at the first
 *   error (allErrors: false) and is never looser than the schema, only sometimes stricter:
 *   - maxLength counts UTF-16 code units (`unicode: false`), not code points, which spares a
 *     code-point count of every string and map key (half the time of a large document).
 *     Code units are never fewer than code points, so this only tightens maxLength; see
 *     `quickLengthsAreSound` for minLength;
 *   - date-time and date use `quickFormats.ts`: no regex, no allocation, a subset of what
 *     ajv-formats accepts;
 *   - a string enum under a short `uniqueItems` array (site roles) loses its redundant
 *     `type: "string"`, so that Ajv compares the few items pairwise instead of hashing
 *     each freshly parsed string (see `toQuickSchema`);
 *   - a map (maxProperties, propertyNames, additionalProperties) is checked in one pass over
 *     its keys instead of Ajv's three (`quickMap`, quickMaps.ts), which also records the keys
 *     and the sum for the semantic rules (checkedMaps.ts);
 * - the exact validator (the schema as written, ajv-formats, code points, allErrors: true)
 *   runs only when the quick one says no. It decides, and it lists the errors;
 * - the exact first-error validator stands in for it on documents too large to be valid
 *   (`maxNodesForFullErrorList`).
 *
 * So the quick check can only disagree for astral characters (emoji) near a maxLength or a
 * date-time that ajv-formats accepts in a form the schema's pattern refuses anyway.
 * test/shared/validation/validateUsageV1.property.test.ts checks the result against Ajv
 * used plainly on the schema file.
 *
 * Compiling costs hundreds of milliseconds, which every cold start of the function app would
 * pay; so the three are compiled at build time (scripts/buildValidators.ts) into Ajv's
 * standalone code (https://ajv.js.org/standalone.html), which needs only Ajv's small runtime
 * helpers and the format functions. That code is the same that `ajv.compile` evaluates in
 * memory; compileSchemaValidator evaluates it too, so that tests run what production runs.
 */
const sharedOptions: Options = {
  // Strict mode: a typo in a schema keyword fails at build instead of silently allowing data.
  strict: true,
  // JSON.parse output has own properties only, so Ajv's own-property checks would cost
  // without protecting anything. `__proto__` and friends still validate: JSON.parse makes
  // them own data properties, which for-in and property reads see like any other key.
  ownProperties: false,
};

/**
 * Where the generated module finds the quick validator's formats: standalone code refers to
 * a format by an expression, evaluated in the generated module. The generated modules sit
 * beside quickFormats.js (dist/shared/validation/).
 */
const quickFormatsCode = _`require("./quickFormats").quickFormats`;

/** Ajv warns that `unicode` is deprecated; we rely on it knowingly (see above). */
const quickLogger: Logger = {
  log: (...args: unknown[]) => {
    console.log(...args);
  },
  warn: (...args: unknown[]) => {
    if (!String(args[0]).startsWith("DEPRECATED: option unicode")) console.warn(...args);
  },
  error: (...args: unknown[]) => {
    console.error(...args);
  },
};

function createExactAjv(allErrors: boolean): Ajv2020 {
  // The all-errors instance checks each schema against the meta-schema; the others compile
  // the same schema, so checking again would only cost time.
  const ajv = new Ajv2020({ ...sharedOptions, allErrors, validateSchema: allErrors, code: { source: true } });
  // ajv-formats tells standalone code to require its full formats.
  addFormats(ajv, ["date-time", "date", "uuid"]);
  return ajv;
}

function createQuickAjv(): Ajv2020 {
  // `code.formats` is set before any format is added: ajv-formats would otherwise point the
  // standalone code at its own full formats, date-time and date included.
  const ajv = new Ajv2020({
    ...sharedOptions,
    allErrors: false,
    unicode: false,
    logger: quickLogger,
    validateSchema: false,
    code: { source: true, formats: quickFormatsCode },
  });
  for (const [name, format] of Object.entries(quickFormats)) ajv.addFormat(name, format);
  ajv.addKeyword(quickMapKeywordDefinition);
  return ajv;
}

/**
 * Counting code units only tightens maxLength; for minLength it would loosen any bound above
 * 1 (two code units can be one code point). So the quick validator is used only for schemas
 * without such a bound.
 */
function quickLengthsAreSound(node: unknown): boolean {
  if (Array.isArray(node)) return node.every(quickLengthsAreSound);
  if (typeof node !== "object" || node === null) return true;
  for (const [key, value] of Object.entries(node)) {
    if (key === "minLength" && typeof value === "number" && value > 1) return false;
    if (!quickLengthsAreSound(value)) return false;
  }
  return true;
}

/** Arrays at most this long may have their uniqueness checked pairwise. */
const maxItemsComparedPairwise = 16;

/**
 * The schema the quick validator compiles: the same constraints, with `type: "string"`
 * dropped from a string enum that is the `items` of a `uniqueItems` array of at most
 * `maxItemsComparedPairwise` items. The enum alone already admits only those strings.
 * Without a known item type Ajv checks uniqueness pairwise (quadratic), which is why this
 * is done only under a small maxItems: in first-error mode Ajv checks maxItems, then the
 * items, and only then uniqueness (test/shared/validation/compileSchemaValidator.test.ts).
 * And each map of the form `toQuickMapSchema` knows becomes one `quickMap` keyword.
 */
function toQuickSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toQuickSchema);
  if (typeof node !== "object" || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) copy[key] = toQuickSchema(value);
  const items = copy.items;
  if (
    copy.uniqueItems === true &&
    typeof copy.maxItems === "number" &&
    copy.maxItems <= maxItemsComparedPairwise &&
    typeof items === "object" &&
    items !== null &&
    !Array.isArray(items)
  ) {
    const itemSchema = items as Record<string, unknown>;
    const values = itemSchema.enum;
    if (itemSchema.type === "string" && Array.isArray(values) && values.every((value) => typeof value === "string")) {
      const untyped = { ...itemSchema };
      delete untyped.type;
      copy.items = untyped;
    }
  }
  return toQuickMapSchema(copy) ?? copy;
}

/** One validator as a function expression: Ajv's standalone module for it, run in its own scope. */
function validatorExpression(ajv: Ajv2020, schema: AnySchemaObject): string {
  return `(function (module) {\n${standaloneCode(ajv, ajv.compile(schema))}\nreturn module.exports;\n})({})`;
}

/**
 * Compiles `schema` (quick and exact, see above) into the source of a CommonJS module that
 * exports a `ValidatorSet` (toSchemaValidator.ts): `quick`, `exact` and `firstError`. Local
 * `$ref`s are inlined first so that Ajv emits one function for the whole document. Throws
 * if the schema is not valid JSON Schema in Ajv's strict mode.
 *
 * The module must be loaded from the folder of quickFormats.js (see `quickFormatsCode`).
 * The same schema always gives the same source.
 */
export function generateValidatorModule(schema: AnySchemaObject): string {
  const inlined = inlineSchemaRefs(schema);
  // The exact one first: it checks the schema against the meta-schema before the others trust it.
  const lines = [
    '"use strict";',
    "// Generated by shared/validation/generateValidatorModule.ts: do not edit.",
    `exports.exact = ${validatorExpression(createExactAjv(true), inlined)};`,
    `exports.firstError = ${validatorExpression(createExactAjv(false), inlined)};`,
    quickLengthsAreSound(inlined)
      ? `exports.quick = ${validatorExpression(createQuickAjv(), toQuickSchema(inlined) as AnySchemaObject)};`
      : "exports.quick = exports.firstError;",
  ];
  return `${lines.join("\n")}\n`;
}
