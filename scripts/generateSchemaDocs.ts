/**
 * `npm run gen:schema-docs`: one Markdown field table per versioned schema, written to
 * docs/schema/<docType>-v<N>.md from the schema files alone (contract section 3.2: "docs/
 * carries a field table per version, generated from the schema files"). A test regenerates
 * them in memory and fails when the committed files drift.
 *
 * A document schema (its root declares properties) gets one table, every `$ref` followed
 * in place, so each row is a path a document can have. A library of definitions (such as
 * results.v1, whose root accepts anything) gets one table per definition, and a `$ref` to
 * another definition names it instead of repeating it.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isRecord } from "../shared/isRecord";
import { findProjectRoot } from "./generateTypes";
import { listSchemaVersions, type SchemaVersion } from "./schemaEvolution/listSchemaVersions";

type Schema = Record<string, unknown>;

export const schemaDocsFolder = join("docs", "schema");

interface Row {
  path: string;
  type: string;
  required: string;
  constraints: string;
  level: string;
  description: string;
}

/** Where a schema's generated doc is written, relative to the project root. */
export function schemaDocPath(schema: Pick<SchemaVersion, "docType" | "version">): string {
  return join(schemaDocsFolder, `${schema.docType}-v${schema.version}.md`);
}

/**
 * Renders one schema's field table(s) as Markdown.
 *
 * @param schema the parsed schema file
 * @param source which file it is, named in the heading and the "generated from" line
 */
export function renderSchemaDoc(schema: unknown, source: SchemaVersion): string {
  if (!isRecord(schema)) throw new TypeError(`${source.current} is not a JSON Schema object`);
  const lines = [
    `# ${text(schema.title) || `${source.docType} version ${source.version}`}`,
    "",
    `Generated from \`${toPosix(source.current)}\` by \`npm run gen:schema-docs\`: do not edit by hand.`,
    "",
    escapeCell(text(schema.description)),
    "",
  ];
  const definitions = isRecord(schema.$defs) ? schema.$defs : {};
  if (isRecord(schema.properties)) {
    lines.push("Paths are JSON Pointers; `*` stands for any array index, `{key}` for any key of a map.", "");
    lines.push(...table(new Walker(schema, true).rowsOf(schema, "", "yes", "all"), "(document)"));
  } else {
    lines.push("One table per definition; paths are JSON Pointers inside it, `*` any array index, `{key}` any key of a map.", "");
    for (const [name, definition] of Object.entries(definitions)) {
      if (!isRecord(definition)) continue;
      lines.push(`## ${name}`, "");
      if (typeof definition.description === "string") lines.push(escapeCell(definition.description), "");
      lines.push(...table(new Walker(schema, false).rowsOf(definition, "", "", "all"), "(value)"));
    }
  }
  return lines.join("\n").replace(/\n+$/, "\n");
}

/** Every versioned schema's doc, as it should be committed. */
export function generateSchemaDocs(root: string = findProjectRoot(__dirname)): { path: string; text: string }[] {
  return listSchemaVersions(root).map((source) => ({
    path: schemaDocPath(source),
    text: renderSchemaDoc(JSON.parse(readFileSync(join(root, source.current), "utf8")), source),
  }));
}

/** The Level column only where some row names a consent level: response bodies have none. */
function table(rows: Row[], rootName: string): string[] {
  const withLevel = rows.some((row) => row.level !== "all");
  const cellsOf = (row: Row): string[] => [row.path === "" ? rootName : code(row.path), row.type, row.required, row.constraints, ...(withLevel ? [row.level] : []), row.description];
  const header = ["Path", "Type", "Required", "Constraints", ...(withLevel ? ["Level"] : []), "Description"];
  return [
    `| ${header.join(" | ")} |`,
    `|${" --- |".repeat(header.length)}`,
    ...rows.map((row) => `| ${cellsOf(row).map((cell) => cell || " ").join(" | ")} |`),
    "",
  ];
}

