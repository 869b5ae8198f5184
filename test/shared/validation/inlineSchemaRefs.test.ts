import { test } from "node:test";
import assert from "node:assert/strict";
import { inlineSchemaRefs } from "../../../shared/validation/inlineSchemaRefs";

const schema = {
  $id: "urn:test",
  type: "object",
  properties: {
    a: { $ref: "#/$defs/Count", description: "an a" },
    b: { $ref: "#/$defs/Thing" },
    c: { $ref: "#/$defs/Count", maximum: 5 },
  },
  $defs: {
    Count: { title: "Count", description: "a count", type: "integer", minimum: 0 },
    Thing: { type: "object", properties: { n: { $ref: "#/$defs/Count" } } },
  },
};

test("every local ref is replaced by its definition; annotations on the ref win", () => {
  assert.deepEqual(inlineSchemaRefs(schema), {
    $id: "urn:test",
    type: "object",
    properties: {
      a: { title: "Count", description: "an a", type: "integer", minimum: 0 },
      b: { type: "object", properties: { n: { title: "Count", description: "a count", type: "integer", minimum: 0 } } },
      c: { maximum: 5, allOf: [{ title: "Count", description: "a count", type: "integer", minimum: 0 }] },
    },
  });
});

test("only the chosen definitions are inlined; the rest stay in $defs", () => {
  const result = inlineSchemaRefs(schema, (name) => name === "Count");
  assert.deepEqual(result.properties, {
    a: { title: "Count", description: "an a", type: "integer", minimum: 0 },
    b: { $ref: "#/$defs/Thing" },
    c: { maximum: 5, allOf: [{ title: "Count", description: "a count", type: "integer", minimum: 0 }] },
  });
  assert.deepEqual(result.$defs, { Thing: { type: "object", properties: { n: { title: "Count", description: "a count", type: "integer", minimum: 0 } } } });
});

test("the input is not changed", () => {
  const before = JSON.stringify(schema);
  inlineSchemaRefs(schema);
  assert.equal(JSON.stringify(schema), before);
});

test("recursive definitions are refused", () => {
  assert.throws(() => inlineSchemaRefs({ $ref: "#/$defs/Node", $defs: { Node: { type: "array", items: { $ref: "#/$defs/Node" } } } }), /recursive/);
});
