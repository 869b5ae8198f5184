import { test } from "node:test";
import assert from "node:assert/strict";
import usageV1Schema from "../../../schemas/usage.v1.schema.json";
import resultsV1Schema from "../../../schemas/results.v1.schema.json";
import { findNarrowings, type Narrowing, type NarrowingKind } from "../../../scripts/schemaEvolution/findNarrowings";

/*
 * Each case reaches deep into a copy of the real schema (s.$defs.Site.properties.roles…): typed
 * as `any` so that a case reads as the one-line edit it is, not as a chain of guards.
 */
/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return */
type Json = Record<string, any>;

function copyOfUsageV1(): Json {
  return JSON.parse(JSON.stringify(usageV1Schema)) as Json;
}

/** Each distinct (pointer, kind) once: an enum that loses three values is one place. */
function placesOf(narrowings: Narrowing[]): [string, NarrowingKind][] {
  const places = new Map(narrowings.map((narrowing) => [`${narrowing.pointer} ${narrowing.kind}`, [narrowing.pointer, narrowing.kind] as [string, NarrowingKind]]));
  return [...places.values()];
}

interface Case {
  name: string;
  /** Applied to both forms first: sets up a keyword the real schema lacks. */
  before?: (schema: Json) => void;
  /** Applied to the later form only. */
  change: (schema: Json) => void;
  /** Every place the check must report, and nothing else. */
  expected: [string, NarrowingKind][];
}