class Walker {
  /** Definitions being expanded, so that a recursive schema stops at its second visit. */
  private readonly expanding: string[] = [];

  constructor(
    private readonly root: Schema,
    /** true: follow `$ref`s in place; false: name the definition and stop. */
    private readonly inline: boolean,
  ) {}

  rowsOf(node: Schema, path: string, required: string, inheritedLevel: string, description?: string): Row[] {
    const reference = typeof node.$ref === "string" ? node.$ref : undefined;
    const target = reference === undefined ? undefined : resolve(this.root, reference);
    const referenceName = reference?.split("/").pop();
    const ownDescription = description ?? text(node.description);
    if (target === undefined || !this.inline || this.expanding.includes(reference!)) {
      const seeAlso = target !== undefined ? (this.inline ? `recursive: see ${referenceName}` : `see ${referenceName}`) : "";
      return this.rowsOfResolved(node, path, required, inheritedLevel, ownDescription, referenceName, seeAlso);
    }
    this.expanding.push(reference!);
    const merged = { ...target, ...withoutRef(node) };
    const rows = this.rowsOfResolved(merged, path, required, inheritedLevel, ownDescription || text(target.description), referenceName, "");
    this.expanding.pop();
    return rows;
  }

  private rowsOfResolved(node: Schema, path: string, required: string, inheritedLevel: string, description: string, definitionName: string | undefined, seeAlso: string): Row[] {
    const level = levelOf(description) ?? inheritedLevel;
    const constraints = constraintsOf(this.withKeysResolved(node), (child) => this.nameOf(child));
    if (seeAlso !== "") constraints.push(seeAlso);
    const rows: Row[] = [
      {
        path,
        type: [typeOf(node), definitionName ?? ""].filter((part) => part !== "").join(" · "),
        required,
        constraints: constraints.join("; "),
        level,
        // The root's description is the doc's opening paragraph already.
        description: path === "" ? "" : escapeCell(description),
      },
    ];
    if (seeAlso !== "") return rows;
    const requiredNames = Array.isArray(node.required) ? node.required : [];
    if (isRecord(node.properties)) {
      for (const [name, child] of Object.entries(node.properties)) {
        if (isRecord(child)) rows.push(...this.rowsOf(child, `${path}/${escapePointer(name)}`, requiredNames.includes(name) ? "yes" : "no", level));
      }
    }
    if (isRecord(node.additionalProperties)) rows.push(...this.rowsOf(node.additionalProperties, `${path}/{key}`, "", level));
    if (isRecord(node.items)) rows.push(...this.rowsOf(node.items, `${path}/*`, "", level));
    return rows;
  }

  /** A map's key constraints are shown in full even when they sit behind a `$ref` (byOs keys are Names). */
  private withKeysResolved(node: Schema): Schema {
    const keys = node.propertyNames;
    if (!isRecord(keys) || typeof keys.$ref !== "string") return node;
    const target = resolve(this.root, keys.$ref);
    return target === undefined ? node : { ...node, propertyNames: { ...target, ...keys } };
  }

  private nameOf(node: Schema): string {
    return typeof node.$ref === "string" ? (node.$ref.split("/").pop() ?? node.$ref) : typeOf(node);
  }
}

/** The consent level a description names ("Only at level full.", "enhanced and full only"). */
function levelOf(description: string): string | undefined {
  const named = /only at levels? ([a-z]+(?:(?:, | or | and )[a-z]+)*)/i.exec(description) ?? /\b([a-z]+(?:(?:, | or | and )[a-z]+)*) only\b/i.exec(description);
  if (named === null) return undefined;
  const levels = named[1]!.split(/, | or | and /).filter((level) => ["basic", "enhanced", "full"].includes(level));
  return levels.length > 0 ? levels.join(", ") : undefined;
}

function typeOf(node: Schema): string {
  if (typeof node.type === "string") return node.type;
  if (Array.isArray(node.type)) return node.type.join(" \\| ");
  if (node.const !== undefined) return typeof node.const;
  if (Array.isArray(node.oneOf) || Array.isArray(node.anyOf)) return "one of";
  return "";
}

