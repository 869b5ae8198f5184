import { test } from "node:test";
import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import resultsV1Schema from "../../schemas/results.v1.schema.json";
import usageV1Schema from "../../schemas/usage.v1.schema.json";
import type { Problem as ProblemOfEdge } from "../../shared/http/problem";
import type { BatchResponse as BatchResponseOfIngestion } from "../../shared/ingestion/submitBatchLines";
import type { SubmitResponse as SubmitResponseOfIngestion } from "../../shared/ingestion/submitDocument";
import type { DocumentError as DocumentErrorOfValidation } from "../../shared/validation/validationResult";
import type { BatchResponse, DocumentError, Problem, SubmitAccepted, SubmitDuplicate } from "../../shared/resultsV1";

/**
 * The types the ingestion side and the HTTP edge declare for themselves must be the schema's:
 * a difference either way fails `tsc`, hence the build and every test run.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const agreements: Record<string, true> = {
  Problem: true satisfies Same<ProblemOfEdge, Problem>,
  DocumentError: true satisfies Same<DocumentErrorOfValidation, DocumentError>,
  SubmitResponse: true satisfies Same<SubmitResponseOfIngestion, SubmitAccepted | SubmitDuplicate>,
  BatchResponse: true satisfies Same<BatchResponseOfIngestion, BatchResponse>,
};

function compiler(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv, ["date-time", "date", "uuid"]);
  ajv.addSchema(usageV1Schema);
  ajv.addSchema(resultsV1Schema);
  return ajv;
}

const definition = (name: string) => compiler().getSchema(`${resultsV1Schema.$id}#/$defs/${name}`)!;

test("the result types of the ingestion side and the HTTP edge are the schema's (checked when compiling)", () => {
  assert.deepEqual(Object.keys(agreements).sort(), ["BatchResponse", "DocumentError", "Problem", "SubmitResponse"]);
});

test("the schema compiles in Ajv's strict mode, its references to the usage schema included, and says what it is", () => {
  const ajv = compiler();
  for (const name of Object.keys(resultsV1Schema.$defs)) assert.ok(ajv.getSchema(`${resultsV1Schema.$id}#/$defs/${name}`), name);
  assert.equal(resultsV1Schema.$schema, "https://json-schema.org/draft/2020-12/schema");
  assert.ok(resultsV1Schema.title.length > 0 && resultsV1Schema.description.length > 0);
});

test("every object definition rejects members it does not declare", () => {
  for (const [name, schema] of Object.entries(resultsV1Schema.$defs as Record<string, Record<string, unknown>>)) {
    if (schema.type === "object") assert.equal(schema.additionalProperties, false, name);
  }
});

// Fixtures that must pass and must fail, beside the test: each pins one rule of the contract.
const cases: { name: string; valid: unknown[]; invalid: unknown[] }[] = [
  {
    name: "VersionStats",
    valid: [
      { week: "2026-W47", hierarchies: 0, clients: 0, versions: [] },
      { week: "2026-W47", hierarchies: 2, clients: 3_000_000_000, versions: [{ version: "2409", hierarchies: 2, clients: 3_000_000_000 }] },
    ],
    invalid: [
      { week: "2026-47", hierarchies: 0, clients: 0, versions: [] },
      { week: "2026-W47", hierarchies: -1, clients: 0, versions: [] },
      { week: "2026-W47", hierarchies: 0, clients: 0, versions: [], extra: 1 },
    ],
  },
  {
    name: "DimensionStats",
    valid: [
      { week: "2026-W47", dimension: "version", kind: "hierarchy", hierarchies: 1, clients: 5, values: [{ value: "2409", hierarchies: 1, clients: 5 }] },
      { week: "2026-W47", dimension: "siteRole", kind: "set", hierarchies: 1, clients: 5, values: [{ value: "management-point", hierarchies: 1, count: 2 }] },
      { week: "2026-W47", dimension: "clients", kind: "distribution", hierarchies: 0, sum: null, mean: null, min: null, max: null, p50: null, p90: null, p99: null, buckets: [] },
    ],
    invalid: [
      // A set row shaped as a hierarchy row.
      { week: "2026-W47", dimension: "siteRole", kind: "set", hierarchies: 1, clients: 5, values: [{ value: "x", hierarchies: 1, clients: 2 }] },
      { week: "2026-W47", dimension: "clients", kind: "distribution", hierarchies: 0, buckets: [] },
    ],
  },
  {
    name: "HierarchyWeeks",
    valid: [{ hierarchyId: "hHQZZy6UB0moQc4nYJKM2JyfK3VwlbdSnL60ptbX9EQ=", weeks: [] }],
    // The URL form is for URLs only: responses write the id as SCPs send it.
    invalid: [{ hierarchyId: "hHQZZy6UB0moQc4nYJKM2JyfK3VwlbdSnL60ptbX9EQ", weeks: [] }],
  },
  {
    name: "Problem",
    valid: [{ type: "/problems/not-found", title: "Not found", status: 404, detail: "x" }],
    invalid: [{ type: "/problems/not-found", title: "Not found", status: 200, detail: "x" }, { type: "about:blank", title: "t", status: 400, detail: "x" }],
  },
];

for (const { name, valid, invalid } of cases) {
  test(`${name}: what must pass passes, what must fail fails`, () => {
    const validate = definition(name);
    for (const value of valid) assert.equal(validate(value), true, `${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`);
    for (const value of invalid) assert.equal(validate(value), false, JSON.stringify(value));
  });
}
