/**
 * The OpenAPI 3.1 description of every HTTP route (GET /api/openapi.json), for the tools
 * product teams use (code generators, Postman, Swagger UI). Documents and responses are the
 * schemas of `schemas/` themselves (componentSchemas.ts); this module adds only what HTTP
 * says: paths, parameters, statuses, media types and keys. test/functions/openapi.azurite.test.ts
 * holds it to the routes of functions/triggers.ts and to real responses of every route.
 */
import resultsV1Schema from "../../schemas/results.v1.schema.json";
import usageV1Schema from "../../schemas/usage.v1.schema.json";
import usageV2Schema from "../../schemas/usage.v2.schema.json";
import { toComponentSchemas } from "./componentSchemas";

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ "application/json": { schema } });
const csvText: Json = { "text/csv": { schema: { type: "string", description: "RFC 4180 with a header row, CRLF line ends, UTF-8 without a byte order mark." } } };

const retryAfter: Json = {
  "Retry-After": { description: "Seconds to wait before trying again.", required: true, schema: { type: "integer", minimum: 1 } },
};

/** A problem-details response; `retry` adds the Retry-After header its status always carries. */
function problem(description: string, retry = false): Json {
  return {
    description,
    ...(retry ? { headers: retryAfter } : {}),
    content: { "application/problem+json": { schema: ref("Problem") } },
  };
}

// What the Functions host answers (and the local runtime as it): docs/api.md, "Keys and disabled functions".
const unauthorized: Json = { description: "No key, a wrong key, or the other role's key: an empty body from the host, no Content-Type." };
const unavailable = problem("Storage did not answer (or this instance holds as much request data as it may): retry after Retry-After.", true);

/** The 200 of a query route: JSON by default, CSV when Accept prefers text/csv; the same URL answers both. */
function queryAnswer(schemaName: string, description: string): Json {
  return {
    description,
    headers: { Vary: { description: "The same URL answers JSON or CSV, so a cache keys on Accept too.", required: true, schema: { const: "Accept" } } },
    content: { ...json(ref(schemaName)), ...csvText },
  };
}

const weekParameter: Json = {
  name: "week",
  in: "query",
  required: true,
  description: "An ISO 8601 week of collectedAt in UTC.",
  schema: { type: "string", pattern: "^\\d{4}-W\\d{2}$", examples: ["2026-W47"] },
};
/** `from` and `to` as a route reads them: an open end is open (the weeks route) or a trend's default. */
const rangeParameters = (openEnds: { from: string; to: string }): Json[] =>
  (["from", "to"] as const).map((name) => ({
    name,
    in: "query",
    description: `The ${name === "from" ? "first" : "last"} week, inclusive; absent (or empty): ${openEnds[name]}.`,
    schema: { type: "string", pattern: "^(\\d{4}-W\\d{2})?$", examples: ["2026-W40"] },
  }));
const openRange = rangeParameters({ from: "open at that end", to: "open at that end" });
const trendRange = rangeParameters({ from: "52 weeks ending at `to`, never before the first week with data", to: "the last week that has data" });
const minHierarchiesParameter: Json = {
  name: "minHierarchies",
  in: "query",
  description: "Values named by fewer hierarchies are folded into one value (fewer than k), listed last; default the STATS_MIN_HIERARCHIES setting.",
  schema: { type: "integer", minimum: 1, maximum: 1000 },
};
const dimensionNameParameter: Json = {
  name: "name",
  in: "path",
  required: true,
  description: "A dimension's name, as GET /api/v1/stats/dimensions lists them.",
  schema: { type: "string", examples: ["sqlVersion"] },
};

const ingestKey = [{ ingestKeyHeader: [] }, { ingestKeyQuery: [] }];
const queryKey = [{ queryKeyHeader: [] }, { queryKeyQuery: [] }];

/** A GET query route: 400 for a bad parameter (when it takes any), 401 without the query key, 503 when storage is down. */
function queryOperation(operationId: string, summary: string, parameters: Json[], answer: Json, extra: Json = {}): Json {
  return {
    get: {
      operationId,
      summary,
      tags: ["query"],
      security: queryKey,
      parameters,
      responses: {
        "200": answer,
        ...(parameters.length === 0 ? {} : { "400": problem("A missing or malformed parameter, or one given twice: /problems/invalid-parameter, errors naming it.") }),
        "401": unauthorized,
        ...extra,
        "503": unavailable,
      },
    },
  };
}