function constraintsOf(node: Schema, nameOf: (child: Schema) => string): string[] {
  const found: string[] = [];
  if (node.const !== undefined) found.push(`= ${code(JSON.stringify(node.const))}`);
  if (Array.isArray(node.enum)) found.push(node.enum.map((value) => code(JSON.stringify(value))).join(", "));
  const low = typeof node.exclusiveMinimum === "number" ? `> ${node.exclusiveMinimum}` : typeof node.minimum === "number" ? `≥ ${node.minimum}` : "";
  const high = typeof node.exclusiveMaximum === "number" ? `< ${node.exclusiveMaximum}` : typeof node.maximum === "number" ? `≤ ${node.maximum}` : "";
  if (low !== "" || high !== "") found.push([low, high].filter((part) => part !== "").join(", "));
  if (typeof node.multipleOf === "number") found.push(`multiple of ${node.multipleOf}`);
  const length = range(node.minLength, node.maxLength);
  if (length !== "") found.push(`${length} characters`);
  if (typeof node.pattern === "string") found.push(`pattern ${code(node.pattern)}`);
  if (typeof node.format === "string") found.push(`format ${node.format}`);
  const items = range(node.minItems, node.maxItems);
  if (items !== "") found.push(`${items} items`);
  if (node.uniqueItems === true) found.push("unique");
  const keys = range(node.minProperties, node.maxProperties);
  if (keys !== "") found.push(`${keys} keys`);
  if (isRecord(node.propertyNames)) found.push(`keys: ${constraintsOf(node.propertyNames, nameOf).join(", ") || nameOf(node.propertyNames)}${typeof node.propertyNames.$ref === "string" ? ` (${nameOf(node.propertyNames)})` : ""}`);
  if (node.additionalProperties === false && isRecord(node.properties)) found.push("no other properties");
  for (const keyword of ["oneOf", "anyOf"] as const) {
    const branches = node[keyword];
    if (Array.isArray(branches)) found.push(`${keyword === "oneOf" ? "exactly one of" : "any of"}: ${branches.filter(isRecord).map(nameOf).join(", ")}`);
  }
  return found;
}

function range(min: unknown, max: unknown): string {
  if (typeof max === "number") return typeof min === "number" && min > 0 ? `${min}..${max}` : `≤ ${max}`;
  return typeof min === "number" && min > 0 ? `≥ ${min}` : "";
}

function resolve(root: Schema, ref: string): Schema | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const segment of ref.slice(2).split("/")) {
    const token = segment.replace(/~1/g, "/").replace(/~0/g, "~");
    node = isRecord(node) && Object.hasOwn(node, token) ? node[token] : undefined;
  }
  return isRecord(node) ? node : undefined;
}

function withoutRef(node: Schema): Schema {
  return Object.fromEntries(Object.entries(node).filter(([keyword]) => keyword !== "$ref"));
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** A table cell: one line, no unescaped `|`. */
function escapeCell(value: string): string {
  return value.replace(/\s*\n\s*/g, " ").replace(/\|/g, "\\|");
}

/** Inline code that survives a table cell: a `|` inside is escaped, and backticks in the value get a longer fence. */
function code(value: string): string {
  const fence = value.includes("`") ? "``" : "`";
  const padded = value.includes("`") ? ` ${value} ` : value;
  return `${fence}${padded.replace(/\|/g, "\\|")}${fence}`;
}

function toPosix(path: string): string {
  return path.split("\\").join("/");
}

if (require.main === module) {
  const root = findProjectRoot(__dirname);
  for (const doc of generateSchemaDocs(root)) {
    mkdirSync(dirname(join(root, doc.path)), { recursive: true });
    writeFileSync(join(root, doc.path), doc.text);
    console.log(`wrote ${toPosix(doc.path)}`);
  }
}
