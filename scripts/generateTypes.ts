/**
 * Generates TypeScript types from the JSON Schemas in `schemas/`, which are the one source
 * of truth (the types are never written by hand).
 *
 * Run: `npm run build && node dist/scripts/generateTypes.js` (npm run gen:types).
 * test/schemas/generatedTypes.test.ts regenerates in memory and fails on any drift.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { compile } from "json-schema-to-typescript";
import { inlineSchemaRefs } from "../shared/validation/inlineSchemaRefs";
import { isRecord } from "../shared/isRecord";

type JsonSchema = Parameters<typeof compile>[0];

/** A schema and the TypeScript module generated from it. */
export interface TypeTarget {
  /** Relative to the project root. */
  schema: string;
  /** Relative to the project root. */
  output: string;
  /** The name of the root type. */
  rootName: string;
  /**
   * The schema is a library of `$defs` rather than a document: its root type then maps each
   * named definition to its type (`ResultsV1["VersionStats"]`), so that every one is emitted.
   */
  definitionsOnly?: boolean;
}

export const typeTargets: readonly TypeTarget[] = Object.freeze([
  { schema: "schemas/usage.v1.schema.json", output: "shared/validation/usageV1.ts", rootName: "UsageV1" },
  { schema: "schemas/usage.v2.schema.json", output: "shared/validation/usageV2.ts", rootName: "UsageV2" },
  { schema: "schemas/results.v1.schema.json", output: "shared/resultsV1.ts", rootName: "ResultsV1", definitionsOnly: true },
]);

/**
 * The folder holding package.json, found by walking up from `start`: this code runs both
 * from the source tree and from dist/, which sit at different depths.
 */
export function findProjectRoot(start: string = __dirname): string {
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, "package.json"))) return folder;
    if (dirname(folder) === folder) throw new Error(`no package.json above ${start}`);
  }
}

/**
 * Definitions worth a named type: objects, enums and unions (Site, Level, DimensionStats…).
 * Scalars (a Build, a Count) are inlined, so each property keeps its own description and
 * type aliases such as `type Count = number` do not pile up.
 */
function isNamedDefinition(definition: Record<string, unknown>): boolean {
  return definition.type === "object" || Array.isArray(definition.enum) || Array.isArray(definition.oneOf);
}

/** Every schema in `schemas/` by its `$id`, for references from one schema into another. */
function schemasById(root: string): Map<string, Record<string, unknown>> {
  const byId = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(join(root, "schemas")).filter((name) => name.endsWith(".schema.json"))) {
    const parsed: unknown = JSON.parse(readFileSync(join(root, "schemas", file), "utf8"));
    if (isRecord(parsed) && typeof parsed.$id === "string") byId.set(parsed.$id, parsed);
  }
  return byId;
}

/**
 * A copy of `schema` whose `$ref`s into another schema's `$defs` (`urn:…:usage:1#/$defs/Level`)
 * are made local, as the type generator resolves references as file paths and cannot follow
 * a URN: a named definition (an enum) is copied into this schema's `$defs` under its own
 * name, so that it is one type however often it is referenced; a scalar is inlined, its
 * annotations overridden by the referring site's.
 */
export function localizeForeignRefs(schema: Record<string, unknown>, byId: ReadonlyMap<string, Record<string, unknown>>): Record<string, unknown> {
  const own = isRecord(schema.$defs) ? schema.$defs : {};
  const imported: Record<string, unknown> = {};
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isRecord(node)) return node;
    const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
    const reference = copy.$ref;
    if (typeof reference !== "string" || reference.startsWith("#")) return copy;
    const [id = "", pointer = ""] = reference.split("#");
    const name = /^\/\$defs\/([A-Za-z0-9]+)$/.exec(pointer)?.[1];
    const definitions = byId.get(id)?.$defs;
    const definition = name !== undefined && isRecord(definitions) ? definitions[name] : undefined;
    if (name === undefined || !isRecord(definition)) throw new Error(`cannot resolve ${reference}`);
    if (JSON.stringify(definition).includes('"$ref"')) throw new Error(`${reference} holds references of its own, which are not followed`);
    if (isNamedDefinition(definition)) {
      if (Object.hasOwn(own, name)) throw new Error(`${reference} has the name of a definition of this schema`);
      imported[name] = definition;
      return { ...copy, $ref: `#/$defs/${name}` };
    }
    delete copy.$ref;
    // As for local scalars (prepareForTypes): an inlined title would name the type again.
    const untitled = { ...definition };
    delete untitled.title;
    return { ...untitled, ...copy };
  };
  const localized = visit(schema) as Record<string, unknown>;
  return Object.keys(imported).length === 0 ? localized : { ...localized, $defs: { ...(localized.$defs as Record<string, unknown>), ...imported } };
}

