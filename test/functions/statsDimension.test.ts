import assert from "node:assert/strict";
import { test } from "node:test";
import { InvocationContext, type HttpResponseInit } from "@azure/functions";
import { statsDimension, statsDimensionTrigger, type DimensionRouteDeps } from "../../functions/statsDimension";
import { statsDimensionTrend, statsDimensionTrendTrigger } from "../../functions/statsDimensionTrend";
import type { HttpRequestLike } from "../../functions/triggerTypes";
import { categoricalRollup, FixedRollupReader } from "../support/dimensionRollups";

function request(name: string, query: string, accept?: string): HttpRequestLike {
  const headers = new Headers(accept === undefined ? {} : { accept });
  return { method: "GET", url: `http://localhost/api/v1/stats/dimensions/${name}?${query}`, headers, query: new URLSearchParams(query), params: { name }, body: null };
}

const context = () => new InvocationContext({ invocationId: "test", functionName: "statsDimension" });

const reader = new FixedRollupReader(
  new Map([["2026-W10", new Map([["version", categoricalRollup("hierarchy", { hierarchies: 3, clients: 30 }, [["2409", 2, 20, 0], ["2403", 1, 10, 0]])]])]]),
);
const deps: DimensionRouteDeps = { reader, minHierarchies: 1 };

const bodyOf = (response: HttpResponseInit): unknown => JSON.parse(response.body as string);

for (const [route, handler] of [
  ["one week", statsDimension],
  ["trend", statsDimensionTrend],
] as const) {
  test(`${route}: an unknown name is a 404, \`__proto__\` and \`constructor\` included`, async () => {
    for (const name of ["nope", "__proto__", "constructor", "Version", ""]) {
      const response = await handler(request(name, "week=2026-W10"), context(), deps);
      assert.equal(response.status, 404, name);
    }
  });

  test(`${route}: a bad minHierarchies is a 400`, async () => {
    for (const value of ["0", "1001", "1.5", "-1", "x", "5&minHierarchies=6"]) {
      const response = await handler(request("version", `week=2026-W10&from=2026-W10&minHierarchies=${value}`), context(), deps);
      assert.equal(response.status, 400, value);
    }
  });
}

test("one week: a missing or malformed week is a 400", async () => {
  for (const query of ["", "week=", "week=2026-W54", "week=2026-10", "week=2026-W10&week=2026-W11"]) {
    assert.equal((await statsDimension(request("version", query), context(), deps)).status, 400, query);
  }
});

test("trend: a malformed or reversed from/to is a 400", async () => {
  for (const query of ["from=2026-W99", "to=x", "from=2026-W10&to=2026-W09"]) {
    assert.equal((await statsDimensionTrend(request("version", query), context(), deps)).status, 400, query);
  }
});

test("one week: JSON answers, the default minHierarchies is the configured one, a given one overrides it", async () => {
  const folded = { week: "2026-W10", dimension: "version", kind: "hierarchy", hierarchies: 3, clients: 30, values: [{ value: "(fewer than 2)", hierarchies: 3, clients: 30 }] };
  const byDefault = await statsDimension(request("version", "week=2026-W10"), context(), { reader, minHierarchies: 2 });
  assert.equal(byDefault.status, 200);
  assert.deepEqual(bodyOf(byDefault), folded);
  const given = await statsDimension(request("version", "week=2026-W10&minHierarchies=1"), context(), { reader, minHierarchies: 2 });
  assert.deepEqual((bodyOf(given) as { values: unknown[] }).values, [
    { value: "2409", hierarchies: 2, clients: 20 },
    { value: "2403", hierarchies: 1, clients: 10 },
  ]);
});

test("one week and trend: CSV when asked for", async () => {
  const week = await statsDimension(request("version", "week=2026-W10", "text/csv"), context(), deps);
  assert.equal(week.body, "value,hierarchies,clients\r\n2409,2,20\r\n2403,1,10\r\n");
  const trend = await statsDimensionTrend(request("version", "", "text/csv"), context(), deps);
  assert.equal(trend.body, "week,hierarchies,2409,2403\r\n2026-W10,3,2,1\r\n");
});

test("the triggers: routes beside /stats/dimensions, query key, GET", () => {
  const [one, trend] = [statsDimensionTrigger, statsDimensionTrendTrigger];
  assert.deepEqual([one.route, one.key, one.methods], ["v1/stats/dimensions/{name}", "query", ["GET"]]);
  assert.deepEqual([trend.route, trend.key, trend.methods], ["v1/stats/dimensions/{name}/trend", "query", ["GET"]]);
  assert.notEqual(one.name, trend.name);
});
