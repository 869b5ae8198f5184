import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { ROLLUP_SHARDS, toHierarchyKey } from "../../shared/aggregation/hierarchyKey";
import { readConfig } from "../../shared/config";
import { isoWeekOf } from "../../shared/isoWeek";
import type { Feature, Level, UsageV1 } from "../../shared/validation/usageV1";
import { startAzurite, type EmbeddedAzurite } from "../../local/azurite";
import { startLocalRuntime, type LocalRuntime } from "../../local/localRuntime";
import { seedWeeks } from "../support/seedWeeks";
import { INGEST_KEY, QUERY_KEY, startTestRuntime, type TestRuntime } from "../support/testRuntime";
import { base64Sha256Of as hierarchyIdOf, clientsForTotal, makeUsageDocument } from "../../devkit/usageDocuments";

interface Got {
  status: number;
  contentType: string | null;
  text: string;
  json: () => Record<string, unknown>;
}

async function get(base: string, path: string, headers: Record<string, string> = {}): Promise<Got> {
  const response = await fetch(`${base}${path}`, { headers: { "x-functions-key": QUERY_KEY, ...headers } });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get("content-type"), text, json: () => JSON.parse(text) as Record<string, unknown> };
}

const csv = { accept: "text/csv" };

/** A hierarchy id whose standard Base64 holds both `+` and `/`, so its URL form holds `-` and `_`. */
function awkwardHierarchyId(label: string): string {
  for (let i = 0; ; i++) {
    const id = hierarchyIdOf(`${label} ${i}`);
    if (id.includes("+") && id.includes("/")) return id;
  }
}

function doc(options: {
  hierarchyId: string;
  collectedAt: string;
  version: string;
  level: Level;
  total: number;
  byOs: [string, number][];
  features?: Record<string, Feature>;
}): UsageV1 {
  return makeUsageDocument({
    hierarchyId: options.hierarchyId,
    collectedAt: options.collectedAt,
    level: options.level,
    product: { version: options.version, build: "5.00.9132.1000", branch: "current" },
    // Object.fromEntries, so that `__proto__` becomes an own key as JSON.parse would make it.
    clients: { ...clientsForTotal(options.total), byOs: Object.fromEntries(options.byOs) },
    features: options.level === "basic" ? undefined : (options.features ?? {}),
  });
}

