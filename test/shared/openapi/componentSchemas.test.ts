import { test } from "node:test";
import assert from "node:assert/strict";
import { toComponentSchemas } from "../../../shared/openapi/componentSchemas";

const document = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:test:doc",
  type: "object",
  properties: { a: { $ref: "#/$defs/A" } },
  $defs: { A: { type: "string" } },
};
const library = {
  $id: "urn:test:lib",
  $defs: { B: { type: "object", properties: { a: { $ref: "urn:test:doc#/$defs/A" }, c: { $ref: "#/$defs/C" } } }, C: { type: "integer" } },
};

test("a document's root and definitions become components, references pointing among them", () => {
  assert.deepEqual(toComponentSchemas([{ schema: document, rootName: "Doc" }, { schema: library }]), {
    Doc: { type: "object", properties: { a: { $ref: "#/components/schemas/A" } } },
    A: { type: "string" },
    B: { type: "object", properties: { a: { $ref: "#/components/schemas/A" }, c: { $ref: "#/components/schemas/C" } } },
    C: { type: "integer" },
  });
});

test("two schemas that define one name are refused rather than one silently winning", () => {
  assert.throws(() => toComponentSchemas([{ schema: document }, { schema: { $id: "urn:test:other", $defs: { A: { type: "number" } } } }]), /two schemas define A/);
});

test("a reference outside the given schemas is refused", () => {
  assert.throws(() => toComponentSchemas([{ schema: library }]), /cannot place urn:test:doc#\/\$defs\/A/);
  assert.throws(() => toComponentSchemas([{ schema: { $id: "urn:x", $defs: { D: { $ref: "#/properties/y" } } } }]), /cannot place/);
});
