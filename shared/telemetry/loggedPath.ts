import usageV1Schema from "../../schemas/usage.v1.schema.json";
import { isRecord } from "../isRecord";
import { inlineSchemaRefs } from "../validation/inlineSchemaRefs";
import { escapeJsonPointerSegment } from "../validation/jsonPointer";

/** Stands in a logged path for a property name the schema does not declare (one a client invented). */
export const UNDECLARED_SEGMENT = "{unknown}";
/** Stands in a logged path for a map key (an OS name, a feature name): data, not structure. */
export const MAP_KEY_SEGMENT = "{key}";

type SchemaNode = Record<string, unknown>;

// One tree, $refs inlined, so that the walk below never has to resolve one.
const usageV1 = inlineSchemaRefs(usageV1Schema);

/** The subschemas a value must satisfy at once: the node and what its `allOf` adds. */
function conjuncts(node: SchemaNode): SchemaNode[] {
  const all = Array.isArray(node["allOf"]) ? node["allOf"].filter(isRecord) : [];
  return [node, ...all.flatMap(conjuncts)];
}

interface Step {
  /** The schema below the segment; undefined below a leaf. */
  node: SchemaNode | undefined;
  /** The segment as it is logged, escaped. */
  logged: string;
}

/** Where `segment` leads from `node` and how it is logged; undefined when the schema does not declare it. */
function step(node: SchemaNode, segment: string): Step | undefined {
  const parts = conjuncts(node);
  for (const part of parts) {
    const properties = part["properties"];
    if (isRecord(properties) && Object.prototype.hasOwnProperty.call(properties, segment)) {
      const child = properties[segment];
      return { node: isRecord(child) ? child : undefined, logged: escapeJsonPointerSegment(segment) };
    }
  }
  for (const part of parts) {
    const items = part["items"];
    if (isRecord(items) && /^(0|[1-9]\d*)$/.test(segment)) return { node: items, logged: segment };
  }
  for (const part of parts) {
    const values = part["additionalProperties"];
    if (isRecord(values)) return { node: values, logged: MAP_KEY_SEGMENT };
  }
  return undefined;
}

/**
 * The JSON Pointer of a document error as it may be logged: the property names
 * schemas/usage.v1.schema.json declares and array indices are kept, a map key becomes
 * `{key}`, and an undeclared name becomes `{unknown}`, with nothing logged below it. Map keys
 * and invented names are the client's text (contract section 2: none of it reaches logs or
 * telemetry); the problem returned to the client still names them.
 */
export function toLoggedPath(pointer: string): string {
  if (pointer === "") return "";
  // Not a pointer at all: nothing of it is structure.
  if (!pointer.startsWith("/")) return `/${UNDECLARED_SEGMENT}`;
  let node: SchemaNode | undefined = usageV1;
  let logged = "";
  for (const escaped of pointer.slice(1).split("/")) {
    const next: Step | undefined = node === undefined ? undefined : step(node, escaped.replace(/~1/g, "/").replace(/~0/g, "~"));
    if (next === undefined) return `${logged}/${UNDECLARED_SEGMENT}`;
    logged += `/${next.logged}`;
    node = next.node;
  }
  return logged;
}
