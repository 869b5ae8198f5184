import { test } from "node:test";
import assert from "node:assert/strict";
import { triggers } from "../../../functions/triggers";
import type { HttpTrigger } from "../../../functions/triggerTypes";
import resultsV1Schema from "../../../schemas/results.v1.schema.json";
import usageV1Schema from "../../../schemas/usage.v1.schema.json";
import usageV2Schema from "../../../schemas/usage.v2.schema.json";
import { buildOpenApiDocument, openApiJson } from "../../../shared/openapi/openApiDocument";

type Json = Record<string, unknown>;
type Operation = { operationId: string; security: Json[]; responses: Record<string, Json> };

/** The OpenAPI schema validator is an ES module; this test file is CommonJS. */
async function validateDescription(description: Json): Promise<{ valid: boolean; version: string; errors: unknown }> {
  const { Validator } = await import("@seriousme/openapi-schema-validator");
  const validator = new Validator();
  const result = await validator.validate(description);
  return { valid: result.valid, version: validator.version, errors: result.errors };
}

const description = buildOpenApiDocument();
const pathItems = description.paths as Record<string, Record<string, Operation>>;
const httpTriggers = triggers.filter((t): t is HttpTrigger => t.kind === "http");

test("the description is valid OpenAPI 3.1", async () => {
  const result = await validateDescription(description);
  assert.equal(result.valid, true, JSON.stringify(result.errors));
  assert.equal(result.version, "3.1");
});

test("the validator does refuse a broken description", async () => {
  const broken = structuredClone(description) as { paths: Record<string, Record<string, Operation>> };
  broken.paths["/health"]!["get"]!.responses = { "200": { content: {} } };
  assert.equal((await validateDescription(broken as unknown as Json)).valid, false, "a response without its description is not OpenAPI");
});

test("it describes every HTTP route of functions/triggers.ts, and no other, under its trigger's name", () => {
  const described = Object.entries(pathItems).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => `${method.toUpperCase()} /${path.slice(1)} ${op.operationId}`));
  const routed = httpTriggers.flatMap((t) => t.methods.map((method) => `${method} /${t.route} ${t.name}`));
  assert.deepEqual(described.sort(), routed.sort());
});

test("each operation takes the key its trigger takes, in the header or ?code=", () => {
  const schemes = { ingest: ["ingestKeyHeader", "ingestKeyQuery"], query: ["queryKeyHeader", "queryKeyQuery"], none: [] };
  for (const t of httpTriggers) {
    const op = pathItems[`/${t.route}`]![t.methods[0]!.toLowerCase()]!;
    assert.deepEqual(op.security.flatMap((requirement) => Object.keys(requirement)), schemes[t.key], t.name);
    if (t.key !== "none") assert.ok(op.responses["401"] !== undefined && op.responses["401"]["content"] === undefined, `${t.name}: a 401 has no body`);
  }
});

test("the schemas are those of schemas/, carried over with only their references moved", () => {
  const components = (description.components as { schemas: Record<string, Json> }).schemas;
  const moved = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema).replace(/"\$ref":"(?:urn:[^#"]*)?#\/\$defs\//g, '"$ref":"#/components/schemas/'));
  for (const [name, schema] of Object.entries(resultsV1Schema.$defs)) assert.deepEqual(components[name], moved(schema), name);
  for (const [name, schema] of Object.entries(usageV1Schema.$defs)) assert.deepEqual(components[name], moved(schema), name);
  const usageRoot: Json = Object.fromEntries(Object.entries(usageV1Schema).filter(([key]) => !["$defs", "$id", "$schema"].includes(key)));
  assert.deepEqual(components["UsageV1"], moved(usageRoot));
  // Version 2's definitions, prefixed: its own references lead to its own definitions.
  const movedV2 = (schema: unknown): unknown => JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\/\$defs\//g, '"$ref":"#/components/schemas/UsageV2'));
  for (const [name, schema] of Object.entries(usageV2Schema.$defs)) assert.deepEqual(components[`UsageV2${name}`], movedV2(schema), name);
  const usageV2Root: Json = Object.fromEntries(Object.entries(usageV2Schema).filter(([key]) => !["$defs", "$id", "$schema"].includes(key)));
  assert.deepEqual(components["UsageV2"], movedV2(usageV2Root));
  assert.deepEqual(
    Object.keys(components).sort(),
    ["UsageV1", "UsageV2", ...Object.keys(usageV1Schema.$defs), ...Object.keys(usageV2Schema.$defs).map((name) => `UsageV2${name}`), ...Object.keys(resultsV1Schema.$defs)].sort(),
  );
});

test("the submit route takes docVersion 1 or 2, and either version's document", () => {
  const submit = (description.paths as Record<string, { post: { parameters: { name: string; schema: Json }[]; requestBody: Json } }>)["/v1/submit/{docType}/{docVersion}/{docId}"]!.post;
  assert.deepEqual(submit.parameters.find((p) => p.name === "docVersion")?.schema.enum, ["1", "2"]);
  assert.deepEqual(submit.requestBody.content, { "application/json": { schema: { oneOf: [{ $ref: "#/components/schemas/UsageV1" }, { $ref: "#/components/schemas/UsageV2" }] } } });
});

test("every reference in the description leads somewhere", () => {
  const refs = [...openApiJson().matchAll(/"\$ref":"([^"]*)"/g)].map((m) => m[1]!);
  assert.ok(refs.length > 50);
  const components = (description.components as { schemas: Json }).schemas;
  for (const target of new Set(refs)) {
    assert.match(target, /^#\/components\/schemas\//);
    assert.ok(Object.hasOwn(components, target.slice("#/components/schemas/".length)), target);
  }
});

test("the served text is the description", () => {
  assert.deepEqual(JSON.parse(openApiJson()), description);
});
