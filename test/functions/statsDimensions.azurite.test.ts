import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { INGEST_KEY, QUERY_KEY, startTestRuntime, type TestRuntime } from "../support/testRuntime";

/** Contract section 4.1's table, written out: the route must list each with this kind and level. */
const contractTable: { name: string; kind: string; level: string }[] = [
  ...["version", "build", "branch", "level", "connectionMode", "topology", "sqlVersion", "sqlEdition", "alwaysOn", "softwareAssurance", "versionBySqlVersion"].map((name) => ({
    name,
    kind: "hierarchy",
    level: "basic",
  })),
  { name: "siteType", kind: "set", level: "basic" },
  { name: "siteRole", kind: "set", level: "basic" },
  { name: "os", kind: "clients", level: "basic" },
  { name: "clientBuild", kind: "clients", level: "basic" },
  { name: "officeVersion", kind: "clients", level: "basic" },
  { name: "endpointProtection", kind: "clients", level: "full" },
  { name: "clients", kind: "distribution", level: "basic" },
  { name: "sites", kind: "distribution", level: "basic" },
  { name: "databaseSizeMb", kind: "distribution", level: "basic" },
  { name: "entraJoinedPercent", kind: "distribution", level: "basic" },
  { name: "coManagedPercent", kind: "distribution", level: "basic" },
  { name: "softwareUpdateCompliancePercent", kind: "distribution", level: "full" },
  { name: "scanSuccessPercent", kind: "distribution", level: "full" },
  { name: "collectionRuntimeSeconds", kind: "distribution", level: "basic" },
  // Version 2's (sinceVersion 2).
  { name: "setupInstallType", kind: "hierarchy", level: "basic" },
  { name: "lastUpdatePackState", kind: "hierarchy", level: "basic" },
  { name: "languagePack", kind: "set", level: "basic" },
  { name: "windowsBuild", kind: "clients", level: "basic" },
  { name: "architecture", kind: "clients", level: "basic" },
  { name: "tenantAttached", kind: "hierarchy", level: "basic" },
  { name: "cmgRegion", kind: "set", level: "basic" },
  { name: "cmgCount", kind: "distribution", level: "basic" },
  { name: "coManagementWorkload", kind: "set", level: "enhanced" },
  { name: "adrCount", kind: "distribution", level: "enhanced" },
  { name: "updateScanError", kind: "set", level: "enhanced" },
  { name: "osdTaskSequences", kind: "distribution", level: "enhanced" },
  { name: "osdStepType", kind: "clients", level: "enhanced" },
];

interface Listed {
  name: string;
  kind: string;
  level: string;
  description: string;
  sinceVersion: number;
}

/** RFC 4180 fields of one record, as a spreadsheet would read them (no field here holds CR or LF). */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  for (const match of line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)) fields.push(match[1] === undefined ? (match[2] ?? "") : match[1].replace(/""/g, '"'));
  return fields;
}

describe("GET /api/v1/stats/dimensions against Azurite", () => {
  let t: TestRuntime;
  const path = "/api/v1/stats/dimensions";

  before(async () => {
    t = await startTestRuntime({}, { runQueueTriggers: false });
  });
  after(async () => t.close());

  test("lists every dimension of the contract's table with its kind and level, each described", async () => {
    const response = await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    const body = (await response.json()) as { dimensions: Listed[] };
    assert.deepEqual(Object.keys(body), ["dimensions"]);
    assert.deepEqual(
      body.dimensions.map(({ name, kind, level }) => ({ name, kind, level })),
      contractTable,
    );
    for (const d of body.dimensions) {
      assert.deepEqual(Object.keys(d), ["name", "kind", "level", "description", "sinceVersion"], d.name);
      assert.ok(d.description.length > 10, d.name);
    }
  });

  test("CSV: a header row, then the same dimensions, one a row", async () => {
    const json = (await (await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY } })).json()) as { dimensions: Listed[] };
    const response = await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY, accept: "text/csv" } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/csv; charset=utf-8");
    const text = await response.text();
    assert.ok(text.endsWith("\r\n"));
    const [header, ...rows] = text.slice(0, -2).split("\r\n");
    assert.equal(header, "name,kind,level,description,sinceVersion");
    assert.deepEqual(
      rows.map(csvFields),
      json.dimensions.map((d) => [d.name, d.kind, d.level, d.description, String(d.sinceVersion)]),
    );
  });

  test("the query key only: none, a wrong one or the ingest key is a 401", async () => {
    for (const key of [undefined, "wrong", INGEST_KEY]) {
      const response = await fetch(`${t.url}${path}`, { headers: key === undefined ? {} : { "x-functions-key": key } });
      assert.equal(response.status, 401, String(key));
      await response.arrayBuffer();
    }
    const viaCode = await fetch(`${t.url}${path}?code=${QUERY_KEY}`);
    assert.equal(viaCode.status, 200);
    await viaCode.arrayBuffer();
  });
});