const narrowings: Case[] = [
  { name: "a property removed", change: (s) => delete s.properties.connectionMode, expected: [["/properties/connectionMode", "propertyRemoved"]] },
  { name: "a nested property removed", change: (s) => delete s.$defs.Clients.properties.coManaged, expected: [["/$defs/Clients/properties/coManaged", "propertyRemoved"]] },
  { name: "an enum value dropped", change: (s) => (s.$defs.Level.enum = ["basic", "enhanced"]), expected: [["/$defs/Level/enum", "enum"]] },
  { name: "a const changed", change: (s) => (s.properties.schemaVersion.const = 2), expected: [["/properties/schemaVersion/const", "const"]] },
  { name: "a type narrowed (number to integer)", change: (s) => (s.$defs.Percent.type = "integer"), expected: [["/$defs/Percent/type", "type"]] },
  { name: "a maximum lowered", change: (s) => (s.$defs.Count.maximum = 1_000_000), expected: [["/$defs/Count/maximum", "upperBound"]] },
  { name: "a minimum raised", change: (s) => (s.$defs.Site.properties.utcOffsetMinutes.minimum = -600), expected: [["/$defs/Site/properties/utcOffsetMinutes/minimum", "lowerBound"]] },
  { name: "an exclusiveMinimum added at the old minimum", change: (s) => (s.$defs.Percent.exclusiveMinimum = 0), expected: [["/$defs/Percent/exclusiveMinimum", "lowerBound"]] },
  { name: "a maximum made exclusive", change: (s) => { const runtime = s.$defs.Collection.properties.runtimeSeconds; delete runtime.maximum; runtime.exclusiveMaximum = 604800; }, expected: [["/$defs/Collection/properties/runtimeSeconds/exclusiveMaximum", "upperBound"]] },
  { name: "a multipleOf added", change: (s) => (s.$defs.Percent.multipleOf = 0.5), expected: [["/$defs/Percent/multipleOf", "multipleOf"]] },
  { name: "a minLength raised", change: (s) => (s.$defs.Name.minLength = 2), expected: [["/$defs/Name/minLength", "lowerBound"]] },
  { name: "a maxLength lowered", change: (s) => (s.$defs.Build.maxLength = 13), expected: [["/$defs/Build/maxLength", "upperBound"]] },
  { name: "a pattern changed", change: (s) => (s.$defs.Build.pattern = "^5\\.00\\.\\d{4}\\.\\d{1,4}$"), expected: [["/$defs/Build/pattern", "pattern"]] },
  { name: "a pattern added", change: (s) => (s.$defs.Name.pattern = "^[ -~]+$"), expected: [["/$defs/Name/pattern", "pattern"]] },
  { name: "a format changed", change: (s) => (s.properties.docId.format = "uri"), expected: [["/properties/docId/format", "format"]] },
  { name: "a format added", change: (s) => (s.$defs.Name.format = "email"), expected: [["/$defs/Name/format", "format"]] },
  { name: "a minItems raised", change: (s) => (s.properties.sites.minItems = 2), expected: [["/properties/sites/minItems", "lowerBound"]] },
  { name: "a maxItems lowered", change: (s) => (s.properties.sites.maxItems = 100), expected: [["/properties/sites/maxItems", "upperBound"]] },
  { name: "uniqueItems added", change: (s) => (s.properties.sites.uniqueItems = true), expected: [["/properties/sites/uniqueItems", "uniqueItems"]] },
  { name: "a minProperties added", change: (s) => (s.$defs.Features.minProperties = 1), expected: [["/$defs/Features/minProperties", "lowerBound"]] },
  { name: "a maxProperties lowered", change: (s) => (s.$defs.Clients.properties.byOs.maxProperties = 100), expected: [["/$defs/Clients/properties/byOs/maxProperties", "upperBound"]] },
  { name: "a field made required", change: (s) => s.$defs.Product.required.push("softwareAssuranceExpires"), expected: [["/$defs/Product/required", "required"]] },
  { name: "additionalProperties closed", change: (s) => (s.$defs.Features.additionalProperties = false), expected: [["/$defs/Features/additionalProperties", "additionalProperties"]] },
  {
    name: "additionalProperties narrowed (a map's values, moved off their $ref)",
    change: (s) => (s.$defs.Clients.properties.byOs.additionalProperties = { type: "integer", minimum: 0, maximum: 10 }),
    expected: [["/$defs/Clients/properties/byOs/additionalProperties/maximum", "upperBound"]],
  },
  { name: "propertyNames narrowed", change: (s) => (s.$defs.Features.propertyNames.maxLength = 32), expected: [["/$defs/Features/propertyNames/maxLength", "upperBound"]] },
  {
    name: "a map given a declared key narrower than its other values",
    change: (s) => (s.$defs.Clients.properties.byOs.properties = { "Windows 11": { type: "integer", minimum: 0, maximum: 5 } }),
    expected: [["/$defs/Clients/properties/byOs/properties/Windows 11/maximum", "upperBound"]],
  },
  {
    name: "a patternProperties entry removed",
    before: (s) => (s.$defs.Features.patternProperties = { "^legacy[A-Z]": { $ref: "#/$defs/Feature" } }),
    change: (s) => delete s.$defs.Features.patternProperties,
    expected: [["/$defs/Features/patternProperties/^legacy[A-Z]", "patternProperties"]],
  },
  {
    name: "a patternProperties entry narrowed",
    before: (s) => (s.$defs.Features.patternProperties = { "^legacy[A-Z]": { $ref: "#/$defs/Feature" } }),
    change: (s) => (s.$defs.Features.patternProperties["^legacy[A-Z]"] = { $ref: "#/$defs/Feature", required: ["enabled", "uses"] }),
    expected: [["/$defs/Features/patternProperties/^legacy[A-Z]/required", "required"]],
  },
  {
    name: "items narrowed (an enum of its own instead of the $ref)",
    change: (s) => (s.$defs.Site.properties.roles.items = { type: "string", enum: ["management-point", "distribution-point"] }),
    expected: [["/$defs/Site/properties/roles/items/enum", "enum"]],
  },
  {
    name: "a $ref moved to a narrower definition",
    change: (s) => (s.properties.hierarchyId.$ref = "#/$defs/Build"),
    expected: [["/properties/hierarchyId/maxLength", "upperBound"], ["/properties/hierarchyId/pattern", "pattern"]],
  },
  {
    name: "a definition removed (its one use inlined)",
    change: (s) => {
      s.$defs.Compliance.properties.softwareUpdateCompliancePercent = s.$defs.Percent;
      s.$defs.Compliance.properties.scanSuccessPercent = s.$defs.Percent;
      delete s.$defs.Percent;
    },
    expected: [["/$defs/Percent", "definitionRemoved"]],
  },
  {
    name: "an anyOf branch removed",
    before: (s) => (s.$defs.Feature.properties.uses = { anyOf: [{ $ref: "#/$defs/Count" }, { type: "null" }] }),
    change: (s) => s.$defs.Feature.properties.uses.anyOf.pop(),
    expected: [["/$defs/Feature/properties/uses/anyOf/1", "branch"]],
  },
  {
    name: "an anyOf branch narrowed",
    before: (s) => (s.$defs.Feature.properties.uses = { anyOf: [{ $ref: "#/$defs/Count" }, { type: "null" }] }),
    change: (s) => (s.$defs.Feature.properties.uses.anyOf[0] = { type: "integer", minimum: 0, maximum: 5 }),
    expected: [["/$defs/Feature/properties/uses/anyOf/0/maximum", "upperBound"]],
  },
  {
    name: "a oneOf branch added (two branches may now match)",
    before: (s) => (s.$defs.Feature.properties.uses = { oneOf: [{ $ref: "#/$defs/Count" }, { type: "null" }] }),
    change: (s) => s.$defs.Feature.properties.uses.oneOf.push({ type: "integer", minimum: 0, maximum: 10 }),
    expected: [["/$defs/Feature/properties/uses/oneOf", "branch"]],
  },
  { name: "an anyOf added", change: (s) => (s.$defs.Name.anyOf = [{ maxLength: 64 }]), expected: [["/$defs/Name/anyOf", "branch"]] },
  { name: "a keyword the check does not model (not)", change: (s) => (s.$defs.Name.not = { const: "__proto__" }), expected: [["/$defs/Name/not", "keyword"]] },
  { name: "a property's schema made false", change: (s) => (s.properties.features = false), expected: [["/properties/features", "keyword"]] },
];

