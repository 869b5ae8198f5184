import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkSchemaEvolution, describeVerdict } from "../../scripts/schemaEvolution/checkSchemaEvolution";
import { publishSchema } from "../../scripts/schemaEvolution/publishSchema";
import { listSchemaVersions } from "../../scripts/schemaEvolution/listSchemaVersions";
import { findProjectRoot } from "../../scripts/generateTypes";

const root = findProjectRoot(__dirname);

// The check itself: every published version, today's form against its first one.
for (const verdict of checkSchemaEvolution(root)) {
  test(`${verdict.schema.current} only widens its first published form`, () => {
    assert.equal(verdict.status, "widens", describeVerdict(verdict).join("\n"));
  });
}

test("the check finds every versioned schema, usage v1 and results v1 among them", () => {
  const names = listSchemaVersions(root).map((schema) => `${schema.docType}.v${schema.version}`);
  assert.ok(names.includes("usage.v1") && names.includes("results.v1"), names.join(", "));
});

/** A project of its own: schemas/ with one version, and optionally its published form. */
function scratchProject(schema: unknown, published?: unknown): string {
  const folder = mkdtempSync(join(tmpdir(), "schema-evolution-"));
  mkdirSync(join(folder, "schemas", "published"), { recursive: true });
  writeFileSync(join(folder, "schemas", "usage.v1.schema.json"), JSON.stringify(schema));
  writeFileSync(join(folder, "schemas", "notVersioned.json"), "{}");
  if (published !== undefined) writeFileSync(join(folder, "schemas", "published", "usage.v1.schema.json"), JSON.stringify(published));
  return folder;
}

const realUsageV1: Record<string, unknown> = JSON.parse(readFileSync(join(root, "schemas", "usage.v1.schema.json"), "utf8")) as Record<string, unknown>;

test("a version narrowed since it was published fails, naming each place", (t) => {
  const narrowed = structuredClone(realUsageV1) as { properties: Record<string, Record<string, unknown>> };
  narrowed.properties.sites!.maxItems = 10;
  delete narrowed.properties.connectionMode;
  const folder = scratchProject(narrowed, realUsageV1);
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const [verdict, ...others] = checkSchemaEvolution(folder);
  assert.equal(others.length, 0, "only <docType>.v<N>.schema.json files are versions");
  assert.equal(verdict?.status, "narrows");
  assert.deepEqual(verdict.narrowings.map((narrowing) => narrowing.pointer), ["/properties/connectionMode", "/properties/sites/maxItems"]);
  const message = describeVerdict(verdict).join("\n");
  assert.match(message, /new version/);
  assert.match(message, /\/properties\/sites\/maxItems: upperBound/);
});

test("a version without a first published form fails, saying how to keep one", (t) => {
  const folder = scratchProject(realUsageV1);
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const [verdict] = checkSchemaEvolution(folder);
  assert.equal(verdict?.status, "unpublished");
  assert.match(describeVerdict(verdict).join("\n"), /npm run schema:publish -- usage 1/);
});

test("schema:publish copies a version byte for byte, once", (t) => {
  const folder = scratchProject(realUsageV1);
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const written = publishSchema("usage", 1, folder);
  assert.equal(written, join("schemas", "published", "usage.v1.schema.json"));
  assert.equal(readFileSync(join(folder, written), "utf8"), readFileSync(join(folder, "schemas", "usage.v1.schema.json"), "utf8"));
  assert.equal(checkSchemaEvolution(folder)[0]?.status, "widens");
  assert.throws(() => publishSchema("usage", 1, folder), /first published form is kept as it is/);
  assert.throws(() => publishSchema("usage", 2, folder), /there is no schemas\/usage\.v2\.schema\.json/);
});
