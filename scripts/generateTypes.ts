/**
 * Generates TypeScript types from the JSON Schemas in `schemas/`, which are the one source
 * of truth (the types are never written by hand).
 *
 * Run: `npm run build && node dist/scripts/generateTypes.js` (npm run gen:types).
 * test/schemas/generatedTypes.test.ts regenerates in memory and fails on any drift.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
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
}

export const typeTargets: readonly TypeTarget[] = Object.freeze([
  { schema: "schemas/usage.v1.schema.json", output: "shared/validation/usageV1.ts", rootName: "UsageV1" },
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
 * Definitions worth a named type: objects and enums (Site, Level…). Scalars (a Build, a
 * Count) are inlined, so each property keeps its own description and type aliases such as
 * `type Count = number` do not pile up.
 */
function isNamedDefinition(definition: Record<string, unknown>): boolean {
  return definition.type === "object" || Array.isArray(definition.enum);
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
  const schema = prepareForTypes(parsed);
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
