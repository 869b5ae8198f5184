import Ajv2020 from "ajv/dist/2020";
import type { Logger, Options, SchemaObject } from "ajv";
import addFormats from "ajv-formats";
import { fromAjvErrors } from "./fromAjvErrors";
import { inlineSchemaRefs } from "./inlineSchemaRefs";
import { isQuickDate, isQuickUtcDateTime } from "./quickFormats";
import { limitErrors, onlyFirstErrorShown, type DocumentError } from "./validationResult";

/** The outcome of checking a value against one JSON Schema. */
export type SchemaCheck<T> = { ok: true; value: T } | { ok: false; errors: DocumentError[] };

/** Checks a value against a compiled schema; never throws for any JSON value. */
export type SchemaValidator<T> = (value: unknown) => SchemaCheck<T>;

/**
 * Documents with more nodes (objects, arrays and scalars) than this get only their first
 * error listed. The largest valid usage document has about 7,100 nodes, so such a document
 * is invalid anyway; listing every error of an 8 MiB array of empty objects would first
 * build millions of Ajv error objects.
 */
export const maxNodesForFullErrorList = 20_000;

/*
 * Each schema is compiled three times, all when the validator is made (module load):
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
 * - the exact validator (the schema as written, ajv-formats, code points, allErrors: true)
 *   runs only when the quick one says no. It decides, and it lists the errors;
 * - the exact first-error validator stands in for it on documents too large to be valid
 *   (`maxNodesForFullErrorList`).
 *
 * So a valid document pays for the quick check only, an invalid one for both; the quick
 * check can only disagree for astral characters (emoji) near a maxLength or a date-time
 * that ajv-formats accepts in a form the schema's pattern refuses anyway.
 * test/shared/validation/validateUsageV1.property.test.ts checks the result against Ajv
 * used plainly on the schema file.
 */
const sharedOptions: Options = {
  // Strict mode: a typo in a schema keyword fails at load instead of silently allowing data.
  strict: true,
  // JSON.parse output has own properties only, so Ajv's own-property checks would cost
  // without protecting anything. `__proto__` and friends still validate: JSON.parse makes
  // them own data properties, which for-in and property reads see like any other key.
  ownProperties: false,
};

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
  // the same schema, so checking again would only add to cold start.
  const ajv = new Ajv2020({ ...sharedOptions, allErrors, validateSchema: allErrors });
  addFormats(ajv, ["date-time", "date", "uuid"]);
  return ajv;
}

function createQuickAjv(): Ajv2020 {
  const ajv = new Ajv2020({ ...sharedOptions, allErrors: false, unicode: false, logger: quickLogger, validateSchema: false });
  addFormats(ajv, ["uuid"]);
  ajv.addFormat("date-time", isQuickUtcDateTime);
  ajv.addFormat("date", isQuickDate);
  return ajv;
}

const quickAjv = createQuickAjv();
const firstErrorAjv = createExactAjv(false);
const exactAjv = createExactAjv(true);

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
  return copy;
}

/** Counts nodes iteratively (deeply nested input must not overflow the stack), stopping past `limit`. */
function countNodesUpTo(value: unknown, limit: number): number {
  const pending: unknown[] = [value];
  let count = 0;
  while (pending.length > 0 && count <= limit) {
    const node = pending.pop();
    count += 1;
    if (typeof node !== "object" || node === null) continue;
    if (Array.isArray(node)) {
      for (const item of node) pending.push(item);
    } else {
      for (const key of Object.keys(node)) pending.push((node as Record<string, unknown>)[key]);
    }
  }
  return count;
}

/**
 * Compiles `schema` (quick and exact, see above) and returns a validator for it. Local `$ref`s
 * are inlined first so that Ajv emits one function for the whole document.
 *
 * The type parameter is trusted, not checked: pass the type generated from the same schema.
 */
export function compileSchemaValidator<T>(schema: SchemaObject): SchemaValidator<T> {
  const inlined = inlineSchemaRefs(schema);
  // The exact one first: it checks the schema against the meta-schema before the others trust it.
  const validateExactly = exactAjv.compile<T>(inlined);
  const findFirstError = firstErrorAjv.compile<T>(inlined);
  const validateQuickly = quickLengthsAreSound(inlined) ? quickAjv.compile<T>(toQuickSchema(inlined) as SchemaObject) : findFirstError;

  return (value: unknown): SchemaCheck<T> => {
    if (validateQuickly(value)) return { ok: true, value };
    if (countNodesUpTo(value, maxNodesForFullErrorList) > maxNodesForFullErrorList) {
      // Too large to be valid, and to list every error safely: report the first one, found
      // with code points so that it is a real error and not a code-unit false alarm.
      findFirstError(value);
      const firstError = limitErrors(fromAjvErrors(findFirstError.errors ?? []));
      return {
        ok: false,
        errors: [...firstError, { ...onlyFirstErrorShown }],
      };
    }
    if (validateExactly(value)) return { ok: true, value };
    return { ok: false, errors: limitErrors(fromAjvErrors(validateExactly.errors ?? [])) };
  };
}
