/**
 * Reads what the Bicep in infra/ declares, from its syntax tree (tree-sitter-bicep): no Bicep
 * compiler reaches the machines that run these tests, so this is a parser, not an evaluator.
 * It resolves a name only when the Bicep states it statically (a literal, or a var, a param
 * default or a loop over either); anything else is reported as unresolved, never guessed, so
 * that a test can refuse names it cannot see.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Parser from "tree-sitter";
import bicep from "tree-sitter-bicep";

type Node = Parser.SyntaxNode;

/** A name as the Bicep states it: a value when static, else the expression's text. */
export type DeclaredName =
  | { kind: "resolved"; value: string; line: number }
  | { kind: "unresolved"; expression: string; line: number };

export interface SyntaxProblem {
  /** `ERROR` for text the grammar could not place, `MISSING` for a token it had to invent. */
  kind: "ERROR" | "MISSING";
  line: number;
  column: number;
  text: string;
}

export interface ParameterInfo {
  name: string;
  line: number;
  hasDescription: boolean;
  /** Source text of the default value, if any (`120`, `'Standard_LRS'`). */
  defaultText: string | undefined;
}

export interface RoleAssignmentInfo {
  symbol: string;
  line: number;
  /** The argument texts when the name is `guid(...)`, else undefined. */
  guidArguments: string[] | undefined;
}

/** Everything the infra tests compare against shared/config.ts, for one file. */
export interface BicepInventory {
  containers: DeclaredName[];
  queues: DeclaredName[];
  tables: DeclaredName[];
  appSettings: DeclaredName[];
  /** `prefixMatch` entries of lifecycle rules (`<container>/<blob prefix>`). */
  lifecyclePrefixes: DeclaredName[];
  roleAssignments: RoleAssignmentInfo[];
  parameters: ParameterInfo[];
  outputs: string[];
}

const resourceKinds = {
  container: "microsoft.storage/storageaccounts/blobservices/containers",
  queue: "microsoft.storage/storageaccounts/queueservices/queues",
  table: "microsoft.storage/storageaccounts/tableservices/tables",
  siteConfig: "microsoft.web/sites/config",
  roleAssignment: "microsoft.authorization/roleassignments",
} as const;

let parser: Parser | undefined;

/** Parses Bicep source; the parser is created once per process (it is a native object). */
/** An inventory with nothing in it yet. */
export function emptyInventory(): BicepInventory {
  return { containers: [], queues: [], tables: [], appSettings: [], lifecyclePrefixes: [], roleAssignments: [], parameters: [], outputs: [] };
}

export function parseBicep(source: string): Parser.Tree {
  if (parser === undefined) {
    parser = new Parser();
    // tree-sitter-bicep types its export structurally; it is the Language object setLanguage takes.
    parser.setLanguage(bicep as Parser.Language);
  }
  return parser.parse(source);
}

/** Every ERROR and MISSING node: an empty list means the source is syntactically valid Bicep. */
export function findSyntaxProblems(tree: Parser.Tree): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const visit = (node: Node): void => {
    if (node.isError || node.type === "ERROR" || node.isMissing) {
      problems.push({
        kind: node.isMissing ? "MISSING" : "ERROR",
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        text: node.isMissing ? node.type : node.text.slice(0, 80),
      });
    }
    for (const child of node.children) visit(child);
  };
  visit(tree.rootNode);
  return problems;
}

/** The folder holding package.json, walking up from `start` (compiled tests run from dist/test/infra). */
export function findProjectRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
}

/** Every `.bicep` file under `dir`, sorted, as absolute paths. */
export function listBicepFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listBicepFiles(full));
    else if (entry.name.endsWith(".bicep")) found.push(full);
  }
  return found.sort();
}

