import type { ErrorObject } from "ajv";
import { fromAjvErrors } from "./fromAjvErrors";
import { limitErrors, onlyFirstErrorShown, type DocumentError } from "./validationResult";

/** The outcome of checking a value against one JSON Schema. */
export type SchemaCheck<T> = { ok: true; value: T } | { ok: false; errors: DocumentError[] };

/** Checks a value against a compiled schema; never throws for any JSON value. */
export type SchemaValidator<T> = (value: unknown) => SchemaCheck<T>;

/**
 * The three validators compiled from one schema (see generateValidatorModule.ts): the quick
 * one answers "is it valid?", the exact one decides and lists every error, the exact
 * first-error one stands in for it on documents too large to be valid.
 */
export interface ValidatorSet {
  quick: AjvValidator;
  exact: AjvValidator;
  firstError: AjvValidator;
}

/**
 * What toSchemaValidator needs of an Ajv validate function. Ajv's own type is a type guard,
 * whose false branch would narrow `unknown` to `never`.
 */
export type AjvValidator = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * Documents with more nodes (objects, arrays and scalars) than this get only their first
 * error listed. The largest valid usage document has about 7,100 nodes, so such a document
 * is invalid anyway; listing every error of an 8 MiB array of empty objects would first
 * build millions of Ajv error objects.
 */
export const maxNodesForFullErrorList = 20_000;

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
 * Makes one schema check of a schema's three validators, whether generated at build time
 * (usageV1Validators) or just now (compileSchemaValidator). A valid document pays for the
 * quick check only, an invalid one for both.
 *
 * The type parameter is trusted, not checked: pass the type generated from the same schema.
 */
export function toSchemaValidator<T>(validators: ValidatorSet): SchemaValidator<T> {
  const { quick, exact, firstError } = validators;
  return (value: unknown): SchemaCheck<T> => {
    if (quick(value)) return { ok: true, value: value as T };
    if (countNodesUpTo(value, maxNodesForFullErrorList) > maxNodesForFullErrorList) {
      // Too large to be valid, and to list every error safely: report the first one, found
      // with code points so that it is a real error and not a code-unit false alarm.
      firstError(value);
      return {
        ok: false,
        errors: [...limitErrors(fromAjvErrors(firstError.errors ?? [])), { ...onlyFirstErrorShown }],
      };
    }
    if (exact(value)) return { ok: true, value: value as T };
    return { ok: false, errors: limitErrors(fromAjvErrors(exact.errors ?? [])) };
  };
}
