/**
 * Schema evolution as code (contract section 3.2): a published version only ever widens.
 * This compares two forms of one JSON Schema (draft 2020-12) keyword by keyword and lists
 * every change by which the later form could refuse a document the earlier one accepted.
 *
 * The comparison is syntactic and errs towards reporting: a rewrite that accepts exactly the
 * same documents in another spelling (an enum turned into a pattern, say) is reported, and a
 * keyword it does not understand that changed at all is reported too. A false alarm costs a
 * look at the diff; a missed narrowing costs every SCP that sends what it accepted last week.
 */
import { isRecord } from "../../shared/isRecord";
import { appendJsonPointer } from "../../shared/validation/jsonPointer";

export type NarrowingKind =
  | "type"
  | "const"
  | "enum"
  | "lowerBound"
  | "upperBound"
  | "multipleOf"
  | "pattern"
  | "format"
  | "uniqueItems"
  | "required"
  | "propertyRemoved"
  | "additionalProperties"
  | "patternProperties"
  | "definitionRemoved"
  | "branch"
  | "keyword";

/** One change by which the later form refuses something the earlier one accepted. */
export interface Narrowing {
  /** JSON Pointer (RFC 6901) into the later schema, to the keyword that narrows; into the earlier one for what was removed. */
  pointer: string;
  kind: NarrowingKind;
  message: string;
}

type Schema = Record<string, unknown> | boolean;

/** Keywords that describe and never refuse: they may change freely. */
const annotations = new Set(["$schema", "$id", "$anchor", "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly"]);

/** Keywords compared below; any other keyword is only allowed to stay exactly as it was. */
const understood = new Set([
  "$ref", "$defs", "type", "const", "enum",
  "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf",
  "minLength", "maxLength", "pattern", "format",
  "minItems", "maxItems", "uniqueItems", "items",
  "minProperties", "maxProperties", "required", "properties", "additionalProperties", "propertyNames", "patternProperties",
  "anyOf", "oneOf",
]);

/** The lower and upper bound keyword pairs where a larger minimum (a smaller maximum) narrows. */
const countBounds: readonly { min: string; max: string }[] = [
  { min: "minLength", max: "maxLength" },
  { min: "minItems", max: "maxItems" },
  { min: "minProperties", max: "maxProperties" },
];

/**
 * Lists every narrowing from `earlier` to `later`, two forms of one schema.
 *
 * `$ref`s are local (`#/...`). Where both forms refer to the same `$defs` entry, the entry is
 * compared once, under `/$defs/<name>`; where they differ (a field moved to or from a
 * definition), the targets are compared in place, at the referring location.
 *
 * @returns the narrowings in schema order; an empty list means every document the earlier
 * form accepts, the later one accepts too (as far as the keywords above tell).
 */
export function findNarrowings(earlier: unknown, later: unknown): Narrowing[] {
  if (!isSchema(earlier) || !isSchema(later)) throw new TypeError("findNarrowings compares two JSON Schemas (objects or booleans)");
  const comparison = new Comparison(earlier, later);
  comparison.compare(earlier, later, "");
  return comparison.found;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "boolean" || isRecord(value);
}

class Comparison {
  readonly found: Narrowing[] = [];
  /** Pairs already compared, so that a recursive schema ends. */
  private readonly seen = new WeakMap<object, WeakSet<object>>();

  constructor(
    private readonly earlierRoot: Schema,
    private readonly laterRoot: Schema,
  ) {}

  private report(pointer: string, kind: NarrowingKind, message: string): void {
    this.found.push({ pointer, kind, message });
  }

  compare(earlierIn: Schema, laterIn: Schema, at: string): void {
    if (earlierIn === false || laterIn === true) return;
    if (laterIn === false) {
      this.report(at, "keyword", "the schema became false: it refuses everything");
      return;
    }
    const earlier = earlierIn === true ? {} : earlierIn;
    if (this.alreadyCompared(earlier, laterIn)) return;
    const [o, n] = this.withoutSharedRef(earlier, laterIn);

    this.compareDefinitions(o, n, at);
    this.compareType(o, n, at);
    this.compareValues(o, n, at);
    this.compareNumberBounds(o, n, at);
    for (const { min, max } of countBounds) {
      this.compareLower(o, n, min, at);
      this.compareUpper(o, n, max, at);
    }
    this.compareExact(o, n, "pattern", "pattern", at);
    this.compareExact(o, n, "format", "format", at);
    if (n.uniqueItems === true && o.uniqueItems !== true) this.report(appendJsonPointer(at, "uniqueItems"), "uniqueItems", "items must now be unique");
    if (o.items !== undefined || n.items !== undefined) this.compare(asSchema(o.items), asSchema(n.items), appendJsonPointer(at, "items"));
    this.compareObject(o, n, at);
    this.compareBranches(o, n, "anyOf", at);
    this.compareBranches(o, n, "oneOf", at);
    this.compareUnderstoodNot(o, n, at);
  }

