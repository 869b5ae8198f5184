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
  /**
   * Put before the names of the schema's definitions (`UsageV2` makes `UsageV2Site`), for a
   * later version of a document whose definitions share their names with the earlier one's.
   */
  definitionPrefix?: string;
}

const DEFINITION_REF = /^([^#]*)#\/\$defs\/([A-Za-z0-9_.-]+)$/;

/** The prefix of each known schema's definitions, by `$id` ("" for none). */
type KnownIds = ReadonlyMap<string, string>;

function rewriteRefs(node: unknown, ownId: string, knownIds: KnownIds): unknown {
  if (Array.isArray(node)) return node.map((item) => rewriteRefs(item, ownId, knownIds));
  if (!isRecord(node)) return node;
  const copy: SchemaNode = {};
  for (const [key, value] of Object.entries(node)) copy[key] = rewriteRefs(value, ownId, knownIds);
  if (typeof copy.$ref === "string") {
    const match = DEFINITION_REF.exec(copy.$ref);
    const id = match?.[1] === "" ? ownId : match?.[1];
    const prefix = id === undefined ? undefined : knownIds.get(id);
    if (match === null || prefix === undefined) throw new Error(`cannot place ${copy.$ref} among the components`);
    copy.$ref = `#/components/schemas/${prefix}${match[2]}`;
  }
  return copy;
}

/**
 * Every definition of `sources` (and the roots that are documents) by component name.
 * Throws when two sources define the same name, or a reference leads outside them.
 */
export function toComponentSchemas(sources: readonly ComponentSource[]): Record<string, SchemaNode> {
  const knownIds: KnownIds = new Map(sources.map((source) => [String(source.schema.$id), source.definitionPrefix ?? ""]));
  const components: Record<string, SchemaNode> = {};
  const add = (name: string, schema: unknown, ownId: string): void => {
    if (Object.hasOwn(components, name)) throw new Error(`two schemas define ${name}`);
    components[name] = rewriteRefs(schema, ownId, knownIds) as SchemaNode;
  };
  for (const { schema, rootName, definitionPrefix = "" } of sources) {
    const ownId = String(schema.$id);
    const root = { ...schema };
    // $schema and $id describe the file; in a component they would start a schema resource of its own.
    delete root.$schema;
    delete root.$id;
    delete root.$defs;
    if (rootName !== undefined) add(rootName, root, ownId);
    for (const [name, definition] of Object.entries(isRecord(schema.$defs) ? schema.$defs : {})) add(`${definitionPrefix}${name}`, definition, ownId);
  }
  return components;
}
