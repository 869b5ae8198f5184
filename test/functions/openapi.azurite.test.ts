import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { after, before, describe, test } from "node:test";
import { toHierarchyKey } from "../../shared/aggregation/hierarchyKey";
import { dimensions } from "../../shared/aggregation/dimensions";
import { buildOpenApiDocument } from "../../shared/openapi/openApiDocument";
import { HttpHost } from "../../local/httpHost";
import { triggers } from "../../functions/triggers";
import { bindTrigger, type HttpTrigger } from "../../functions/triggerTypes";
import { seedWeeks } from "../support/seedWeeks";
import { INGEST_KEY, QUERY_KEY, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { base64Sha256Of, makeDimensionDocuments, makeUsageDocument } from "../../devkit/usageDocuments";
import { OpenApiConformance, type ObservedResponse } from "./openapiConformance";

interface Call {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** The status this call is meant to provoke: a test of the description only counts if the call got there. */
  status: number;
}

const query = { "x-functions-key": QUERY_KEY };
const ingest = { "x-functions-key": INGEST_KEY };
const asJson = { ...ingest, "content-type": "application/json" };
const ndjson = { ...ingest, "content-type": "application/x-ndjson" };
const csv = { ...query, accept: "text/csv" };

async function call(base: string, c: Call): Promise<ObservedResponse> {
  const method = c.method ?? "GET";
  const url = `${base}${c.path}`;
  const response = await fetch(url, { method, headers: c.headers ?? {}, ...(c.body === undefined ? {} : { body: c.body }) });
  return { method, url, status: response.status, headers: response.headers, text: await response.text() };
}

describe("real responses of every route against the OpenAPI description (local runtime on Azurite)", () => {
  let t: TestRuntime;
  const conformance = new OpenApiConformance(buildOpenApiDocument());
  const seeded = makeDimensionDocuments().map((d) => d.document);
  const known = toHierarchyKey(seeded[0]!.hierarchyId);

  before(async () => {
    // A rate limit of 2 makes the third valid document of one hierarchy a 429.
    t = await startTestRuntime({ RATE_LIMIT_PER_HOUR: "2" }, { runQueueTriggers: false });
    await seedWeeks(t.runtime.services, seeded);
  });
  after(async () => t.close());

  async function expectConforms(calls: readonly Call[]): Promise<void> {
    for (const c of calls) {
      const response = await call(t.url, c);
      const label = `${c.method ?? "GET"} ${c.path} (${JSON.stringify(c.headers?.accept ?? "")})`;
      assert.equal(response.status, c.status, `${label}: ${response.text.slice(0, 300)}`);
      assert.deepEqual(conformance.check(response), [], label);
    }
  }

  test("health, the description itself and the dashboard page, without a key", async () => {
    await expectConforms([
      { path: "/api/health", status: 200 },
      { path: "/api/openapi.json", status: 200 },
      { path: "/api/dashboard", status: 200 },
    ]);
  });

  test("the query routes: JSON and CSV, every dimension, the errors", async () => {
    const week = "2026-W47";
    const calls: Call[] = [
      { path: `/api/v1/hierarchies/${known}/weeks`, headers: query, status: 200 },
      { path: `/api/v1/hierarchies/${known}/weeks?code=${QUERY_KEY}`, status: 200 },
      { path: `/api/v1/hierarchies/${known}/weeks`, headers: csv, status: 200 },
      { path: `/api/v1/hierarchies/${known}/weeks?from=2026-W60`, headers: query, status: 400 },
      { path: `/api/v1/hierarchies/${toHierarchyKey(base64Sha256Of("nobody"))}/weeks`, headers: query, status: 404 },
      { path: `/api/v1/hierarchies/${known}/weeks`, headers: ingest, status: 401 },
      { path: "/api/v1/stats/trend", headers: query, status: 200 },
      { path: "/api/v1/stats/trend?from=2026-W45&to=2026-W48", headers: csv, status: 200 },
      { path: "/api/v1/stats/trend?from=2026-W48&to=2026-W45", headers: query, status: 400 },
      { path: "/api/v1/stats/trend", status: 401 },
      { path: "/api/v1/stats/dimensions", headers: query, status: 200 },
      { path: "/api/v1/stats/dimensions", headers: csv, status: 200 },
      { path: "/api/v1/stats/dimensions", headers: ingest, status: 401 },
      { path: `/api/v1/stats/dimensions/nonesuch?week=${week}`, headers: query, status: 404 },
      { path: `/api/v1/stats/dimensions/version?week=${week}&minHierarchies=0`, headers: query, status: 400 },
      { path: `/api/v1/stats/dimensions/version?week=${week}`, status: 401 },
      { path: "/api/v1/stats/dimensions/nonesuch/trend", headers: query, status: 404 },
      { path: "/api/v1/stats/dimensions/version/trend?from=2026-W50&to=2026-W49", headers: query, status: 400 },
      { path: "/api/v1/stats/dimensions/version/trend", status: 401 },
    ];
    for (const route of ["versions", "os", "features"]) {
      calls.push(
        { path: `/api/v1/stats/${route}?week=${week}`, headers: query, status: 200 },
        { path: `/api/v1/stats/${route}?week=2020-W01`, headers: query, status: 200 },
        { path: `/api/v1/stats/${route}?week=${week}`, headers: csv, status: 200 },
        { path: `/api/v1/stats/${route}`, headers: query, status: 400 },
        { path: `/api/v1/stats/${route}?week=${week}`, headers: { "x-functions-key": "wrong" }, status: 401 },
      );
    }
    // Every dimension, so every kind's shape is checked, with folding and for a week without data.
    for (const { name } of dimensions) {
      calls.push(
        { path: `/api/v1/stats/dimensions/${name}?week=${week}`, headers: query, status: 200 },
        { path: `/api/v1/stats/dimensions/${name}?week=${week}&minHierarchies=3`, headers: query, status: 200 },
        { path: `/api/v1/stats/dimensions/${name}?week=2020-W01`, headers: query, status: 200 },
        { path: `/api/v1/stats/dimensions/${name}?week=${week}`, headers: csv, status: 200 },
        { path: `/api/v1/stats/dimensions/${name}/trend?minHierarchies=2`, headers: query, status: 200 },
        { path: `/api/v1/stats/dimensions/${name}/trend?from=2026-W46&to=2026-W48`, headers: csv, status: 200 },
      );
    }
    await expectConforms(calls);
  });

  test("the ingestion routes: each status they answer", async () => {
    const first = makeUsageDocument();
    const conflicted = makeUsageDocument();
    const invalid = { ...makeUsageDocument(), level: "extreme" };
    const line = (doc: { docId: string }) => JSON.stringify({ docType: "usage", docVersion: 1, docId: doc.docId, document: doc });
    await expectConforms([
      { method: "POST", path: submitPath(first.docId), headers: asJson, body: JSON.stringify(first), status: 202 },
      { method: "POST", path: submitPath(first.docId), headers: asJson, body: JSON.stringify(first), status: 200 },
      // The third valid document of that hierarchy this hour, over RATE_LIMIT_PER_HOUR=2.
      { method: "POST", path: submitPath(first.docId), headers: asJson, body: JSON.stringify(first), status: 429 },
      { method: "POST", path: submitPath(conflicted.docId), headers: asJson, body: JSON.stringify(conflicted), status: 202 },
      { method: "POST", path: submitPath(conflicted.docId), headers: asJson, body: JSON.stringify({ ...conflicted, collection: { runtimeSeconds: 1, errors: 0 } }), status: 409 },
      { method: "POST", path: submitPath(invalid.docId), headers: asJson, body: JSON.stringify(invalid), status: 400 },
      { method: "POST", path: submitPath(randomUUID()), headers: asJson, body: "{", status: 400 },
      { method: "POST", path: submitPath("not-a-uuid"), headers: asJson, body: "{}", status: 400 },
      { method: "POST", path: submitPath(randomUUID(), "inventory"), headers: asJson, body: "{}", status: 404 },
      { method: "POST", path: submitPath(randomUUID()), headers: { ...ingest, "content-type": "text/plain" }, body: "{}", status: 415 },
      { method: "POST", path: submitPath(randomUUID()), headers: asJson, body: " ".repeat(2 * 1024 * 1024 + 1), status: 413 },
      { method: "POST", path: submitPath(randomUUID()), headers: { ...asJson, "x-functions-key": QUERY_KEY }, body: "{}", status: 401 },
      { method: "POST", path: "/api/v1/batch", headers: ndjson, body: `${line(makeUsageDocument())}\n${line(invalid)}\n{"docType":"usage"}\n`, status: 200 },
      { method: "POST", path: "/api/v1/batch", headers: ndjson, body: "{}\n".repeat(501), status: 413 },
      { method: "POST", path: "/api/v1/batch", headers: { ...ndjson, "content-encoding": "gzip" }, body: "not gzip at all", status: 400 },
      { method: "POST", path: "/api/v1/batch", headers: { ...ingest, "content-type": "application/json" }, body: "{}", status: 415 },
      { method: "POST", path: "/api/v1/batch", headers: { "content-type": "application/x-ndjson" }, body: "{}", status: 401 },
    ]);
  });

  test("the submission routes' 408, from a host with a shortened body deadline on the same services", { timeout: 30_000 }, async () => {
    // The runtime's deadline is 60 s; a second host of the same triggers, bound to the
    // runtime's services, takes a shorter one.
    const host = new HttpHost({
      triggers: triggers.filter((trigger): trigger is HttpTrigger => trigger.kind === "http").map((trigger) => bindTrigger(trigger, t.runtime.services)),
      routePrefix: "api",
      keys: { ingest: INGEST_KEY, query: QUERY_KEY },
      port: 0,
      log: () => {},
      bodyDeadlineMs: 300,
    });
    const base = await host.listen();
    try {
      for (const [path, contentType] of [
        [submitPath(randomUUID()), "application/json"],
        ["/api/v1/batch", "application/x-ndjson"],
      ] as const) {
        const url = `${base}${path}`;
        // Half a body, then silence: fetch cannot send that, node:http can.
        const req = request(url, { method: "POST", headers: { ...ingest, "content-type": contentType, "content-length": "100" } });
        const response = await new Promise<ObservedResponse>((resolve, reject) => {
          req.on("response", (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (chunk: Buffer) => chunks.push(chunk));
            res.on("end", () => {
              const headers = new Headers();
              for (const [name, value] of Object.entries(res.headers)) if (typeof value === "string") headers.set(name, value);
              resolve({ method: "POST", url, status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString() });
            });
          });
          req.on("error", reject);
          req.write("{");
        });
        req.destroy();
        assert.equal(response.status, 408, response.text);
        assert.deepEqual(conformance.check(response), [], path);
      }
    } finally {
      await host.close();
    }
  });

  test("every response the description declares was provoked and checked, but the 503s of a storage outage", () => {
    const missing = conformance.declared().filter((response) => !conformance.seen.has(response));
    assert.deepEqual(missing.filter((response) => !response.endsWith(" 503")), []);
  });

  test("a response that deviates from the description fails the check", async () => {
    const wrong = buildOpenApiDocument() as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } };
    wrong.components.schemas["VersionStats"]!.properties["clients"] = { type: "string" };
    const strict = new OpenApiConformance(wrong);
    const response = await call(t.url, { path: "/api/v1/stats/versions?week=2026-W47", headers: query, status: 200 });
    assert.deepEqual(strict.check(response), ["/clients must be string"]);
    assert.deepEqual(conformance.check(response), []);
    // And a body where the description has none, a status it does not declare, an undeclared media type, a required header missing:
    assert.deepEqual(conformance.check({ ...response, url: `${t.url}/api/v1/stats/trend`, status: 401 }), [
      "a 401 has no body here, yet one was sent",
      "a 401 has no body here, yet Content-Type is application/json; charset=utf-8",
    ]);
    assert.deepEqual(conformance.check({ ...response, status: 418 }), ["GET /v1/stats/versions does not describe a 418"]);
    assert.deepEqual(conformance.check({ ...response, headers: new Headers({ "content-type": "text/html", vary: "Accept" }) }), ["Content-Type text/html is not among application/json, text/csv"]);
    assert.deepEqual(conformance.check({ ...response, headers: new Headers({ "content-type": "application/json" }) }), ["header Vary is missing"]);
  });
});