  private alreadyCompared(earlier: object, later: object): boolean {
    let partners = this.seen.get(earlier);
    if (partners === undefined) this.seen.set(earlier, (partners = new WeakSet()));
    if (partners.has(later)) return true;
    partners.add(later);
    return false;
  }

  /**
   * Both forms referring to one definition: the definition is compared under `$defs`, so only
   * the siblings are compared here. Otherwise each `$ref` is inlined (its target's keywords,
   * overridden by its siblings): exact where they do not overlap, and where they do, the
   * result is wider than the intersection 2020-12 means, which can only add reports.
   */
  private withoutSharedRef(earlier: Record<string, unknown>, later: Record<string, unknown>): [Record<string, unknown>, Record<string, unknown>] {
    if (typeof earlier.$ref === "string" && earlier.$ref === later.$ref) return [withoutRef(earlier), withoutRef(later)];
    return [inlineRef(earlier, this.earlierRoot), inlineRef(later, this.laterRoot)];
  }

  private compareDefinitions(o: Record<string, unknown>, n: Record<string, unknown>, at: string): void {
    const earlier = isRecord(o.$defs) ? o.$defs : {};
    const later = isRecord(n.$defs) ? n.$defs : {};
    const where = appendJsonPointer(at, "$defs");
    for (const [name, definition] of Object.entries(earlier)) {
      const pointer = appendJsonPointer(where, name);
      // Other schemas (the OpenAPI description) refer to definitions by name, so one that goes away breaks them.
      if (!Object.hasOwn(later, name)) this.report(pointer, "definitionRemoved", `definition ${name} was removed`);
      else this.compare(asSchema(definition), asSchema(later[name]), pointer);
    }
  }

  private compareType(o: Record<string, unknown>, n: Record<string, unknown>, at: string): void {
    const later = typesOf(n);
    if (later === undefined) return;
    const earlier = typesOf(o) ?? typesOfValues(o);
    const pointer = appendJsonPointer(at, "type");
    if (earlier === undefined) {
      this.report(pointer, "type", `a type was added: only ${later.join(", ")}`);
      return;
    }
    for (const type of earlier) {
      const kept = later.includes(type) || (type === "integer" && later.includes("number"));
      if (!kept) this.report(pointer, "type", `type ${type} is no longer accepted`);
    }
  }

  /** const and enum: every value the earlier form allowed must still be allowed. */
  private compareValues(o: Record<string, unknown>, n: Record<string, unknown>, at: string): void {
    const earlier = allowedValues(o);
    if (n.const !== undefined && (earlier === undefined || earlier.some((value) => !sameJson(value, n.const)))) {
      this.report(appendJsonPointer(at, "const"), "const", earlier === undefined ? "a const was added" : `const ${JSON.stringify(n.const)} refuses a value allowed before`);
    }
    if (!Array.isArray(n.enum)) return;
    const later: unknown[] = n.enum;
    const pointer = appendJsonPointer(at, "enum");
    if (earlier === undefined) {
      this.report(pointer, "enum", "an enum was added");
      return;
    }
    for (const value of earlier) {
      if (!later.some((allowed) => sameJson(allowed, value))) this.report(pointer, "enum", `enum value ${JSON.stringify(value)} was dropped`);
    }
  }

  /** minimum/exclusiveMinimum and maximum/exclusiveMaximum, each pair taken as one bound. */
  private compareNumberBounds(o: Record<string, unknown>, n: Record<string, unknown>, at: string): void {
    const earlierLow = numberBound(o, "minimum", "exclusiveMinimum", 1);
    const laterLow = numberBound(n, "minimum", "exclusiveMinimum", 1);
    if (laterLow !== undefined && (earlierLow === undefined || tighter(laterLow, earlierLow, 1))) {
      this.report(appendJsonPointer(at, laterLow.keyword), "lowerBound", boundMessage(laterLow, earlierLow));
    }
    const earlierHigh = numberBound(o, "maximum", "exclusiveMaximum", -1);
    const laterHigh = numberBound(n, "maximum", "exclusiveMaximum", -1);
    if (laterHigh !== undefined && (earlierHigh === undefined || tighter(laterHigh, earlierHigh, -1))) {
      this.report(appendJsonPointer(at, laterHigh.keyword), "upperBound", boundMessage(laterHigh, earlierHigh));
    }
    if (typeof n.multipleOf === "number") {
      const kept = typeof o.multipleOf === "number" && Number.isInteger(o.multipleOf / n.multipleOf);
      if (!kept) this.report(appendJsonPointer(at, "multipleOf"), "multipleOf", `multipleOf ${n.multipleOf} refuses numbers allowed before`);
    }
  }

