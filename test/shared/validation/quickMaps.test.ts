import { test } from "node:test";
import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadValidatorModule } from "../../../shared/validation/compileSchemaValidator";
import { generateValidatorModule } from "../../../shared/validation/generateValidatorModule";
import { toQuickMapSchema } from "../../../shared/validation/quickMaps";

/** A count map and a map of small objects, as the usage schemas have them. */
const schema = {
  type: "object",
  additionalProperties: false,
  properties: {
    counts: {
      type: "object",
      description: "annotations may stay beside the keyword",
      maxProperties: 3,
      propertyNames: { type: "string", maxLength: 6, pattern: "^[a-z]+$" },
      additionalProperties: { type: "integer", minimum: 0, maximum: 10 },
    },
    big: {
      type: "object",
      maxProperties: 40,
      propertyNames: { type: "string", pattern: "^k[0-9]+$" },
      additionalProperties: { type: "integer", maximum: 5 },
    },
    features: {
      type: "object",
      maxProperties: 2,
      propertyNames: { type: "string", minLength: 1, maxLength: 4 },
      additionalProperties: { type: "object", additionalProperties: false, required: ["on"], properties: { on: { type: "boolean" }, uses: { type: "integer" } } },
    },
  },
};

/** A map of `count` keys k0, k1…, each 1: past the size the keyword walks with for...in. */
function bigMap(count: number, last: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, 1])), ...last };
}

const cases: unknown[] = [
  { big: bigMap(30) },
  { big: bigMap(40) },
  { big: bigMap(41) },
  { big: bigMap(35, { k99: 6 }) },
  { big: bigMap(35, { k99: "1" }) },
  { big: bigMap(35, { x: 1 }) },
  {},
  { counts: {} },
  { counts: { a: 0, bb: 10, ccc: 5 } },
  { counts: { a: 0, bb: 10, ccc: 5, d: 1 } }, // one key too many
  { counts: { a: 11 } },
  { counts: { a: -1 } },
  { counts: { a: 1.5 } },
  { counts: { a: "1" } },
  { counts: { a: null } },
  { counts: { A: 1 } },
  { counts: { abcdefg: 1 } }, // key too long
  { counts: { "": 1 } },
  JSON.parse('{"counts": {"__proto__": 1, "constructor": 2}}'), // own keys, as JSON.parse makes them
  { counts: [] },
  { counts: [1] },
  { counts: null },
  { counts: "map" },
  { features: { a: { on: true }, bb: { on: false, uses: 3 } } },
  { features: { a: { on: true }, bb: { on: false }, c: { on: true } } },
  { features: { a: { on: true, extra: 1 } } },
  { features: { a: { uses: 1 } } },
  { features: { a: [] } },
  { features: { "": { on: true } } },
  { features: { abcde: { on: true } } },
  { features: { "\u{1F600}\u{1F600}": { on: true } } }, // two code points, four code units: the quick check may refuse it
];

test("the quick validator's one-pass maps accept exactly what Ajv accepts of the schema as written", () => {
  const { quick, exact } = loadValidatorModule(generateValidatorModule(schema));
  const plain = new Ajv2020({ strict: true }).compile(schema);
  for (const value of cases) {
    const text = JSON.stringify(value);
    const parsed: unknown = JSON.parse(text);
    const expected = plain(parsed);
    assert.equal(exact(parsed), expected, text);
    // Never looser than the schema; stricter only where it counts code units (see generateValidatorModule.ts).
    if (Array.from({ length: text.length }, (_, index) => text.charCodeAt(index)).some((code) => code > 0x7f)) {
      if (quick(parsed)) assert.equal(expected, true, text);
    } else {
      assert.equal(quick(parsed), expected, text);
    }
  }
});

test("only a map of the supported form becomes a quickMap", () => {
  const map = { type: "object", maxProperties: 5, propertyNames: { type: "string" }, additionalProperties: { type: "integer" } };
  assert.deepEqual(toQuickMapSchema({ ...map, description: "d" }), {
    type: "object",
    description: "d",
    quickMap: { maxProperties: 5, keys: { type: "string" }, values: { type: "integer" } },
  });
  assert.equal(toQuickMapSchema({ ...map, properties: { a: { type: "integer" } } }), undefined, "properties change what is additional");
  assert.equal(toQuickMapSchema({ ...map, minProperties: 1 }), undefined);
  assert.equal(toQuickMapSchema({ ...map, additionalProperties: false }), undefined);
  assert.equal(toQuickMapSchema({ ...map, maxProperties: undefined }), undefined);
});

test("the usage validators' quick check lists each map's keys once", () => {
  // The schema step's cost on large documents is enumerating maps: Ajv as written counts the
  // keys (maxProperties), then walks them for propertyNames, then again for additionalProperties.
  for (const version of [1, 2]) {
    const root = join(__dirname, "../../..");
    const source = readFileSync(join(root, "shared/validation", `usageV${version}Validators.js`), "utf8");
    const quick = source.slice(source.indexOf("exports.quick ="));
    assert.ok(quick.length > 0 && quick.length < source.length);
    const schemaText = readFileSync(join(root, "schemas", `usage.v${version}.schema.json`), "utf8");
    const maps = schemaText.match(/"maxProperties"/g)?.length ?? 0;
    assert.ok(maps >= 4, `v${version}: the schema's maps`);
    assert.doesNotMatch(quick, /Object\.keys\([^)]*\)\.length/, `v${version}: maxProperties counted in a pass of its own`);
    assert.equal(quick.match(/= Object\.keys\(/g)?.length, maps, `v${version}: one key list per map`);
  }
});