const unknownDimension = { "404": problem("No dimension has this name: /problems/not-found.") };

function paths(): Json {
  return {
    "/v1/submit/{docType}/{docVersion}/{docId}": {
      post: {
        operationId: "submitUsage",
        summary: "Submit one weekly usage document",
        tags: ["ingestion"],
        security: ingestKey,
        parameters: [
          { name: "docType", in: "path", required: true, schema: { type: "string", enum: ["usage"] } },
          { name: "docVersion", in: "path", required: true, description: "The document's version: 1 or 2 (contract section 3.2); the body's schemaVersion must equal it.", schema: { type: "string", enum: ["1", "2"] } },
          { name: "docId", in: "path", required: true, description: "The idempotency key: a UUID generated once per document, reused on every retry.", schema: { type: "string", format: "uuid" } },
          { name: "Content-Encoding", in: "header", schema: { type: "string", enum: ["gzip", "identity"] } },
        ],
        requestBody: { required: true, description: "At most 2 MiB on the wire and 8 MiB decompressed; charset UTF-8 only.", content: json({ oneOf: [ref("UsageV1"), ref("UsageV2")] }) },
        responses: {
          "200": { description: "The same document again under this docId.", content: json(ref("SubmitDuplicate")) },
          "202": { description: "New and valid: stored, and its aggregation queued.", content: json(ref("SubmitAccepted")) },
          "400": problem("Malformed JSON, or a schema, semantic or consent violation: errors with JSON Pointers into the document; a docId that is not a UUID."),
          "401": unauthorized,
          "404": problem("Unknown docType or docVersion."),
          "408": problem("The body did not arrive in full within 60 s of the request's start: nothing is stored."),
          "409": problem("This docId holds a different document."),
          "413": problem("Over a size limit; limit names it."),
          "415": problem("Another content type, charset or content encoding."),
          "429": problem("Over the hierarchy's rate limit (RATE_LIMIT_PER_HOUR).", true),
          "503": unavailable,
        },
      },
    },
    "/v1/batch": {
      post: {
        operationId: "submitBatch",
        summary: "Submit an offline upload: NDJSON, one envelope a line",
        tags: ["ingestion"],
        security: ingestKey,
        parameters: [{ name: "Content-Encoding", in: "header", schema: { type: "string", enum: ["gzip", "identity"] } }],
        requestBody: {
          required: true,
          description:
            'At most 500 lines and 32 MiB. Each line is an envelope {"docType":"usage","docVersion":1 or 2,"docId":"<uuid>","document":<UsageV1 or UsageV2>}, judged alone with the rules of the submit route.',
          content: { "application/x-ndjson": { schema: { type: "string" } }, "application/ndjson": { schema: { type: "string" } } },
        },
        responses: {
          "200": { description: "Each line's outcome, whatever they are (a batch as a whole is never answered 429).", content: json(ref("BatchResponse")) },
          "400": problem("A gzip body that does not decompress."),
          "401": unauthorized,
          "408": problem("The body did not arrive in full within 60 s of the request's start: nothing of it is stored."),
          "413": problem("Over 500 lines or 32 MiB: nothing of it is stored; limit names it."),
          "415": problem("Another content type or content encoding."),
          "503": unavailable,
        },
      },
    },
    "/health": {
      get: {
        operationId: "health",
        summary: "Whether storage answers",
        tags: ["health"],
        security: [],
        responses: { "200": { description: "Storage answers.", content: json(ref("Health")) }, "503": problem("Storage does not answer.", true) },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "openApi",
        summary: "This description",
        tags: ["health"],
        security: [],
        responses: { "200": { description: "The OpenAPI 3.1 description of every route.", content: json({ type: "object", required: ["openapi"] }) } },
      },
    },
    "/dashboard": {
      get: {
        operationId: "dashboard",
        summary: "The dashboard page for product teams (docs/dashboard.md)",
        tags: ["query"],
        // The page holds no data; its own data calls take the query key, which it asks for.
        security: [],
        responses: {
          "200": { description: "One self-contained HTML page, with its Content-Security-Policy.", content: { "text/html": { schema: { type: "string" } } } },
          "503": problem("The package was deployed without the built page."),
        },
      },
    },
    "/v1/hierarchies/{id}/weeks": queryOperation(
      "hierarchyWeeks",
      "A hierarchy's weekly snapshots, oldest first",
      [{ name: "id", in: "path", required: true, description: "The hierarchy id in Base64url without padding.", schema: { type: "string", pattern: "^[A-Za-z0-9_-]{43}$" } }, ...openRange],
      queryAnswer("HierarchyWeeks", "The hierarchy's snapshots in the range (none when it has none there)."),
      { "404": problem("No week at all is known for this hierarchy: /problems/not-found.") },
    ),
    "/v1/stats/versions": queryOperation("statsVersions", "Hierarchies and clients per product version", [weekParameter], queryAnswer("VersionStats", "Newest version first.")),
    "/v1/stats/os": queryOperation("statsOs", "Clients per operating system", [weekParameter], queryAnswer("OsStats", "Most clients first, then by name.")),
    "/v1/stats/features": queryOperation("statsFeatures", "Features over the snapshots at enhanced or full", [weekParameter], queryAnswer("FeatureStats", "Most enabled first, then by name.")),
    "/v1/stats/trend": queryOperation("statsTrend", "Hierarchies, clients and versions week by week", trendRange, queryAnswer("WeekTrend", "Every week of the range, oldest first (at most 520).")),
    "/v1/stats/dimensions": queryOperation("statsDimensions", "Every dimension", [], queryAnswer("DimensionList", "In the contract's order.")),
    "/v1/stats/dimensions/{name}": queryOperation(
      "statsDimension",
      "One week by one dimension",
      [dimensionNameParameter, weekParameter, minHierarchiesParameter],
      queryAnswer("DimensionStats", "Shaped by the dimension's kind; CSV one row per value (or bucket)."),
      unknownDimension,
    ),
    "/v1/stats/dimensions/{name}/trend": queryOperation(
      "statsDimensionTrend",
      "One dimension week by week",
      [dimensionNameParameter, ...trendRange, minHierarchiesParameter],
      queryAnswer("DimensionTrend", "Weeks laid out as /stats/trend lays them."),
      unknownDimension,
    ),
  };
}