  private compareLower(o: Record<string, unknown>, n: Record<string, unknown>, keyword: string, at: string): void {
    const later = n[keyword];
    if (typeof later !== "number" || later <= 0) return;
    const earlier = o[keyword];
    if (typeof earlier !== "number" || later > earlier) this.report(appendJsonPointer(at, keyword), "lowerBound", `${keyword} rose to ${later} from ${describe(earlier)}`);
  }

  private compareUpper(o: Record<string, unknown>, n: Record<string, unknown>, keyword: string, at: string): void {
    const later = n[keyword];
    if (typeof later !== "number") return;
    const earlier = o[keyword];
    if (typeof earlier !== "number" || later < earlier) this.report(appendJsonPointer(at, keyword), "upperBound", `${keyword} fell to ${later} from ${describe(earlier)}`);
  }

  /** pattern and format: a changed one counts as a narrowing unless identical (no regex containment here). */
  private compareExact(o: Record<string, unknown>, n: Record<string, unknown>, keyword: string, kind: NarrowingKind, at: string): void {
    if (n[keyword] === undefined || n[keyword] === o[keyword]) return;
    this.report(appendJsonPointer(at, keyword), kind, o[keyword] === undefined ? `${keyword} ${JSON.stringify(n[keyword])} was added` : `${keyword} changed from ${JSON.stringify(o[keyword])} to ${JSON.stringify(n[keyword])}`);
  }

  private compareObject(o: Record<string, unknown>, n: Record<string, unknown>, at: string): void {
    const earlierRequired = stringsOf(o.required);
    for (const name of stringsOf(n.required)) {
      if (!earlierRequired.includes(name)) this.report(appendJsonPointer(at, "required"), "required", `${name} was made required`);
    }

    const earlierProperties = isRecord(o.properties) ? o.properties : {};
    const laterProperties = isRecord(n.properties) ? n.properties : {};
    const earlierAdditional = asSchema(o.additionalProperties);
    const laterAdditional = asSchema(n.additionalProperties);
    const earlierPatterns = isRecord(o.patternProperties) ? o.patternProperties : {};
    const laterPatterns = isRecord(n.patternProperties) ? n.patternProperties : {};

    for (const [name, earlier] of Object.entries(earlierProperties)) {
      const pointer = appendJsonPointer(appendJsonPointer(at, "properties"), name);
      if (Object.hasOwn(laterProperties, name)) this.compare(asSchema(earlier), asSchema(laterProperties[name]), pointer);
      else if (laterAdditional !== true) this.report(pointer, "propertyRemoved", `property ${name} was removed`);
    }
    // A property new in the later form was, in the earlier one, whatever the pattern or additional properties said.
    for (const [name, later] of Object.entries(laterProperties)) {
      if (Object.hasOwn(earlierProperties, name)) continue;
      const before = matchingPattern(earlierPatterns, name) ?? earlierAdditional;
      this.compare(before, asSchema(later), appendJsonPointer(appendJsonPointer(at, "properties"), name));
    }

    for (const [pattern, earlier] of Object.entries(earlierPatterns)) {
      const pointer = appendJsonPointer(appendJsonPointer(at, "patternProperties"), pattern);
      if (Object.hasOwn(laterPatterns, pattern)) this.compare(asSchema(earlier), asSchema(laterPatterns[pattern]), pointer);
      else if (laterAdditional !== true) this.report(pointer, "patternProperties", `pattern property ${pattern} was removed`);
    }
    for (const [pattern, later] of Object.entries(laterPatterns)) {
      if (!Object.hasOwn(earlierPatterns, pattern)) this.compare(earlierAdditional, asSchema(later), appendJsonPointer(appendJsonPointer(at, "patternProperties"), pattern));
    }

    const additionalAt = appendJsonPointer(at, "additionalProperties");
    if (laterAdditional === false && earlierAdditional !== false) this.report(additionalAt, "additionalProperties", "additionalProperties was closed");
    else this.compare(earlierAdditional, laterAdditional, additionalAt);

    if (o.propertyNames !== undefined || n.propertyNames !== undefined) {
      this.compare(asSchema(o.propertyNames), asSchema(n.propertyNames), appendJsonPointer(at, "propertyNames"));
    }
  }

  /**
   * anyOf and oneOf, branch by branch at the same index: a branch removed or narrowed is
   * reported. A new anyOf branch only widens; a new oneOf branch can make a document that
   * matched one branch match two, so it is reported.
   */
  private compareBranches(o: Record<string, unknown>, n: Record<string, unknown>, keyword: "anyOf" | "oneOf", at: string): void {
    const earlier = Array.isArray(o[keyword]) ? (o[keyword] as unknown[]) : undefined;
    const later = Array.isArray(n[keyword]) ? (n[keyword] as unknown[]) : undefined;
    if (later === undefined) return;
    const pointer = appendJsonPointer(at, keyword);
    if (earlier === undefined) {
      this.report(pointer, "branch", `${keyword} was added`);
      return;
    }
    earlier.forEach((branch, index) => {
      if (index >= later.length) this.report(appendJsonPointer(pointer, index), "branch", `${keyword} branch ${index} was removed`);
      else this.compare(asSchema(branch), asSchema(later[index]), appendJsonPointer(pointer, index));
    });
    if (keyword === "oneOf" && later.length > earlier.length) this.report(pointer, "branch", "a new oneOf branch can make a document match two branches: use anyOf to widen");
  }

