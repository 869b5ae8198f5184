/**
 * Inlines a schema's local `$ref`s to `#/$defs/...`, so that consumers see one tree:
 * - Ajv compiles a subschema that itself holds a `$ref` into a separate function, called
 *   once per site and per feature; inlined, the whole document is one function;
 * - json-schema-to-typescript would otherwise name every `$ref` that carries its own
 *   description (`Count1`, `Count2`…).
 *
 * Semantics are kept exactly: annotation siblings of a `$ref` (description, $comment…)
 * override the definition's; any other sibling is kept beside it under `allOf`.
 */

/** JSON Schema keywords that only annotate, and so may be merged over a definition. */
const annotationKeywords: ReadonlySet<string> = new Set(["title", "description", "$comment", "examples", "deprecated"]);

const definitionPrefix = "#/$defs/";

type SchemaNode = Record<string, unknown>;

function isSchemaNode(value: unknown): value is SchemaNode {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Returns a copy of `schema` with every `$ref` to one of its `$defs` for which `shouldInline`
 * says yes replaced by the definition. Inlined definitions are dropped from `$defs`; `$defs`
 * disappears when nothing is left in it. Throws on a recursive definition, which cannot be
 * inlined (the usage schemas have none).
 */
export function inlineSchemaRefs(
  schema: SchemaNode,
  shouldInline: (name: string, definition: SchemaNode) => boolean = () => true,
): SchemaNode {
  const definitions = isSchemaNode(schema.$defs) ? schema.$defs : {};
  const inlined = new Map<string, SchemaNode>();
  for (const [name, definition] of Object.entries(definitions)) {
    if (isSchemaNode(definition) && shouldInline(name, definition)) inlined.set(definitionPrefix + name, definition);
  }

  const expanding = new Set<string>();
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!isSchemaNode(node)) return node;
    const copy: SchemaNode = {};
    for (const [key, value] of Object.entries(node)) copy[key] = key === "$defs" ? value : visit(value);
    const reference = copy.$ref;
    const target = typeof reference === "string" ? inlined.get(reference) : undefined;
    if (target === undefined || typeof reference !== "string") return copy;
    if (expanding.has(reference)) throw new Error(`cannot inline recursive ${reference}`);
    expanding.add(reference);
    const expanded = visit(target) as SchemaNode;
    expanding.delete(reference);
    delete copy.$ref;
    const siblings = Object.keys(copy);
    if (siblings.every((key) => annotationKeywords.has(key))) return { ...expanded, ...copy };
    return { ...copy, allOf: [...(Array.isArray(copy.allOf) ? (copy.allOf as unknown[]) : []), expanded] };
  };

  const result = visit(schema) as SchemaNode;
  const kept: SchemaNode = {};
  for (const [name, definition] of Object.entries(definitions)) {
    if (!inlined.has(definitionPrefix + name)) kept[name] = visit(definition);
  }
  delete result.$defs;
  return Object.keys(kept).length > 0 ? { ...result, $defs: kept } : result;
}