/** A library of definitions as one root object naming each (required, so an index type gives no `undefined`). */
function withDefinitionIndex(schema: Record<string, unknown>): Record<string, unknown> {
  const names = Object.keys(isRecord(schema.$defs) ? schema.$defs : {});
  return {
    ...schema,
    description: "Every definition of the schema by name: ResultsV1[\"VersionStats\"] is the type of #/$defs/VersionStats.",
    type: "object",
    additionalProperties: false,
    required: names,
    properties: Object.fromEntries(names.map((name) => [name, { $ref: `#/$defs/${name}` }])),
  };
}

/** The schema as json-schema-to-typescript should see it: scalar definitions inlined, untitled. */
function prepareForTypes(schema: Record<string, unknown>): JsonSchema {
  const definitions = isRecord(schema.$defs) ? schema.$defs : {};
  const untitled: Record<string, unknown> = {};
  for (const [name, definition] of Object.entries(definitions)) {
    if (isRecord(definition) && !isNamedDefinition(definition)) {
      // An inlined title would name the type all over again.
      const copy = { ...definition };
      delete copy.title;
      untitled[name] = copy;
    } else {
      untitled[name] = definition;
    }
  }
  return inlineSchemaRefs({ ...schema, $defs: untitled }, (_name, definition) => !isNamedDefinition(definition));
}

function bannerFor(target: TypeTarget): string {
  return [
    "/**",
    ` * GENERATED from ${target.schema} by scripts/generateTypes.ts: DO NOT EDIT.`,
    " * Change the schema, then run `npm run gen:types`; test/schemas/generatedTypes.test.ts fails while this file is stale.",
    " */",
  ].join("\n");
}

/** Generates the TypeScript source for one target, without writing it. */
export async function generateTypeSource(target: TypeTarget, root: string = findProjectRoot()): Promise<string> {
  const schemaPath = join(root, target.schema);
  const parsed: unknown = JSON.parse(readFileSync(schemaPath, "utf8"));
  if (!isRecord(parsed)) throw new Error(`${target.schema} is not a JSON Schema object`);
  const rootId = parsed.$id;
  const indexed = target.definitionsOnly === true ? withDefinitionIndex(parsed) : parsed;
  const schema = prepareForTypes(localizeForeignRefs(indexed, schemasById(root)));
  return compile(schema, target.rootName, {
    bannerComment: bannerFor(target),
    cwd: dirname(schemaPath),
    // Name types after their $defs key (Site, Product…) and the root as asked; titles are for docs.
    customName: (node, keyNameFromDefinition) =>
      node.$id !== undefined && node.$id === rootId ? target.rootName : keyNameFromDefinition,
    // Plain arrays: a 250-tuple union helps nobody, and the bounds live in the schema.
    ignoreMinAndMaxItems: true,
    additionalProperties: false,
    unknownAny: true,
    strictIndexSignatures: false,
  });
}

/** Regenerates every target's file under `root`; returns the paths written. */
export async function generateTypes(root: string = findProjectRoot()): Promise<string[]> {
  const written: string[] = [];
  for (const target of typeTargets) {
    writeFileSync(join(root, target.output), await generateTypeSource(target, root));
    written.push(target.output);
  }
  return written;
}

if (require.main === module) {
  generateTypes().then(
    (written) => {
      for (const path of written) console.log(`wrote ${path}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