  /** Any other assertion (allOf, not, if/then/else, dependentRequired…) may not change at all. */
  private compareUnderstoodNot(o: Record<string, unknown>, n: Record<string, unknown>, at: string): void {
    for (const keyword of Object.keys(n)) {
      if (annotations.has(keyword) || understood.has(keyword)) continue;
      if (!sameJson(o[keyword], n[keyword])) this.report(appendJsonPointer(at, keyword), "keyword", `${keyword} changed, and the check cannot tell whether it narrows`);
    }
  }
}

function withoutRef(schema: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).filter(([keyword]) => keyword !== "$ref"));
}

function asSchema(value: unknown): Schema {
  return typeof value === "boolean" || isRecord(value) ? value : true;
}

/** A local `$ref`'s target with the referring schema's own keywords over it; refs inside the target stay as they are. */
function inlineRef(schema: Record<string, unknown>, root: Schema, depth = 0): Record<string, unknown> {
  if (typeof schema.$ref !== "string") return schema;
  if (depth > 32) throw new Error(`$ref ${schema.$ref}: a chain of more than 32 references`);
  const { $ref: ref, ...siblings } = schema;
  const target = resolvePointer(root, ref);
  const resolved = target === true ? {} : target === false ? { not: {} } : inlineRef(target, root, depth + 1);
  return { ...resolved, ...siblings };
}

function resolvePointer(root: Schema, ref: string): Schema {
  if (!ref.startsWith("#")) throw new Error(`$ref ${ref}: only local references (#/...) are compared`);
  let node: unknown = root;
  for (const segment of ref.slice(1).split("/").slice(1)) {
    const token = decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");
    node = isRecord(node) && Object.hasOwn(node, token) ? node[token] : undefined;
  }
  if (!isSchema(node)) throw new Error(`$ref ${ref} does not point at a schema`);
  return node;
}

function typesOf(schema: Record<string, unknown>): string[] | undefined {
  if (typeof schema.type === "string") return [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((type): type is string => typeof type === "string");
  return undefined;
}

/** The JSON types of a const or enum's values, when the earlier form named no type. */
function typesOfValues(schema: Record<string, unknown>): string[] | undefined {
  const values = allowedValues(schema);
  if (values === undefined) return undefined;
  return values.map((value) => {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
    return typeof value;
  });
}

function allowedValues(schema: Record<string, unknown>): unknown[] | undefined {
  if (schema.const !== undefined) return [schema.const];
  return Array.isArray(schema.enum) ? (schema.enum as unknown[]) : undefined;
}

interface NumberBound {
  value: number;
  exclusive: boolean;
  keyword: string;
}

/** The effective bound of an inclusive/exclusive pair: the stricter of the two. `sign` 1 for lower bounds, -1 for upper. */
function numberBound(schema: Record<string, unknown>, inclusive: string, exclusive: string, sign: 1 | -1): NumberBound | undefined {
  const candidates: NumberBound[] = [];
  if (typeof schema[inclusive] === "number") candidates.push({ value: schema[inclusive], exclusive: false, keyword: inclusive });
  if (typeof schema[exclusive] === "number") candidates.push({ value: schema[exclusive], exclusive: true, keyword: exclusive });
  return candidates.reduce<NumberBound | undefined>((strictest, bound) => (strictest === undefined || tighter(bound, strictest, sign) ? bound : strictest), undefined);
}

function tighter(bound: NumberBound, than: NumberBound, sign: 1 | -1): boolean {
  if (bound.value !== than.value) return (bound.value - than.value) * sign > 0;
  return bound.exclusive && !than.exclusive;
}

function boundMessage(later: NumberBound, earlier: NumberBound | undefined): string {
  return `${later.keyword} ${later.value} is tighter than ${earlier === undefined ? "no bound" : `${earlier.keyword} ${earlier.value}`}`;
}

function describe(value: unknown): string {
  return typeof value === "number" ? String(value) : "no bound";
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function matchingPattern(patterns: Record<string, unknown>, name: string): Schema | undefined {
  for (const [pattern, schema] of Object.entries(patterns)) if (new RegExp(pattern, "u").test(name)) return asSchema(schema);
  return undefined;
}

/** Deep equality of JSON values, key order aside. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
}
