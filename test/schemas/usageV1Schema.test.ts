import { test } from "node:test";
import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import usageV1Schema from "../../schemas/usage.v1.schema.json";
import usageV2Schema from "../../schemas/usage.v2.schema.json";
import { freeTextMaps } from "../../shared/validation/semanticRules";

type Node = Record<string, unknown>;

/** Every subschema with its location, `$defs` resolved in place of nothing: we walk the file as written. */
function subschemas(node: unknown, at = "#"): { at: string; schema: Node }[] {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return [];
  const schema = node as Node;
  const found = [{ at, schema }];
  const children: [string, unknown][] = [];
  for (const key of ["properties", "$defs"]) {
    const map = schema[key];
    if (typeof map === "object" && map !== null) for (const [name, child] of Object.entries(map)) children.push([`${at}/${key}/${name}`, child]);
  }
  for (const key of ["items", "additionalProperties", "propertyNames"]) children.push([`${at}/${key}`, schema[key]]);
  for (const [where, child] of children) found.push(...subschemas(child, where));
  return found;
}

interface UsageSchema extends Node {
  $schema: string;
  $id: string;
  title: string;
  description: string;
}

// Each published version is its own file; every one holds to the same rules.
const usageSchemas: readonly [string, UsageSchema][] = [
  ["usage v1", usageV1Schema],
  ["usage v2", usageV2Schema],
];

for (const [label, usageSchema] of usageSchemas) {
  const all = subschemas(usageSchema);

  test(`${label}: the schema compiles in Ajv's strict mode and says what it is`, () => {
    const ajv = new Ajv2020({ strict: true });
    addFormats(ajv, ["date-time", "date", "uuid"]);
    ajv.compile(usageSchema);
    assert.equal(usageSchema.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.ok(usageSchema.$id.length > 0);
    assert.ok(usageSchema.title.length > 0 && usageSchema.description.length > 0);
  });

  test(`${label}: every object declares its properties or is a bounded map`, () => {
    for (const { at, schema } of all.filter(({ schema }) => schema.type === "object")) {
      if (schema.properties !== undefined) {
        assert.equal(schema.additionalProperties, false, `${at} must reject undeclared properties`);
      } else {
        assert.equal(schema.maxProperties, 500, `${at} is a map: at most 500 keys`);
        assert.ok(schema.propertyNames !== undefined, `${at} is a map: its keys must be bounded`);
        assert.ok(typeof schema.additionalProperties === "object", `${at} is a map: its values must be described`);
      }
    }
  });

  test(`${label}: every string is bounded, every array is bounded, every number has a maximum`, () => {
    for (const { at, schema } of all) {
      if (schema.type === "string" && schema.enum === undefined) assert.equal(typeof schema.maxLength, "number", `${at} needs maxLength`);
      if (schema.type === "array") assert.equal(typeof schema.maxItems, "number", `${at} needs maxItems`);
      if (schema.type === "number" || schema.type === "integer") {
        const bounded = schema.const !== undefined || (typeof schema.maximum === "number" && typeof schema.minimum === "number");
        assert.ok(bounded, `${at} needs minimum and maximum`);
        if (typeof schema.maximum === "number") assert.ok(schema.maximum <= Number.MAX_SAFE_INTEGER, `${at}: maximum beyond 2^53`);
      }
    }
  });

  test(`${label}: every definition and every property is described`, () => {
    for (const { at, schema } of all) {
      const isProperty = /\/properties\/[^/]+$/.test(at);
      const isDefinition = /^#\/\$defs\/[^/]+$/.test(at);
      if (isDefinition) assert.ok(typeof schema.title === "string" && typeof schema.description === "string", `${at} needs a title and a description`);
      if (isProperty && schema.$ref === undefined && schema.type !== "boolean" && schema.enum === undefined) {
        assert.ok(typeof schema.description === "string", `${at} needs a description`);
      }
    }
  });

  test(`${label}: free text (what checkWellFormedText reads) is only the names of the freeTextMaps; every other string is ASCII by pattern or enum`, () => {
    const freeText = all.filter(({ schema }) => schema.type === "string" && schema.pattern === undefined && schema.enum === undefined);
    assert.deepEqual(freeText.map(({ at }) => at), ["#/$defs/Name"]);
    for (const { at, schema } of all) {
      if (typeof schema.pattern === "string") {
        // Anchored, and without `.`, negated classes or escapes beyond \d and literal punctuation,
        // a pattern of printable ASCII matches printable ASCII only: no surrogate, no U+0000.
        const unescaped = schema.pattern.replace(/\\[d.\\+/-]/g, "");
        assert.match(schema.pattern, /^\^[\x21-\x7e]*\$$/, `${at}: pattern ${schema.pattern}`);
        assert.ok(!/[.\\]|\[\^/.test(unescaped), `${at}: pattern ${schema.pattern} may match more than ASCII`);
      }
      if (Array.isArray(schema.enum)) for (const value of schema.enum) assert.match(String(value), /^[\x20-\x7e]*$/, `${at}: enum`);
    }
    const references: string[] = [];
    const findReferences = (node: unknown, at: string): void => {
      if (typeof node !== "object" || node === null) return;
      for (const [key, child] of Object.entries(node)) {
        if (key === "$ref" && child === "#/$defs/Name") references.push(at);
        findReferences(child, `${at}/${key}`);
      }
    };
    findReferences(usageSchema, "#");
    assert.deepEqual(references.sort(), freeTextMaps.map((map) => `#/$defs/Clients/properties/${map}/propertyNames`).sort());
  });
}
