/**
 * Holds a route's JSON answer to its definition in schemas/results.v1.schema.json before the
 * CLI reads it, so that a service of another version is reported as such rather than drawn
 * as a table of `undefined`.
 */
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import resultsV1Schema from "../../schemas/results.v1.schema.json";
import usageV1Schema from "../../schemas/usage.v1.schema.json";
import type { QueryRoute } from "./parseQueryArguments";

const definitionOf: Readonly<Record<QueryRoute, keyof typeof resultsV1Schema.$defs>> = Object.freeze({
  versions: "VersionStats",
  os: "OsStats",
  features: "FeatureStats",
  trend: "WeekTrend",
  hierarchy: "HierarchyWeeks",
  dimensions: "DimensionList",
  dimension: "DimensionStats",
  dimensionTrend: "DimensionTrend",
});

let ajv: Ajv2020 | undefined;

function validatorOf(route: QueryRoute): ValidateFunction {
  if (ajv === undefined) {
    ajv = new Ajv2020({ strict: true });
    addFormats(ajv, ["date-time", "date", "uuid"]);
    ajv.addSchema(usageV1Schema);
    ajv.addSchema(resultsV1Schema);
  }
  const validate = ajv.getSchema(`${resultsV1Schema.$id}#/$defs/${definitionOf[route]}`);
  if (validate === undefined) throw new Error(`no definition ${definitionOf[route]}`);
  return validate;
}

/** Why `body` is not what `route` answers: undefined when it is. */
export function answerMismatch(route: QueryRoute, body: unknown): string | undefined {
  const validate = validatorOf(route);
  if (validate(body)) return undefined;
  const first = validate.errors?.[0];
  return `the answer is not a ${definitionOf[route]}${first === undefined ? "" : ` (${first.instancePath || "/"} ${first.message ?? first.keyword})`}`;
}
