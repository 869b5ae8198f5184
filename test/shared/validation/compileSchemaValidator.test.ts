import { test } from "node:test";
import assert from "node:assert/strict";
import { compileSchemaValidator, maxNodesForFullErrorList } from "../../../shared/validation/compileSchemaValidator";
import { maxEchoedNameLength } from "../../../shared/validation/fromAjvErrors";
import { isErrorListNote } from "../../../shared/validation/validationResult";

function errorsOf(check: { ok: boolean; errors?: { path: string; message: string }[] }): { path: string; message: string }[] {
  return check.ok ? [] : (check.errors ?? []).filter((error) => !isErrorListNote(error));
}

const roles = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];

test("Ajv errors become readable errors at the offending place", () => {
  const validate = compileSchemaValidator({
    type: "object",
    additionalProperties: false,
    required: ["name", "kind", "version", "tags", "map"],
    properties: {
      name: { type: "string", maxLength: 3 },
      kind: { type: "string", enum: ["x", "y"] },
      version: { type: "integer", const: 1 },
      tags: { type: "array", maxItems: 9, uniqueItems: true, items: { type: "string", enum: roles } },
      map: { type: "object", maxProperties: 2, propertyNames: { type: "string", pattern: "^[a-z]+$", maxLength: 8 }, additionalProperties: { type: "number", maximum: 10 } },
      count: { type: "number" },
    },
  });
  assert.deepEqual(validate({ name: "abc", kind: "x", version: 1, tags: ["a"], map: { ok: 1 } }), {
    ok: true,
    value: { name: "abc", kind: "x", version: 1, tags: ["a"], map: { ok: 1 } },
  });
  assert.deepEqual(errorsOf(validate({ name: "abcd", kind: "z", version: 2, tags: ["a", "b", "a"], map: { "Bad/Key": 1, ok: 11 }, extra: 1, count: Infinity })), [
    { path: "/extra", message: "unknown property" },
    { path: "/name", message: "must NOT have more than 3 characters" },
    { path: "/kind", message: 'must be one of "x", "y"' },
    { path: "/version", message: "must be 1" },
    { path: "/tags/2", message: "duplicate of item 0" },
    { path: "/map/Bad~1Key", message: 'property name must match pattern "^[a-z]+$"' },
    { path: "/map/ok", message: "must be <= 10" },
    { path: "/count", message: "must be a finite number" },
  ]);
  assert.deepEqual(errorsOf(validate({})), ["name", "kind", "version", "tags", "map"].map((name) => ({ path: `/${name}`, message: "required property is missing" })));
});

test("over-long property names are not echoed", () => {
  const validate = compileSchemaValidator({
    type: "object",
    additionalProperties: false,
    properties: { map: { type: "object", propertyNames: { type: "string", maxLength: 4 } } },
  });
  const echoed = "n".repeat(maxEchoedNameLength);
  const tooLong = "n".repeat(maxEchoedNameLength + 1);
  assert.deepEqual(errorsOf(validate({ map: { [echoed]: 1 } })).map((error) => error.path), [`/map/${echoed}`]);
  assert.deepEqual(errorsOf(validate({ map: { [tooLong]: 1 } })).map((error) => error.path), ["/map"]);
  assert.deepEqual(errorsOf(validate({ [tooLong]: 1 })).map((error) => error.path), [""]);
});

test("lengths are code points, even where the quick check counts code units", () => {
  const maxOnly = compileSchemaValidator({ type: "string", maxLength: 2 });
  assert.equal(maxOnly("\u{1F600}\u{1F600}").ok, true, "two emoji are two characters, four code units");
  assert.equal(maxOnly("\u{1F600}\u{1F600}\u{1F600}").ok, false);

  // A minLength above 1 would be loosened by counting code units; such schemas use code points throughout.
  const minTwo = compileSchemaValidator({ type: "string", minLength: 2, maxLength: 3 });
  assert.equal(minTwo("\u{1F600}").ok, false, "one emoji is one character, two code units");
  assert.equal(minTwo("\u{1F600}\u{1F600}").ok, true);
});

test("uniqueness of a short array stays cheap however long the array is", () => {
  const validate = compileSchemaValidator({ type: "array", maxItems: 9, uniqueItems: true, items: { type: "string", enum: roles } });
  for (const length of [maxNodesForFullErrorList - 10, 1_000_000]) {
    // Counted, not timed: a pairwise uniqueness check reads items about length² / 2 times.
    let reads = 0;
    const items = new Proxy(Array.from({ length }, () => "a"), {
      get(target, key, receiver) {
        if (typeof key === "string" && /^\d+$/.test(key)) reads += 1;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const errors = errorsOf(validate(items));
    assert.deepEqual(errors[0], { path: "", message: "must NOT have more than 9 items" }, `${length} items`);
    assert.ok(reads <= 4 * length, `${length} items were read ${reads} times`);
  }
  assert.deepEqual(errorsOf(validate(["a", "b", "a"])), [{ path: "/2", message: "duplicate of item 0" }]);
  assert.equal(validate(roles).ok, true);
});

test("documents too large to list every error get their first error and a note", () => {
  const validate = compileSchemaValidator({ type: "object", properties: { list: { type: "array", maxItems: 3, items: { type: "object", required: ["x"], properties: { x: { type: "number" } } } } } });
  const small = validate({ list: [{}, {}, {}, {}] });
  assert.deepEqual(small.ok ? [] : small.errors.map((error) => error.path), ["/list", "/list/0/x", "/list/1/x", "/list/2/x", "/list/3/x"]);
  const huge = validate({ list: Array.from({ length: maxNodesForFullErrorList }, () => ({})) });
  assert.deepEqual(huge.ok ? [] : huge.errors.map((error) => error.path), ["/list", ""]);
  assert.ok(!huge.ok && huge.errors.some(isErrorListNote));
});

test("at most 50 errors and a note", () => {
  const validate = compileSchemaValidator({ type: "array", items: { type: "string" } });
  const result = validate(Array.from({ length: 500 }, (_, index) => index));
  assert.equal(result.ok ? 0 : result.errors.length, 51);
});
