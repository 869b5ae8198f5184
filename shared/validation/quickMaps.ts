import { _, type CodeKeywordDefinition, type KeywordCxt, type Name } from "ajv";
import { not } from "ajv/dist/compile/codegen";
import { rememberCheckedMap } from "./checkedMaps";

/*
 * Maps (an object of free keys: `maxProperties`, `propertyNames`, `additionalProperties`)
 * in one pass, for the quick validator only (generateValidatorModule.ts).
 *
 * Ajv checks such a map in three passes over its keys: `Object.keys(map).length` for
 * maxProperties, one `for...in` for propertyNames and one for additionalProperties. JSON.parse
 * makes a map of hundreds of keys a dictionary-mode object, which has no enumeration cache:
 * each pass builds and sorts the key list afresh, about two thirds of the schema step on the
 * largest documents. `quickMap` lists the keys once and checks count, name and value together.
 *
 * The quick validator only answers "valid?", so the order of the checks and the errors it would
 * report do not matter: a map is accepted exactly when all three keywords accept it.
 */

/** Where the generated module (beside checkedMaps.js, see generateValidatorModule.ts) finds it. */
const rememberCheckedMapCode = _`require("./checkedMaps").rememberCheckedMap`;

/**
 * Up to this many keys a map is walked with for...in; beyond, by its key list. JSON.parse
 * makes objects of many keys dictionary-mode, where for...in has no cache to read from.
 */
const maxKeysReadByForIn = 24;

/** The name of the keyword, and of the property of a quick schema that holds its three parts. */
export const quickMapKeyword = "quickMap";

/** What `toQuickMapSchema` puts under `quickMap`: the three keywords it replaces. */
export interface QuickMapSchema {
  maxProperties: number;
  keys: unknown;
  values: unknown;
}

/**
 * Keywords of an object schema that may stay beside `quickMap`. Anything else (properties,
 * patternProperties, minProperties, unevaluatedProperties, if/then…) interacts with the
 * keys or the additional properties in ways the keyword does not model, so such a schema is
 * left to Ajv as written.
 */
const keptBesideQuickMap: ReadonlySet<string> = new Set(["type", "title", "description", "$comment", "examples", "deprecated"]);

/**
 * The schema `node` as a `quickMap`, or `undefined` when it is not a map of the supported
 * form: `type: "object"`, `maxProperties`, object-valued `propertyNames` and
 * `additionalProperties`, and only annotations besides.
 */
export function toQuickMapSchema(node: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const { maxProperties, propertyNames, additionalProperties } = node;
  if (node.type !== "object" || typeof maxProperties !== "number") return undefined;
  if (!isObjectSchema(propertyNames) || !isObjectSchema(additionalProperties)) return undefined;
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "maxProperties" || key === "propertyNames" || key === "additionalProperties") continue;
    if (!keptBesideQuickMap.has(key)) return undefined;
    rest[key] = value;
  }
  const quickMap: QuickMapSchema = { maxProperties, keys: propertyNames, values: additionalProperties };
  return { ...rest, [quickMapKeyword]: quickMap };
}

function isObjectSchema(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The keyword for the quick Ajv instance. Generated code, for a map `data`:
 *
 *     const keys = Object.keys(data);
 *     if (keys.length > maxProperties) fail;
 *     for (let i = 0; i < keys.length; i++) { const key = keys[i]; <keys schema on key>; const value = data[key]; <values schema on value>; sum += value }
 *     rememberCheckedMap(data, keys, sum)
 *
 * The key and value schemas are compiled by Ajv itself (subschemas), so they keep every
 * check propertyNames and additionalProperties would make. The key list and the sum are kept
 * for the semantic rules (checkedMaps.ts). The value's subschema is given the value rather
 * than the property, so its error paths would lack the key: the quick validator's errors
 * are never shown (the exact validator reports).
 */
export const quickMapKeywordDefinition: CodeKeywordDefinition = {
  keyword: quickMapKeyword,
  type: "object",
  schemaType: "object",
  code(cxt: KeywordCxt) {
    const { gen, data } = cxt;
    const schema = cxt.schema as QuickMapSchema;
    const valid = gen.name("valid");
    const keys = gen.const("keys", _`Object.keys(${data})`);
    gen.if(_`${keys}.length > ${schema.maxProperties}`, () => {
      cxt.error();
    });
    gen.var(valid, true);
    const sum = gen.let("sum", 0);
    const checkEntry = (key: Name): void => {
      cxt.subschema({ keyword: quickMapKeyword, schemaProp: "keys", data: key, dataTypes: ["string"], propertyName: key, compositeRule: true }, valid);
      gen.if(not(valid), () => {
        cxt.error(true);
        gen.break();
      });
      const value = gen.const("value", _`${data}[${key}]`);
      cxt.subschema({ keyword: quickMapKeyword, schemaProp: "values", data: value }, valid);
      gen.if(not(valid), () => gen.break());
      gen.assign(sum, _`${sum} + (typeof ${value} == "number" ? ${value} : NaN)`);
    };
    // A small map is a fast-mode object: for...in reads its values through V8's enumeration
    // cache, where indexing by each key would go through a megamorphic look-up.
    gen.if(_`${keys}.length <= ${maxKeysReadByForIn}`);
    gen.forIn("key", data, checkEntry);
    gen.else();
    gen.forRange("i", 0, _`${keys}.length`, (index) => checkEntry(gen.const("key", _`${keys}[${index}]`)));
    gen.endIf();
    const remember = gen.scopeValue("func", { ref: rememberCheckedMap, code: rememberCheckedMapCode });
    gen.if(valid, () => gen.code(_`${remember}(${data}, ${keys}, ${sum})`));
    cxt.ok(valid);
  },
};