describe("query routes against Azurite", () => {
  let t: TestRuntime;
  const A = awkwardHierarchyId("query hierarchy A");
  const B = awkwardHierarchyId("query hierarchy B");
  const C = awkwardHierarchyId("query hierarchy C");
  const keyA = toHierarchyKey(A);
  const formulaOs = '=HYPERLINK("http://evil","x")';
  const quotedOs = 'Windows 10, "LTSC"';
  const aW44 = doc({ hierarchyId: A, collectedAt: "2026-10-28T10:00:00.000Z", version: "2403", level: "enhanced", total: 50, byOs: [["Windows 10 22H2", 50]] });
  const aW46 = doc({ hierarchyId: A, collectedAt: "2026-11-12T10:00:00.000Z", version: "2409", level: "enhanced", total: 80, byOs: [["Windows 11 24H2", 80]] });
  const aW47 = doc({
    hierarchyId: A,
    collectedAt: "2026-11-18T03:00:00.000Z",
    version: "2409",
    level: "enhanced",
    total: 100,
    byOs: [["Windows 11 24H2", 60], ["Windows 10 22H2", 40]],
    features: { cmPivot: { enabled: true, uses: 5 }, peerCache: { enabled: false }, orchestrationGroups: { enabled: false } },
  });
  // Earlier in the same week: must lose to aW47 although it is seeded after it.
  const aW47early = doc({ hierarchyId: A, collectedAt: "2026-11-17T03:00:00.000Z", version: "2303", level: "full", total: 999, byOs: [["Stale OS", 999]] });
  const bW47 = doc({
    hierarchyId: B,
    collectedAt: "2026-11-19T08:00:00.000Z",
    version: "2409",
    level: "basic",
    total: 30,
    byOs: [["__proto__", 10], ["constructor", 10], [formulaOs, 5], [quotedOs, 5]],
  });
  const cW47 = doc({
    hierarchyId: C,
    collectedAt: "2026-11-20T08:00:00.000Z",
    version: "2403",
    level: "full",
    total: 60,
    byOs: [["Windows 11 24H2", 50], ["hasOwnProperty", 10]],
    features: { cmPivot: { enabled: true }, coManagement: { enabled: true, uses: 7 }, peerCache: { enabled: true, uses: 1 }, constructor: { enabled: true, uses: 2 } },
  });

  before(async () => {
    t = await startTestRuntime({}, { runQueueTriggers: false });
    assert.deepEqual([aW44, aW46, aW47, bW47, cW47].map((d) => isoWeekOf(new Date(d.collectedAt))), ["2026-W44", "2026-W46", "2026-W47", "2026-W47", "2026-W47"]);
    assert.match(keyA, /-/);
    assert.match(keyA, /_/);
    await seedWeeks(t.runtime.services, [aW44, aW46, aW47, aW47early, bW47, cW47]);
  });
  after(async () => t.close());

  describe("GET /api/v1/hierarchies/{id}/weeks", () => {
    const entry = (d: UsageV1) => ({
      week: isoWeekOf(new Date(d.collectedAt)),
      docId: d.docId,
      collectedAt: d.collectedAt,
      level: d.level,
      version: d.product.version,
      build: d.product.build,
      sites: 6,
      clients: d.clients.total,
    });

    test("a Base64url id with - and _ gives the hierarchy's snapshots oldest first, the id written as sent", async () => {
      const response = await get(t.url, `/api/v1/hierarchies/${keyA}/weeks`);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.contentType, "application/json; charset=utf-8");
      assert.deepEqual(response.json(), { hierarchyId: A, weeks: [entry(aW44), entry(aW46), entry(aW47)] });
    });

    test("from and to bound the weeks, inclusive; unknown parameters are ignored", async () => {
      const response = await get(t.url, `/api/v1/hierarchies/${keyA}/weeks?from=2026-W45&to=2026-W46&colour=blue`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.json(), { hierarchyId: A, weeks: [entry(aW46)] });
      const fromOnly = await get(t.url, `/api/v1/hierarchies/${keyA}/weeks?from=2026-W46`);
      assert.deepEqual((fromOnly.json()["weeks"] as { week: string }[]).map((w) => w.week), ["2026-W46", "2026-W47"]);
    });

    test("a known hierarchy with nothing in range is a 200 with no weeks", async () => {
      const response = await get(t.url, `/api/v1/hierarchies/${keyA}/weeks?from=2026-W48`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.json(), { hierarchyId: A, weeks: [] });
    });

    test("CSV: the contract's columns, the week's snapshot", async () => {
      const response = await get(t.url, `/api/v1/hierarchies/${keyA}/weeks?to=2026-W46`, csv);
      assert.equal(response.status, 200);
      assert.equal(response.contentType, "text/csv; charset=utf-8");
      assert.equal(
        response.text,
        "week,docId,collectedAt,level,version,build,sites,clients\r\n" +
          `2026-W44,${aW44.docId},2026-10-28T10:00:00.000Z,enhanced,2403,5.00.9132.1000,6,50\r\n` +
          `2026-W46,${aW46.docId},2026-11-12T10:00:00.000Z,enhanced,2409,5.00.9132.1000,6,80\r\n`,
      );
    });

    test("an unknown hierarchy is a 404 problem, with or without a range", async () => {
      const unknown = toHierarchyKey(hierarchyIdOf("nobody"));
      for (const query of ["", "?from=2026-W01"]) {
        const response = await get(t.url, `/api/v1/hierarchies/${unknown}/weeks${query}`);
        assert.equal(response.status, 404, query);
        assert.equal(response.contentType, "application/problem+json");
        assert.equal(response.json()["type"], "/problems/not-found");
      }
    });

    test("a malformed id is a 400 naming `id`", async () => {
      for (const id of ["abc", `${keyA}A`, keyA.slice(1), encodeURIComponent(A), encodeURIComponent(A.slice(0, 43)), "%20".repeat(43)]) {
        const response = await get(t.url, `/api/v1/hierarchies/${id}/weeks`);
        assert.equal(response.status, 400, id);
        assert.equal(response.json()["type"], "/problems/invalid-parameter", id);
        assert.deepEqual((response.json()["errors"] as { path: string }[]).map((e) => e.path), ["/id"], id);
      }
    });

    test("malformed weeks and from after to are 400s", async () => {
      const cases: [string, string][] = [
        ["from=2026-W60", "/from"],
        ["to=2026-47", "/to"],
        ["from=2026-W47&to=2026-W46", ""],
      ];
      for (const [query, path] of cases) {
        const response = await get(t.url, `/api/v1/hierarchies/${keyA}/weeks?${query}`);
        assert.equal(response.status, 400, query);
        assert.deepEqual((response.json()["errors"] as { path: string }[]).map((e) => e.path), [path], query);
      }
    });
  });

  describe("GET /api/v1/stats/*", () => {
    test("versions: newest first, clients summed over the week's snapshots", async () => {
      const response = await get(t.url, "/api/v1/stats/versions?week=2026-W47");
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json(), {
        week: "2026-W47",
        hierarchies: 3,
        clients: 190,
        versions: [
          { version: "2409", hierarchies: 2, clients: 130 },
          { version: "2403", hierarchies: 1, clients: 60 },
        ],
      });
      const asCsv = await get(t.url, "/api/v1/stats/versions?week=2026-W47", csv);
      assert.equal(asCsv.contentType, "text/csv; charset=utf-8");
      assert.equal(asCsv.text, "version,hierarchies,clients\r\n2409,2,130\r\n2403,1,60\r\n");
    });

    test("os: most clients first then by name; __proto__, constructor and hasOwnProperty are names", async () => {
      const response = await get(t.url, "/api/v1/stats/os?week=2026-W47");
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json(), {
        week: "2026-W47",
        clients: 190,
        os: [
          { name: "Windows 11 24H2", clients: 110 },
          { name: "Windows 10 22H2", clients: 40 },
          { name: "__proto__", clients: 10 },
          { name: "constructor", clients: 10 },
          { name: "hasOwnProperty", clients: 10 },
          { name: formulaOs, clients: 5 },
          { name: quotedOs, clients: 5 },
        ],
      });
    });

    test("os as CSV: quoted per RFC 4180, the formula defused with an apostrophe", async () => {
      const response = await get(t.url, "/api/v1/stats/os?week=2026-W47", csv);
      assert.equal(response.status, 200);
      assert.equal(
        response.text,
        "name,clients\r\n" +
          "Windows 11 24H2,110\r\n" +
          "Windows 10 22H2,40\r\n" +
          "__proto__,10\r\n" +
          "constructor,10\r\n" +
          "hasOwnProperty,10\r\n" +
          `"'=HYPERLINK(""http://evil"",""x"")",5\r\n` +
          `"Windows 10, ""LTSC""",5\r\n`,
      );
    });

    test("features: enhanced and full snapshots only, most enabled first, then by name", async () => {
      const response = await get(t.url, "/api/v1/stats/features?week=2026-W47");
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json(), {
        week: "2026-W47",
        hierarchies: 2,
        features: [
          { name: "cmPivot", enabledHierarchies: 2, uses: 5 },
          { name: "coManagement", enabledHierarchies: 1, uses: 7 },
          { name: "constructor", enabledHierarchies: 1, uses: 2 },
          { name: "peerCache", enabledHierarchies: 1, uses: 1 },
          { name: "orchestrationGroups", enabledHierarchies: 0, uses: 0 },
        ],
      });
      const asCsv = await get(t.url, "/api/v1/stats/features?week=2026-W47", csv);
      assert.equal(
        asCsv.text,
        "name,enabledHierarchies,uses\r\ncmPivot,2,5\r\ncoManagement,1,7\r\nconstructor,1,2\r\npeerCache,1,1\r\norchestrationGroups,0,0\r\n",
      );
    });

    test("a week with no data is a 200 with zeros and empty lists, in JSON and CSV", async () => {
      const cases: [string, unknown, string][] = [
        ["versions", { week: "2026-W10", hierarchies: 0, clients: 0, versions: [] }, "version,hierarchies,clients\r\n"],
        ["os", { week: "2026-W10", clients: 0, os: [] }, "name,clients\r\n"],
        ["features", { week: "2026-W10", hierarchies: 0, features: [] }, "name,enabledHierarchies,uses\r\n"],
      ];
      for (const [route, json, text] of cases) {
        const response = await get(t.url, `/api/v1/stats/${route}?week=2026-W10`);
        assert.equal(response.status, 200, route);
        assert.deepEqual(response.json(), json, route);
        assert.equal((await get(t.url, `/api/v1/stats/${route}?week=2026-W10`, csv)).text, text, route);
      }
    });

    test("a missing, malformed or non-existent week is a 400 naming `week`", async () => {
      for (const route of ["versions", "os", "features"]) {
        for (const query of ["", "?week=", "?week=2025-W53", "?week=2026-47", "?week=2026-W47&week=2026-W46", "?from=2026-W47"]) {
          const response = await get(t.url, `/api/v1/stats/${route}${query}`);
          assert.equal(response.status, 400, `${route}${query}`);
          assert.equal(response.contentType, "application/problem+json");
          const problem = response.json();
          assert.equal(problem["type"], "/problems/invalid-parameter");
          assert.deepEqual((problem["errors"] as { path: string }[]).map((e) => e.path), ["/week"]);
        }
      }
    });

    test("JSON unless CSV is preferred: */*, application/json, a browser's Accept, and equal weights", async () => {
      for (const accept of ["*/*", "application/json", "text/html,application/xhtml+xml,*/*;q=0.8", "text/csv;q=0.5, application/json", "application/json, text/csv"]) {
        const response = await get(t.url, "/api/v1/stats/versions?week=2026-W47", { accept });
        assert.equal(response.contentType, "application/json; charset=utf-8", accept);
      }
      for (const accept of ["text/csv, */*;q=0.1", "application/json;q=0.5, text/csv"]) {
        const response = await get(t.url, "/api/v1/stats/versions?week=2026-W47", { accept });
        assert.equal(response.contentType, "text/csv; charset=utf-8", accept);
      }
    });
  });

  describe("GET /api/v1/stats/trend", () => {
    const w44 = { week: "2026-W44", hierarchies: 1, clients: 50, versions: { "2403": 1 } };
    const w45 = { week: "2026-W45", hierarchies: 0, clients: 0, versions: {} };
    const w46 = { week: "2026-W46", hierarchies: 1, clients: 80, versions: { "2409": 1 } };
    const w47 = { week: "2026-W47", hierarchies: 3, clients: 190, versions: { "2409": 2, "2403": 1 } };

    test("without a range: first to last week with data, gaps as zeros", async () => {
      const response = await get(t.url, "/api/v1/stats/trend");
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json(), { weeks: [w44, w45, w46, w47] });
    });

    test("an explicit range covers every week of it, before and after the data too", async () => {
      const response = await get(t.url, "/api/v1/stats/trend?from=2026-W43&to=2026-W48");
      const zero = (week: string) => ({ week, hierarchies: 0, clients: 0, versions: {} });
      assert.deepEqual(response.json(), { weeks: [zero("2026-W43"), w44, w45, w46, w47, zero("2026-W48")] });
    });

    test("one end given: the other is the first or last week with data", async () => {
      assert.deepEqual((await get(t.url, "/api/v1/stats/trend?from=2026-W46")).json(), { weeks: [w46, w47] });
      assert.deepEqual((await get(t.url, "/api/v1/stats/trend?to=2026-W45")).json(), { weeks: [w44, w45] });
      // From after the last week with data: nothing to cover, which is not the client's error.
      assert.deepEqual((await get(t.url, "/api/v1/stats/trend?from=2027-W01")).json(), { weeks: [] });
    });

    test("the last weeks a week parameter can name are a range like any other", async () => {
      const response = await get(t.url, "/api/v1/stats/trend?from=9999-W51&to=9999-W52");
      assert.equal(response.status, 200, response.text);
      const zero = (week: string) => ({ week, hierarchies: 0, clients: 0, versions: {} });
      assert.deepEqual(response.json(), { weeks: [zero("9999-W51"), zero("9999-W52")] });
    });

    test("CSV: one column per version in the range, newest first, 0 where absent", async () => {
      const response = await get(t.url, "/api/v1/stats/trend", csv);
      assert.equal(response.contentType, "text/csv; charset=utf-8");
      assert.equal(
        response.text,
        "week,hierarchies,clients,2409,2403\r\n2026-W44,1,50,0,1\r\n2026-W45,0,0,0,0\r\n2026-W46,1,80,1,0\r\n2026-W47,3,190,2,1\r\n",
      );
      const noVersions = await get(t.url, "/api/v1/stats/trend?from=2026-W01&to=2026-W02", csv);
      assert.equal(noVersions.text, "week,hierarchies,clients\r\n2026-W01,0,0\r\n2026-W02,0,0\r\n");
    });

    test("from after to, a malformed week, and more than 520 weeks are 400s", async () => {
      const cases: [string, string][] = [
        ["from=2026-W47&to=2026-W46", ""],
        ["from=2026-W99", "/from"],
        ["to=2025-W53", "/to"],
        ["from=2015-W01&to=2026-W47", ""],
      ];
      for (const [query, path] of cases) {
        const response = await get(t.url, `/api/v1/stats/trend?${query}`);
        assert.equal(response.status, 400, query);
        assert.deepEqual((response.json()["errors"] as { path: string }[]).map((e) => e.path), [path], query);
      }
      assert.match(String((await get(t.url, "/api/v1/stats/trend?from=2015-W01&to=2026-W47")).json()["detail"]), /at most 520/);
      assert.equal((await get(t.url, "/api/v1/stats/trend?from=2015-W03&to=2024-W52")).status, 200); // exactly 520
    });
  });

  test("every query route takes the query key only: none, a wrong one or the ingest key is a 401", async () => {
    const paths = [`/api/v1/hierarchies/${keyA}/weeks`, "/api/v1/stats/versions?week=2026-W47", "/api/v1/stats/os?week=2026-W47", "/api/v1/stats/features?week=2026-W47", "/api/v1/stats/trend"];
    for (const path of paths) {
      for (const key of [undefined, "wrong", INGEST_KEY]) {
        const response = await fetch(`${t.url}${path}`, { headers: key === undefined ? {} : { "x-functions-key": key } });
        assert.equal(response.status, 401, `${path} with ${String(key)}`);
        await response.arrayBuffer();
      }
      const viaCode = await fetch(`${t.url}${path}${path.includes("?") ? "&" : "?"}code=${QUERY_KEY}`);
      assert.equal(viaCode.status, 200, path);
      await viaCode.arrayBuffer();
    }
  });

  test("queries record no submission outcome", async () => {
    const before = t.runtime.services.telemetry.outcomeCounts();
    await get(t.url, "/api/v1/stats/versions?week=2026-W47");
    await get(t.url, "/api/v1/stats/versions");
    assert.deepEqual(t.runtime.services.telemetry.outcomeCounts(), before);
  });
});

