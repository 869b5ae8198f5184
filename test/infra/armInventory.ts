/**
 * Reads what a compiled ARM template (the JSON `bicep build` writes) creates, for the drift
 * checks against shared/config.ts. The compiler has already resolved the Bicep: modules
 * are nested deployments, loops are `copy`, interpolation is `format()`. What is left to
 * evaluate is a small part of ARM's expression language (literals, `variables()`,
 * `copyIndex()`, `length()`, `format()`, property and index access); anything else, a
 * parameter above all, is reported as unresolved, never guessed, so that a test can refuse
 * names it cannot see.
 */

/** A name as the template states it: a value when static, else the expression's text. */
export type DeclaredName = { kind: "resolved"; value: string } | { kind: "unresolved"; expression: string };

export interface RoleAssignmentInfo {
  /** The resource's name expression, for messages. */
  name: string;
  /** The argument texts when the name is `guid(...)`, else undefined. */
  guidArguments: string[] | undefined;
}

/** Everything the infra tests compare against shared/config.ts. */
export interface ArmInventory {
  containers: DeclaredName[];
  queues: DeclaredName[];
  tables: DeclaredName[];
  appSettings: DeclaredName[];
  /** `prefixMatch` entries of lifecycle rules (`<container>/<blob prefix>`). */
  lifecyclePrefixes: DeclaredName[];
  roleAssignments: RoleAssignmentInfo[];
}

const resourceTypes = {
  container: "microsoft.storage/storageaccounts/blobservices/containers",
  queue: "microsoft.storage/storageaccounts/queueservices/queues",
  table: "microsoft.storage/storageaccounts/tableservices/tables",
  site: "microsoft.web/sites",
  siteConfig: "microsoft.web/sites/config",
  managementPolicy: "microsoft.storage/storageaccounts/managementpolicies",
  roleAssignment: "microsoft.authorization/roleassignments",
  deployment: "microsoft.resources/deployments",
};

// ---------------------------------------------------------------------------------------
// ARM expressions

type Expression = { text: string } & (
  | { type: "literal"; value: string | number }
  | { type: "call"; name: string; args: Expression[] }
  | { type: "property"; target: Expression; name: string }
  | { type: "index"; target: Expression; index: Expression }
);

/** Parses the inside of `[...]`. */
function parseExpression(source: string): Expression {
  let at = 0;
  const skipSpace = () => {
    while (source[at] === " ") at++;
  };
  const expect = (char: string) => {
    skipSpace();
    if (source[at] !== char) throw new Error(`expected "${char}" at ${at} in ${source}`);
    at++;
  };
  const primary = (): Expression => {
    skipSpace();
    const start = at;
    if (source[at] === "'") {
      let value = "";
      for (at++; ; at++) {
        if (at >= source.length) throw new Error(`unterminated string in ${source}`);
        if (source[at] === "'") {
          if (source[at + 1] !== "'") break;
          at++;
        }
        value += source.charAt(at);
      }
      at++;
      return { type: "literal", value, text: source.slice(start, at) };
    }
    const number = /^-?\d+/.exec(source.slice(at));
    if (number !== null) {
      at += number[0].length;
      return { type: "literal", value: Number(number[0]), text: number[0] };
    }
    const name = /^[A-Za-z_][\w.]*/.exec(source.slice(at))?.[0];
    if (name === undefined) throw new Error(`unexpected "${source[at] ?? "end"}" at ${at} in ${source}`);
    at += name.length;
    expect("(");
    const args: Expression[] = [];
    skipSpace();
    if (source[at] !== ")") {
      for (;;) {
        args.push(postfix());
        skipSpace();
        if (source[at] !== ",") break;
        at++;
      }
    }
    expect(")");
    return { type: "call", name: name.toLowerCase(), args, text: source.slice(start, at) };
  };
  const postfix = (): Expression => {
    skipSpace();
    const start = at;
    let node = primary();
    for (;;) {
      if (source[at] === ".") {
        const name = /^\.(\w+)/.exec(source.slice(at))?.[1] ?? "";
        at += name.length + 1;
        node = { type: "property", target: node, name, text: source.slice(start, at) };
      } else if (source[at] === "[") {
        at++;
        const index = postfix();
        expect("]");
        node = { type: "index", target: node, index, text: source.slice(start, at) };
      } else {
        return node;
      }
    }
  };
  const expression = postfix();
  skipSpace();
  if (at !== source.length) throw new Error(`unexpected "${source.slice(at)}" in ${source}`);
  return expression;
}