const widenings: Omit<Case, "expected">[] = [
  { name: "nothing changed", change: () => undefined },
  { name: "descriptions, titles and comments edited", change: (s) => { s.description = "new words"; s.$defs.Count.$comment = "why"; s.$defs.Site.title = "A site"; } },
  { name: "a new optional property", change: (s) => (s.properties.setup = { type: "object", additionalProperties: false, properties: { installType: { type: "string", enum: ["new", "upgrade"] } } }) },
  { name: "a new optional property in a definition", change: (s) => (s.$defs.Clients.properties.byArchitecture = { type: "object", maxProperties: 3, additionalProperties: { $ref: "#/$defs/Count" } }) },
  { name: "a new enum value", change: (s) => s.$defs.Level.enum.push("diagnostic") },
  { name: "a looser maximum and minimum", change: (s) => { s.$defs.Count.maximum = 2_000_000_000; s.$defs.Site.properties.utcOffsetMinutes.minimum = -780; } },
  { name: "an exclusive bound made inclusive", before: (s) => (s.$defs.Percent.exclusiveMaximum = 100), change: (s) => delete s.$defs.Percent.exclusiveMaximum },
  { name: "longer strings, more items, more keys", change: (s) => { s.$defs.Name.maxLength = 256; s.properties.sites.maxItems = 500; s.$defs.Features.maxProperties = 1000; } },
  { name: "a lower minLength and minItems", change: (s) => { s.$defs.Name.minLength = 0; s.properties.sites.minItems = 0; } },
  { name: "a field no longer required", change: (s) => (s.$defs.Product.required = ["version", "build"]) },
  { name: "additionalProperties opened", change: (s) => delete s.$defs.Site.additionalProperties },
  { name: "a pattern and a format dropped", change: (s) => { delete s.$defs.Build.pattern; delete s.properties.docId.format; } },
  { name: "uniqueItems dropped", change: (s) => delete s.$defs.Site.properties.roles.uniqueItems },
  { name: "a type widened (integer to number)", change: (s) => (s.$defs.Count.type = "number") },
  { name: "a const turned into an enum that keeps it", change: (s) => { delete s.properties.schemaVersion.const; s.properties.schemaVersion.enum = [1, 2]; } },
  { name: "a field moved into an identical new definition", change: (s) => { s.$defs.SqlVersion = s.$defs.Database.properties.sqlVersion; s.$defs.Database.properties.sqlVersion = { $ref: "#/$defs/SqlVersion" }; } },
  { name: "an anyOf branch added", before: (s) => (s.$defs.Feature.properties.uses = { anyOf: [{ $ref: "#/$defs/Count" }] }), change: (s) => s.$defs.Feature.properties.uses.anyOf.push({ type: "null" }) },
];

for (const { name, before, change, expected } of narrowings) {
  test(`narrowing: ${name} is reported at ${expected.map(([pointer]) => pointer).join(", ")}`, () => {
    const earlier = copyOfUsageV1();
    before?.(earlier);
    const later = JSON.parse(JSON.stringify(earlier)) as Json;
    change(later);
    const found = findNarrowings(earlier, later);
    assert.deepEqual(placesOf(found), expected);
    for (const narrowing of found) assert.ok(narrowing.message.length > 0, `${narrowing.pointer} has no message`);
  });
}

for (const { name, before, change } of widenings) {
  test(`widening: ${name} passes`, () => {
    const earlier = copyOfUsageV1();
    before?.(earlier);
    const later = JSON.parse(JSON.stringify(earlier)) as Json;
    change(later);
    assert.deepEqual(findNarrowings(earlier, later), []);
  });
}

test("the real schemas accept themselves", () => {
  assert.deepEqual(findNarrowings(usageV1Schema, usageV1Schema), []);
  assert.deepEqual(findNarrowings(resultsV1Schema, resultsV1Schema), []);
});

test("pointers escape ~ and / in property names (RFC 6901)", () => {
  const earlier = { type: "object", properties: { "a/b~c": { type: "string" } } };
  const later = { type: "object", properties: { "a/b~c": { type: "string", maxLength: 3 } } };
  assert.deepEqual(placesOf(findNarrowings(earlier, later)), [["/properties/a~1b~0c/maxLength", "upperBound"]]);
});

test("a recursive schema is compared once per pair of nodes, and ends", () => {
  const tree = (maxItems: number): Json => ({
    $ref: "#/$defs/Node",
    $defs: { Node: { type: "object", properties: { children: { type: "array", maxItems, items: { $ref: "#/$defs/Node" } } } } },
  });
  assert.deepEqual(placesOf(findNarrowings(tree(10), tree(5))), [["/$defs/Node/properties/children/maxItems", "upperBound"]]);
  const inlinedLater = tree(5);
  inlinedLater.$defs.Node.properties.children.items = { type: "object", properties: { children: { $ref: "#/$defs/Node/properties/children" } } };
  assert.ok(findNarrowings(tree(10), inlinedLater).length > 0);
});

test("a reference outside the document is refused rather than guessed at", () => {
  assert.throws(() => findNarrowings({ $ref: "other.json" }, { $ref: "another.json" }), /only local references/);
});