/** Reads the declarations the infra tests care about from one Bicep source. */
export function readBicepInventory(source: string): BicepInventory {
  const root = parseBicep(source).rootNode;
  const scope = new DeclarationScope(root);
  const inventory = emptyInventory();

  for (const node of root.namedChildren) {
    if (node.type === "parameter_declaration") {
      inventory.parameters.push({
        name: identifierOf(node),
        line: node.startPosition.row + 1,
        hasDescription: decoratorNames(node).some((name) => name === "description" || name === "sys.description"),
        defaultText: parameterDefault(node)?.text,
      });
    } else if (node.type === "output_declaration") {
      inventory.outputs.push(identifierOf(node));
    } else if (node.type === "resource_declaration") {
      readResource(node, scope, inventory);
    }
  }

  // App settings and lifecycle filters can sit at any depth of any resource or module.
  for (const property of root.descendantsOfType("object_property")) {
    const key = propertyKey(property);
    const value = propertyValue(property);
    if (value?.type !== "array") continue;
    if (key === "appSettings") {
      for (const element of value.namedChildren) {
        if (element.type !== "object") continue;
        const name = findProperty(element, "name");
        if (name !== undefined) inventory.appSettings.push(...scope.resolve(name));
      }
    } else if (key === "prefixMatch") {
      for (const element of value.namedChildren) inventory.lifecyclePrefixes.push(...scope.resolve(element));
    }
  }
  return inventory;
}

function readResource(node: Node, scope: DeclarationScope, inventory: BicepInventory): void {
  // `existing` only refers to a resource; it creates nothing.
  if (node.children.some((child) => child.type === "existing")) return;
  const typeNode = node.namedChildren.find((child) => child.type === "string");
  const type = typeNode === undefined ? undefined : literalString(typeNode)?.split("@")[0]?.toLowerCase();
  const body = resourceBody(node);
  if (type === undefined || body === undefined) return;
  const nameNode = findProperty(body.object, "name");
  const names = nameNode === undefined ? [] : scope.resolve(nameNode, body.loop);

  switch (type) {
    case resourceKinds.container:
      inventory.containers.push(...names);
      break;
    case resourceKinds.queue:
      inventory.queues.push(...names);
      break;
    case resourceKinds.table:
      inventory.tables.push(...names);
      break;
    case resourceKinds.siteConfig: {
      // The other way to write app settings: a `config` child named `appsettings` whose
      // properties object is the settings map.
      if (!names.some((name) => name.kind === "resolved" && name.value === "appsettings")) break;
      const properties = findProperty(body.object, "properties");
      if (properties?.type === "object") {
        for (const property of properties.namedChildren.filter((child) => child.type === "object_property")) {
          const key = propertyKey(property);
          inventory.appSettings.push(
            key === undefined
              ? { kind: "unresolved", expression: property.text, line: property.startPosition.row + 1 }
              : { kind: "resolved", value: key, line: property.startPosition.row + 1 },
          );
        }
      }
      break;
    }
    case resourceKinds.roleAssignment:
      inventory.roleAssignments.push({
        symbol: identifierOf(node),
        line: node.startPosition.row + 1,
        guidArguments: nameNode === undefined ? undefined : guidArguments(nameNode),
      });
      break;
  }
}

interface ResourceBody {
  object: Node;
  /** `for <variable> in <iterable>` when the resource is a loop. */
  loop: { variable: string; iterable: Node } | undefined;
}

function resourceBody(node: Node): ResourceBody | undefined {
  for (const child of node.namedChildren) {
    if (child.type === "object") return { object: child, loop: undefined };
    if (child.type === "if_statement") {
      const object = child.namedChildren.find((c) => c.type === "object");
      return object === undefined ? undefined : { object, loop: undefined };
    }
    if (child.type === "for_statement") {
      const object = child.childForFieldName("body") ?? child.namedChildren.find((c) => c.type === "object");
      const initializer = child.childForFieldName("initializer");
      // `for x in xs`: the iterable is the named child right after the initializer.
      const named = child.namedChildren;
      const iterable = initializer === null ? undefined : named[named.indexOf(initializer) + 1];
      if (object?.type !== "object") return undefined;
      return {
        object,
        loop:
          initializer?.type === "identifier" && iterable !== undefined
            ? { variable: initializer.text, iterable }
            : undefined,
      };
    }
  }
  return undefined;
}

/** Resolves identifiers to the file's vars and param defaults, and loop variables to their iterable. */
class DeclarationScope {
  private readonly values = new Map<string, Node>();