/** A JSON string of a template: an expression when it is `[...]` (and not `[[`, an escape). */
function parseValue(value: string): Expression {
  if (value.startsWith("[") && !value.startsWith("[[") && value.endsWith("]")) return parseExpression(value.slice(1, -1));
  return { type: "literal", value: value.startsWith("[[") ? value.slice(1) : value, text: `'${value}'` };
}

interface Scope {
  variables: Record<string, unknown>;
  copyIndex: number | undefined;
}

const unresolved = Symbol("unresolved");
type Value = unknown;

function evaluate(node: Expression, scope: Scope): Value {
  switch (node.type) {
    case "literal":
      return node.value;
    case "property": {
      const target = evaluate(node.target, scope);
      return typeof target === "object" && target !== null && node.name in target ? (target as Record<string, unknown>)[node.name] : unresolved;
    }
    case "index": {
      const target = evaluate(node.target, scope);
      const index = evaluate(node.index, scope);
      return Array.isArray(target) && typeof index === "number" && index < target.length ? (target[index] as Value) : unresolved;
    }
    case "call":
      return evaluateCall(node.name, node.args, scope);
  }
}

function evaluateCall(name: string, args: Expression[], scope: Scope): Value {
  const values = args.map((arg) => evaluate(arg, scope));
  if (values.includes(unresolved)) return unresolved;
  switch (name) {
    case "variables": {
      const variable = typeof values[0] === "string" ? scope.variables[values[0]] : undefined;
      if (variable === undefined) return unresolved;
      return typeof variable === "string" ? evaluate(parseValue(variable), scope) : variable;
    }
    case "copyindex":
      return scope.copyIndex ?? unresolved;
    case "length":
      return Array.isArray(values[0]) || typeof values[0] === "string" ? values[0].length : unresolved;
    case "format": {
      const [pattern, ...rest] = values;
      if (typeof pattern !== "string" || !rest.every((value) => typeof value === "string" || typeof value === "number")) return unresolved;
      return pattern.replace(/\{(\d+)\}/g, (_, index: string) => String(rest[Number(index)]));
    }
    default:
      return unresolved;
  }
}

function declared(node: Expression, scope: Scope): DeclaredName {
  const value = evaluate(node, scope);
  return typeof value === "string" ? { kind: "resolved", value } : { kind: "unresolved", expression: node.text };
}

function declaredValue(value: unknown, scope: Scope): DeclaredName {
  return typeof value === "string" ? declared(parseValue(value), scope) : { kind: "unresolved", expression: JSON.stringify(value) };
}

/**
 * The last segment of a child resource's name (`raw` of `account/default/raw`): Bicep writes
 * a child's name as `format('{0}/{1}/{2}', parent..., child)`, whose parents need not resolve.
 */
function leafName(name: string, scope: Scope): DeclaredName {
  const node = parseValue(name);
  const pattern = node.type === "call" && node.name === "format" ? node.args[0] : undefined;
  if (node.type === "call" && pattern?.type === "literal") {
    const last = /(?:^|\/)\{(\d+)\}$/.exec(String(pattern.value));
    const child = last === null ? undefined : node.args[Number(last[1]) + 1];
    if (child !== undefined) return declared(child, scope);
  }
  const whole = declared(node, scope);
  return whole.kind === "resolved" ? { kind: "resolved", value: whole.value.split("/").pop() ?? "" } : whole;
}