function keyScheme(role: "ingest" | "query", where: "header" | "query"): Json {
  return {
    type: "apiKey",
    in: where,
    name: where === "header" ? "x-functions-key" : "code",
    description: `The ${role} key (${role === "ingest" ? "ingestion routes" : "query routes"} only), as an Azure Functions function key${where === "query" ? " in ?code=" : ""}.`,
  };
}

/** Builds the description: paths relative to the server `/api`, which resolves against wherever it is served from (locally or on Azure). */
export function buildOpenApiDocument(): Json {
  return {
    openapi: "3.1.0",
    info: {
      title: "ConfigMgr usage-data receiver",
      version: "1.0.0",
      description: "Ingestion of Configuration Manager usage documents, and the weekly statistics product teams query. Errors are RFC 9457 problem details.",
    },
    servers: [{ url: "/api" }],
    tags: [{ name: "ingestion" }, { name: "query" }, { name: "health" }],
    paths: paths(),
    components: {
      schemas: toComponentSchemas([
        { schema: usageV1Schema, rootName: "UsageV1" },
        // Version 2 repeats version 1's definition names: its own are prefixed.
        { schema: usageV2Schema, rootName: "UsageV2", definitionPrefix: "UsageV2" },
        { schema: resultsV1Schema },
      ]),
      securitySchemes: {
        ingestKeyHeader: keyScheme("ingest", "header"),
        ingestKeyQuery: keyScheme("ingest", "query"),
        queryKeyHeader: keyScheme("query", "header"),
        queryKeyQuery: keyScheme("query", "query"),
      },
    },
  };
}

let cached: string | undefined;

/** The description as JSON text, built once per process (it depends on nothing but the code). */
export function openApiJson(): string {
  cached ??= JSON.stringify(buildOpenApiDocument());
  return cached;
}