describe("storage requests per query against Azurite: constant in the fleet size", () => {
  let azurite: EmbeddedAzurite;
  let runtime: LocalRuntime;
  let counting = false;
  let largeOsNames = 0;
  const tableRequests: string[] = [];
  const LARGE_WEEK = "2026-W30";
  /** Requests a read of a week whose every shard has a row makes: ROLLUP_SHARDS rows, 16 a request. */
  const FULL_WEEK = ROLLUP_SHARDS / 16;
  const SMALL_WEEK = "2026-W31";

  /** `count` hierarchies in `week`, each with one OS of its own beside the common ones, so the rollup grows with the fleet. */
  function fleet(count: number, collectedAt: string): UsageV1[] {
    return Array.from({ length: count }, (_, i) => {
      const d = makeUsageDocument({ collectedAt, docId: randomUUID() });
      const byOs = { ...d.clients.byOs };
      const first = Object.keys(byOs)[0]!;
      byOs[first] = byOs[first]! - 1;
      byOs[`Windows 11 build ${i}`] = 1;
      return { ...d, clients: { ...d.clients, byOs } };
    });
  }

  async function countRequests(path: string): Promise<{ count: number; body: Record<string, unknown> }> {
    tableRequests.length = 0;
    counting = true;
    const response = await get(runtime.url, path);
    counting = false;
    assert.equal(response.status, 200, `${path}: ${response.text}`);
    return { count: tableRequests.length, body: response.json() };
  }

  before(async () => {
    azurite = await startAzurite({
      onRequest: (service, method, url) => {
        if (counting && service === "table") tableRequests.push(`${method} ${url}`);
      },
    });
    const config = readConfig({ QUERY_KEY, INGEST_KEY, AzureWebJobsStorage: azurite.connectionString });
    runtime = await startLocalRuntime({ config, port: 0, log: () => undefined, runQueueTriggers: false });
    const large = fleet(1000, "2026-07-22T03:00:00.000Z");
    largeOsNames = new Set(large.flatMap((d) => Object.keys(d.clients.byOs))).size;
    await seedWeeks(runtime.services, [...large, ...fleet(10, "2026-07-29T03:00:00.000Z")]);
  });
  after(async () => {
    await runtime.close();
    await azurite.close();
  });

  test("versions, os and features read a fixed number of table queries per week, for 1,000 hierarchies as for 10", async () => {
    const measured: Record<string, [number, number]> = {};
    for (const route of ["versions", "os", "features"]) {
      const large = await countRequests(`/api/v1/stats/${route}?week=${LARGE_WEEK}`);
      const small = await countRequests(`/api/v1/stats/${route}?week=${SMALL_WEEK}`);
      measured[route] = [large.count, small.count];
      if (route === "versions") {
        assert.equal(large.body["hierarchies"], 1000);
        assert.equal(small.body["hierarchies"], 10);
      }
      if (route === "os") assert.equal((large.body["os"] as unknown[]).length, largeOsNames);
    }
    // A read asks for 16 shard rows a request, so that each request's worst case fits the
    // memory budget (weeklyStatsTable.ts): 256 shards are 16 requests, whatever the fleet.
    assert.deepEqual(measured, { versions: [FULL_WEEK, 1], os: [FULL_WEEK, 1], features: [FULL_WEEK, 1] }, JSON.stringify(measured));
  });

  test("one week by one dimension reads a fixed number of table queries, for 1,000 hierarchies as for 10; so does every dimension of a week", async () => {
    const reads = async (read: () => Promise<unknown>) => {
      tableRequests.length = 0;
      counting = true;
      const result = await read();
      counting = false;
      return { count: tableRequests.length, result };
    };
    const stats = runtime.services.statsReader;
    const measured: Record<string, [number, number]> = {};
    for (const name of ["os", "version", "siteRole", "clients"]) {
      const large = await reads(() => stats.readDimension(LARGE_WEEK, name));
      const small = await reads(() => stats.readDimension(SMALL_WEEK, name));
      measured[name] = [large.count, small.count];
      assert.equal((large.result as { hierarchies: number }).hierarchies, 1000, name);
    }
    const all = await reads(() => stats.readDimensions(LARGE_WEEK));
    measured["all"] = [all.count, (await reads(() => stats.readDimensions(SMALL_WEEK))).count];
    // Every dimension of a week (the publisher) is one read of the week's rows, however many dimensions there are.
    assert.deepEqual(
      measured,
      { os: [FULL_WEEK, 1], version: [FULL_WEEK, 1], siteRole: [FULL_WEEK, 1], clients: [FULL_WEEK, 1], all: [FULL_WEEK, 1] },
      JSON.stringify(measured),
    );
    const os = (await stats.readDimension(LARGE_WEEK, "os")) as { values: Map<string, unknown> };
    assert.equal(os.values.size, largeOsNames);
    await assert.rejects(stats.readDimension(LARGE_WEEK, "__proto__"), /No dimension/);
  });

  test("a one-week trend reads one week's queries; a hierarchy's weeks one query", async () => {
    const large = await countRequests(`/api/v1/stats/trend?from=${LARGE_WEEK}&to=${LARGE_WEEK}`);
    const small = await countRequests(`/api/v1/stats/trend?from=${SMALL_WEEK}&to=${SMALL_WEEK}`);
    assert.deepEqual([large.count, small.count], [FULL_WEEK, 1]);
    assert.equal((large.body["weeks"] as { hierarchies: number }[])[0]?.hierarchies, 1000);
    // Without a range: the week index, then one read per week (W30 full, W31 one request).
    assert.equal((await countRequests("/api/v1/stats/trend")).count, 1 + FULL_WEEK + 1);
    const someone = toHierarchyKey(hierarchyIdOf("nobody at all"));
    tableRequests.length = 0;
    counting = true;
    const unknown = await get(runtime.url, `/api/v1/hierarchies/${someone}/weeks`);
    counting = false;
    assert.equal(unknown.status, 404);
    assert.equal(tableRequests.length, 1);
  });
});

describe("query routes when Azurite is away", () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime({}, { runQueueTriggers: false });
    await t.azurite.close();
  });
  after(async () => t.close());

  test("a storage outage is a 503 problem with Retry-After, logged as nothing unexpected", async () => {
    const key = toHierarchyKey(hierarchyIdOf("outage"));
    for (const path of [`/api/v1/hierarchies/${key}/weeks`, "/api/v1/stats/versions?week=2026-W47", "/api/v1/stats/os?week=2026-W47", "/api/v1/stats/features?week=2026-W47", "/api/v1/stats/trend?from=2026-W40&to=2026-W47", "/api/v1/stats/trend"]) {
      const response = await fetch(`${t.url}${path}`, { headers: { "x-functions-key": QUERY_KEY, accept: "text/csv" } });
      assert.equal(response.status, 503, path);
      assert.equal(response.headers.get("content-type"), "application/problem+json", path);
      assert.ok(Number(response.headers.get("retry-after")) > 0, path);
      assert.equal(((await response.json()) as { type: string }).type, "/problems/storage-unavailable", path);
    }
    assert.ok(!t.logs.some((line) => line.includes("unexpected")), t.logs.join("\n"));
  });
});