// ---------------------------------------------------------------------------------------
// Templates

interface Resource {
  type: string;
  name: string;
  existing?: boolean;
  copy?: { count: string | number };
  properties?: Record<string, unknown>;
}

interface Template {
  variables?: Record<string, unknown>;
  resources?: Resource[] | Record<string, Resource>;
}

/**
 * The copy indexes a resource is declared for: one `undefined` when it has no loop, or when
 * the loop's count does not resolve (its names then do not resolve either).
 */
function copyIndexes(resource: Resource, scope: Scope): (number | undefined)[] {
  if (resource.copy === undefined) return [undefined];
  const count = typeof resource.copy.count === "number" ? resource.copy.count : evaluate(parseValue(resource.copy.count), scope);
  return typeof count === "number" ? Array.from({ length: count }, (_, i) => i) : [undefined];
}

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = typeof current === "object" && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

function addResource(inventory: ArmInventory, resource: Resource, scope: Scope): void {
  const type = resource.type.toLowerCase();
  const { properties } = resource;
  if (type === resourceTypes.container) inventory.containers.push(leafName(resource.name, scope));
  if (type === resourceTypes.queue) inventory.queues.push(leafName(resource.name, scope));
  if (type === resourceTypes.table) inventory.tables.push(leafName(resource.name, scope));
  if (type === resourceTypes.site) {
    const settings = at(properties, "siteConfig", "appSettings");
    if (Array.isArray(settings)) inventory.appSettings.push(...settings.map((setting) => declaredValue(at(setting, "name"), scope)));
    else if (settings !== undefined) inventory.appSettings.push(declaredValue(settings, scope));
  }
  if (type === resourceTypes.siteConfig) {
    const leaf = leafName(resource.name, scope);
    if (leaf.kind === "unresolved" || leaf.value === "appsettings") {
      if (typeof properties === "object") inventory.appSettings.push(...Object.keys(properties).map((name): DeclaredName => ({ kind: "resolved", value: name })));
      else inventory.appSettings.push(declaredValue(properties, scope));
    }
  }
  if (type === resourceTypes.managementPolicy) {
    const rules = at(properties, "policy", "rules");
    for (const rule of Array.isArray(rules) ? rules : []) {
      const prefixes = at(rule, "definition", "filters", "prefixMatch");
      inventory.lifecyclePrefixes.push(...(Array.isArray(prefixes) ? prefixes.map((prefix) => declaredValue(prefix, scope)) : []));
    }
  }
  if (type === resourceTypes.roleAssignment) {
    const node = parseValue(resource.name);
    inventory.roleAssignments.push({
      name: resource.name,
      guidArguments: node.type === "call" && node.name === "guid" ? node.args.map((arg) => arg.text) : undefined,
    });
  }
  if (type === resourceTypes.deployment) {
    const nested = at(properties, "template");
    if (typeof nested === "object" && nested !== null) addTemplate(inventory, nested);
  }
}

function addTemplate(inventory: ArmInventory, template: Template): void {
  const resources = Array.isArray(template.resources) ? template.resources : Object.values(template.resources ?? {});
  for (const resource of resources) {
    // An existing resource is referenced, not created (languageVersion 2.0 lists them).
    if (resource.existing === true) continue;
    const base: Scope = { variables: template.variables ?? {}, copyIndex: undefined };
    for (const copyIndex of copyIndexes(resource, base)) addResource(inventory, resource, { ...base, copyIndex });
  }
}

/** Everything a compiled template creates, its nested deployments (Bicep modules) included. */
export function readArmInventory(template: unknown): ArmInventory {
  const inventory: ArmInventory = { containers: [], queues: [], tables: [], appSettings: [], lifecyclePrefixes: [], roleAssignments: [] };
  addTemplate(inventory, template as Template);
  return inventory;
}
