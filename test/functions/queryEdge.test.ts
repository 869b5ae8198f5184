import assert from "node:assert/strict";
import { test } from "node:test";
import { InvocationContext } from "@azure/functions";
import { InvalidParameterError, MemoryBudgetExceededError } from "../../shared/errors";
import { answerQuery } from "../../functions/queryEdge";
import { statsOs } from "../../functions/statsOs";
import { WeekStats, type ReadReservation } from "../../shared/aggregation/weekStats";
import { addContribution, contributionOf, emptyRollup, type WeekRollup } from "../../shared/aggregation/weekRollup";
import { MemoryBudget } from "../../shared/http/memoryBudget";
import { makeUsageDocument } from "../../devkit/usageDocuments";
import type { HttpRequestLike } from "../../functions/triggerTypes";

function request(accept?: string): HttpRequestLike {
  const headers = new Headers(accept === undefined ? {} : { accept });
  return { method: "GET", url: "http://localhost/api/v1/stats/os", headers, query: new URLSearchParams(), params: {}, body: null };
}

function context(logged: string[]): InvocationContext {
  return new InvocationContext({ invocationId: "test", functionName: "statsOs", logHandler: (level, ...args) => logged.push(`${level} ${args.map(String).join(" ")}`) });
}

const answer = async () => ({ body: { os: [{ name: "a,b", clients: 1 }] }, csvTable: (b: { os: { name: string; clients: number }[] }) => ({ header: ["name", "clients"], rows: b.os.map((o) => [o.name, o.clients]) }) });

test("JSON by default and CSV when preferred, both with Vary: Accept", async () => {
  const json = await answerQuery(request(), context([]), answer);
  assert.deepEqual(json.headers, { "Content-Type": "application/json; charset=utf-8", Vary: "Accept" });
  assert.equal(json.body, '{"os":[{"name":"a,b","clients":1}]}');
  const csv = await answerQuery(request("text/csv"), context([]), answer);
  assert.deepEqual(csv.headers, { "Content-Type": "text/csv; charset=utf-8", Vary: "Accept" });
  assert.equal(csv.body, 'name,clients\r\n"a,b",1\r\n');
});

test("an expected error is its problem and no log line; an unexpected one is a 503 that is logged", async () => {
  const logged: string[] = [];
  const invalid = await answerQuery(request(), context(logged), async () => {
    throw new InvalidParameterError("week is required", "week");
  });
  assert.equal(invalid.status, 400);
  assert.deepEqual(logged, []);
  const broken = await answerQuery(request("text/csv"), context(logged), async () => {
    throw new TypeError("boom");
  });
  assert.equal(broken.status, 503);
  assert.equal((broken.headers as Record<string, string>)["Content-Type"], "application/problem+json");
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /^error unexpected TypeError: [^]*boom/);
});

test("a read past the memory budget is a 503 with Retry-After, and no log line", async () => {
  const logged: string[] = [];
  const full = await answerQuery(request(), context(logged), async () => {
    throw new MemoryBudgetExceededError("This instance is holding as much request data as it may; retry later");
  });
  assert.equal(full.status, 503);
  assert.ok(Number((full.headers as Record<string, string>)["Retry-After"]) > 0, JSON.stringify(full.headers));
  assert.deepEqual(logged, []);
});

/** Three shard rows of one hierarchy each, each costing `cost` to read. */
function threeShards(cost: number) {
  return {
    async *shards(_week: string, _only: unknown, reservation?: ReadReservation): AsyncGenerator<WeekRollup> {
      for (let i = 0; i < 3; i++) {
        await reservation?.reserve(cost);
        const rollup = emptyRollup();
        addContribution(rollup, contributionOf(makeUsageDocument()));
        yield rollup;
      }
    },
    listWeeks: async () => [],
  };
}

test("a route whose rows fit the budget but whose answer would not answers 503 with Retry-After, and gives everything back", async () => {
  const cost = 1000;
  const budget = new MemoryBudget(3 * cost);
  const week = { ...request(), query: new URLSearchParams({ week: "2026-W10" }) };
  const refused = await statsOs(week, context([]), new WeekStats(threeShards(cost), budget));
  assert.equal(refused.status, 503, JSON.stringify(refused.body));
  assert.ok(Number((refused.headers as Record<string, string>)["Retry-After"]) > 0, JSON.stringify(refused.headers));
  assert.equal(budget.bytesInUse, 0);

  const roomy = new MemoryBudget(100 * cost);
  const answered = await statsOs(week, context([]), new WeekStats(threeShards(cost), roomy));
  assert.equal(answered.status, 200);
  assert.equal((JSON.parse(answered.body as string) as { os: unknown[] }).os.length > 0, true);
  assert.equal(roomy.bytesInUse, 0, "given back once answered");
});
