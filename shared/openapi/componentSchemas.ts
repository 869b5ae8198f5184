/**
 * The JSON Schemas of `schemas/` as OpenAPI 3.1 component schemas. OpenAPI 3.1 takes JSON
 * Schema 2020-12 as it is, so the definitions are carried over unchanged: only their
 * references move, from `#/$defs/Name` (or another schema's `urn:…#/$defs/Name`) to
 * `#/components/schemas/Name`, which is where tools that read a description look for them.
 */
import { isRecord } from "../isRecord";

type SchemaNode = Record<string, unknown>;

/** A schema file's content as a component source. */
export interface ComponentSource {
  schema: SchemaNode;
  /**
   * The component name of the schema's root, when the root is a document (`UsageV1`); a
   * library of definitions (the results schema) contributes its `$defs` only.
   */
  rootName?: string;
}

const DEFINITION_REF = /^([^#]*)#\/\$defs\/([A-Za-z0-9_.-]+)$/;

function rewriteRefs(node: unknown, ownId: string, knownIds: ReadonlySet<string>): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, ownId, knownIds));
  if (!isRecord(node)) return node;
  const copy: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) copy[key] = rewriteRefs(value, ownId, knownIds);
  if (typeof copy.$ref === "string") {
    const match = DEFINITION_REF.exec(copy.$ref);
    const id = match?.[1] === "" ? ownId : match?.[1];
    if (match === null || id === undefined || !knownIds.has(id)) throw new Error(`cannot place ${copy.$ref} among the components`);
    copy.$ref = `#/components/schemas/${match[2]}`;
  }
  return copy;
}

/**
 * Every definition of `sources` (and the roots that are documents) by component name.
 * Throws when two sources define the same name, or a reference leads outside them.
 */
export function toComponentSchemas(sources: readonly ComponentSource[]): Record<string, SchemaNode> {
  const knownIds = new Set(sources.map((source) => String(source.schema.$id)));
  const components: Record<string, SchemaNode> = {};
  const add = (name: string, schema: unknown, ownId: string): void => {
    if (Object.hasOwn(components, name)) throw new Error(`two schemas define ${name}`);
    components[name] = rewriteRefs(schema, ownId, knownIds) as SchemaNode;
  };
  for (const { schema, rootName } of sources) {
    const ownId = String(schema.$id);
    const root = { ...schema };
    // $schema and $id describe the file; in a component they would start a schema resource of its own.
    delete root.$schema;
    delete root.$id;
    delete root.$defs;
    if (rootName !== undefined) add(rootName, root, ownId);
    for (const [name, definition] of Object.entries(isRecord(schema.$defs) ? schema.$defs : {})) add(name, definition, ownId);
  }
  return components;
}
