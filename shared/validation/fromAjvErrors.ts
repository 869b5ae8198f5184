import type { ErrorObject } from "ajv";
import { appendJsonPointer } from "./jsonPointer";
import type { DocumentError } from "./validationResult";

/**
 * Property names longer than this are not echoed into error paths. No name the schema
 * accepts is longer than 128 characters, so anything beyond twice that is garbage, and
 * echoing a megabyte-long key 50 times would make the error report the attack.
 */
export const maxEchoedNameLength = 256;

/** A pointer to `name` under `pointer`, or `pointer` itself when the name is too long to echo. */
function pointTo(pointer: string, name: string): { path: string; echoed: boolean } {
  return name.length > maxEchoedNameLength
    ? { path: pointer, echoed: false }
    : { path: appendJsonPointer(pointer, name), echoed: true };
}

function describeValues(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(", ");
}

function readNumber(params: Record<string, unknown>, name: string): number {
  const value = params[name];
  return typeof value === "number" ? value : 0;
}

function readString(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  return typeof value === "string" ? value : "";
}

/** Converts one Ajv error; `undefined` for errors that only repeat another one. */
function fromAjvError(error: ErrorObject): DocumentError | undefined {
  const params = error.params as Record<string, unknown>;
  const message = error.message ?? "is invalid";

  // Errors raised inside `propertyNames` carry the offending key: point at that key.
  if (error.propertyName !== undefined) {
    const target = pointTo(error.instancePath, error.propertyName);
    return target.echoed
      ? { path: target.path, message: `property name ${message}` }
      : { path: target.path, message: `has a property name longer than ${maxEchoedNameLength} characters` };
  }

  switch (error.keyword) {
    case "propertyNames":
      // Ajv's summary ("property name must be valid") follows the specific error above.
      return undefined;
    case "additionalProperties": {
      const target = pointTo(error.instancePath, readString(params, "additionalProperty"));
      return target.echoed
        ? { path: target.path, message: "unknown property" }
        : { path: target.path, message: `has an unknown property with a name longer than ${maxEchoedNameLength} characters` };
    }
    case "required":
      return { path: appendJsonPointer(error.instancePath, readString(params, "missingProperty")), message: "required property is missing" };
    case "uniqueItems": {
      // Ajv scans from either end depending on the item type; the later index is the duplicate.
      const first = Math.min(readNumber(params, "i"), readNumber(params, "j"));
      const duplicate = Math.max(readNumber(params, "i"), readNumber(params, "j"));
      return { path: appendJsonPointer(error.instancePath, duplicate), message: `duplicate of item ${first}` };
    }
    case "enum": {
      const allowed = Array.isArray(params.allowedValues) ? (params.allowedValues as unknown[]) : [];
      return { path: error.instancePath, message: `must be one of ${describeValues(allowed)}` };
    }
    case "const":
      return { path: error.instancePath, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case "type":
      // strictNumbers makes Infinity (JSON 1e400) a type error; say so, "must be number" puzzles.
      return { path: error.instancePath, message: `must be ${readString(params, "type") === "number" ? "a finite number" : readString(params, "type")}` };
    default:
      // Ajv's own messages name the limit or format, never the value, so they are safe to pass on.
      return { path: error.instancePath, message };
  }
}

/** Converts Ajv's errors to `DocumentError`s whose paths point at the offending place. */
export function fromAjvErrors(errors: readonly ErrorObject[]): DocumentError[] {
  const converted: DocumentError[] = [];
  for (const error of errors) {
    const documentError = fromAjvError(error);
    if (documentError !== undefined) converted.push(documentError);
  }
  return converted;
}