  constructor(root: Node) {
    for (const node of root.namedChildren) {
      if (node.type === "variable_declaration") {
        const value = node.namedChildren.at(-1);
        if (value !== undefined) this.values.set(identifierOf(node), value);
      } else if (node.type === "parameter_declaration") {
        const value = parameterDefault(node);
        if (value !== undefined) this.values.set(identifierOf(node), value);
      }
    }
  }

  resolve(node: Node, loop?: { variable: string; iterable: Node }, depth = 0): DeclaredName[] {
    const line = node.startPosition.row + 1;
    const unresolved: DeclaredName[] = [{ kind: "unresolved", expression: node.text, line }];
    if (depth > 10) return unresolved;
    if (node.type === "string") {
      const value = literalString(node);
      return value === undefined ? unresolved : [{ kind: "resolved", value, line }];
    }
    if (node.type === "array") return node.namedChildren.flatMap((element) => this.resolve(element, loop, depth + 1));
    if (node.type === "identifier") {
      if (loop !== undefined && node.text === loop.variable) return this.resolve(loop.iterable, undefined, depth + 1);
      const value = this.values.get(node.text);
      if (value !== undefined) {
        return this.resolve(value, undefined, depth + 1).map((name) => ({ ...name, line }));
      }
    }
    return unresolved;
  }
}

/** The value of a string node without interpolation, escapes decoded; undefined otherwise. */
function literalString(node: Node): string | undefined {
  let value = "";
  for (const child of node.namedChildren) {
    if (child.type === "string_content") value += child.text;
    else if (child.type === "escape_sequence") value += decodeEscape(child.text);
    else return undefined;
  }
  return value;
}

function decodeEscape(text: string): string {
  const simple: Record<string, string> = { "\\'": "'", "\\\\": "\\", "\\n": "\n", "\\r": "\r", "\\t": "\t", "\\$": "$" };
  const known = simple[text];
  if (known !== undefined) return known;
  const unicode = /^\\u\{([0-9a-fA-F]+)\}$/.exec(text);
  return unicode?.[1] === undefined ? text : String.fromCodePoint(parseInt(unicode[1], 16));
}

/** The node after `=` in a parameter declaration; a param without one has no default. */
function parameterDefault(node: Node): Node | undefined {
  const equals = node.children.findIndex((child) => child.type === "=");
  return equals < 0 ? undefined : node.children[equals + 1];
}

function identifierOf(node: Node): string {
  return node.namedChildren.find((child) => child.type === "identifier")?.text ?? "";
}

/** Names of the decorators on a declaration (`description`, `sys.description`, `minValue`...). */
function decoratorNames(node: Node): string[] {
  let previous = node.previousNamedSibling;
  while (previous?.type === "comment") previous = previous.previousNamedSibling;
  if (previous?.type !== "decorators") return [];
  return previous.namedChildren
    .filter((decorator) => decorator.type === "decorator")
    .map((decorator) => {
      const call = decorator.namedChildren.find((child) => child.type === "call_expression");
      const callee = call?.childForFieldName("function") ?? call?.namedChildren[0];
      return callee?.text ?? decorator.text;
    });
}

function propertyKey(property: Node): string | undefined {
  const key = property.namedChildren[0];
  if (key === undefined) return undefined;
  if (key.type === "identifier") return key.text;
  if (key.type === "string") return literalString(key);
  return undefined;
}

function propertyValue(property: Node): Node | undefined {
  const colon = property.children.findIndex((child) => child.type === ":");
  return colon < 0 ? undefined : property.children[colon + 1];
}

function findProperty(object: Node, key: string): Node | undefined {
  for (const property of object.namedChildren) {
    if (property.type === "object_property" && propertyKey(property) === key) return propertyValue(property);
  }
  return undefined;
}

function guidArguments(node: Node): string[] | undefined {
  if (node.type !== "call_expression") return undefined;
  const callee = node.childForFieldName("function") ?? node.namedChildren[0];
  if (callee?.text !== "guid") return undefined;
  const args = node.childForFieldName("arguments") ?? node.namedChildren.find((child) => child.type === "arguments");
  return args?.namedChildren.filter((child) => child.type !== "comment").map((child) => child.text) ?? [];
}
