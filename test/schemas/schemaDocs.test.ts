import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { findProjectRoot } from "../../scripts/generateTypes";
import { generateSchemaDocs, renderSchemaDoc, schemaDocsFolder } from "../../scripts/generateSchemaDocs";

const root = findProjectRoot(__dirname);
const docs = generateSchemaDocs(root);
const regenerate = "regenerate them with `npm run gen:schema-docs` and commit the result";

for (const doc of docs) {
  test(`${doc.path} matches the schema it is generated from`, () => {
    assert.ok(existsSync(join(root, doc.path)), `${doc.path} is missing: ${regenerate}`);
    assert.ok(readFileSync(join(root, doc.path), "utf8") === doc.text, `${doc.path} differs from its schema: ${regenerate}`);
  });
}

test("docs/schema holds a doc for every versioned schema and nothing else", () => {
  const committed = readdirSync(join(root, schemaDocsFolder)).filter((name) => name.endsWith(".md")).sort();
  assert.deepEqual(committed, docs.map((doc) => doc.path.slice(schemaDocsFolder.length + 1)).sort(), regenerate);
});

/** The table row of one path in a generated doc, split into its cells. */
function rowOf(text: string, path: string): string[] {
  const row = text.split("\n").find((line) => line.startsWith(`| \`${path}\` |`));
  assert.ok(row !== undefined, `no row for ${path}`);
  return row.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
}

test("the usage v1 table has each field with its type, requirement, bounds, level and description", () => {
  const usage = docs.find((doc) => doc.path.endsWith("usage-v1.md"))!.text;
  const [, type, required, constraints, level, description] = rowOf(usage, "/sites/*/type");
  assert.deepEqual([type, required, level], ["string", "yes", "all"]);
  assert.equal(constraints, '`"cas"`, `"primary"`, `"secondary"`');
  assert.match(description!, /central administration site/);
  assert.deepEqual(rowOf(usage, "/sites").slice(1, 4), ["array", "yes", "1..250 items"]);
  assert.match(rowOf(usage, "/clients/byOs")[3]!, /≤ 500 keys; keys: 1\.\.128 characters \(Name\)/);
  assert.deepEqual(rowOf(usage, "/clients/entraJoined").slice(1, 5), ["integer · Count", "no", "≥ 0, ≤ 1000000000", "all"]);
  assert.equal(rowOf(usage, "/features")[4], "enhanced, full");
  assert.equal(rowOf(usage, "/features/{key}/uses")[4], "enhanced, full", "a level holds for everything under the field");
  assert.equal(rowOf(usage, "/compliance/endpointProtection/atRisk")[4], "full");
  assert.match(rowOf(usage, "/database/sqlVersion")[3]!, /pattern `\^\\d\+\\\.\\d\+\\\.\\d\+\\\.\\d\+\$`/);
});

test("a library of definitions (results v1) gets one table per definition", () => {
  const results = docs.find((doc) => doc.path.endsWith("results-v1.md"))!.text;
  assert.match(results, /^## Problem$/m);
  assert.deepEqual(rowOf(results, "/status").slice(1, 4), ["integer", "yes", "≥ 400, ≤ 599"]);
});

test("a level is read from the description in either phrasing, and a recursive definition is named, not expanded forever", () => {
  const schema = {
    title: "Scratch",
    type: "object",
    additionalProperties: false,
    properties: {
      osd: { description: "Task sequences: enhanced and full only.", type: "object", properties: { steps: { type: "integer", minimum: 0, maximum: 5 } } },
      tree: { $ref: "#/$defs/Node" },
    },
    $defs: { Node: { description: "A node.", type: "object", properties: { child: { $ref: "#/$defs/Node" } } } },
  };
  const text = renderSchemaDoc(schema, { docType: "scratch", version: 2, current: "schemas/scratch.v2.schema.json", published: "schemas/published/scratch.v2.schema.json" });
  assert.equal(rowOf(text, "/osd")[4], "enhanced, full");
  assert.equal(rowOf(text, "/osd/steps")[4], "enhanced, full");
  assert.equal(rowOf(text, "/tree")[4], "all");
  assert.match(rowOf(text, "/tree/child")[3]!, /recursive: see Node/);
  assert.ok(!text.includes("/tree/child/child"));
});
