import assert from "node:assert/strict";
import { test } from "node:test";
import { NotFoundError } from "../../../shared/errors";
import type { IsoWeek } from "../../../shared/isoWeek";
import { readHierarchyWeeks, toHierarchyWeeks, toHierarchyWeeksCsv } from "../../../shared/query/hierarchyWeeks";
import type { HierarchyWeek } from "../../../shared/aggregation/weekSnapshot";

const hierarchyId = "KNvX+/9v0aBcD1eFgH2iJk3LmN4oPq5RsT6uVw7XyZ8=";
const hierarchyKey = "KNvX-_9v0aBcD1eFgH2iJk3LmN4oPq5RsT6uVw7XyZ8";

function row(week: IsoWeek, clients: number): HierarchyWeek {
  return {
    hierarchyId,
    hierarchyKey,
    week,
    docId: `00000000-0000-4000-8000-0000000000${week.slice(-2)}`,
    collectedAt: "2026-11-18T03:00:37.000Z",
    level: "enhanced",
    version: "2409",
    build: "5.00.9132.1000",
    sites: 6,
    clients,
  };
}

/** A stand-in for HierarchyWeeksTable over some rows, counting its queries. */
function fakeTable(rows: HierarchyWeek[]) {
  const calls: string[] = [];
  return {
    calls,
    async list(key: string, from?: IsoWeek, to?: IsoWeek): Promise<HierarchyWeek[]> {
      calls.push("list");
      return rows.filter((r) => r.hierarchyKey === key && (from === undefined || r.week >= from) && (to === undefined || r.week <= to));
    },
    async exists(key: string): Promise<boolean> {
      calls.push("exists");
      return rows.some((r) => r.hierarchyKey === key);
    },
  };
}

test("the response carries the contract's members only, oldest week first", () => {
  const body = toHierarchyWeeks(hierarchyId, [row("2026-W47", 30), row("2025-W52", 10), row("2026-W01", 20)]);
  assert.equal(body.hierarchyId, hierarchyId);
  assert.deepEqual(body.weeks.map((w) => w.week), ["2025-W52", "2026-W01", "2026-W47"]);
  assert.deepEqual(Object.keys(body.weeks[0]!), ["week", "docId", "collectedAt", "level", "version", "build", "sites", "clients"]);
  assert.deepEqual(toHierarchyWeeksCsv(body).header, ["week", "docId", "collectedAt", "level", "version", "build", "sites", "clients"]);
  assert.deepEqual(toHierarchyWeeksCsv(body).rows[2], ["2026-W47", "00000000-0000-4000-8000-000000000047", "2026-11-18T03:00:37.000Z", "enhanced", "2409", "5.00.9132.1000", 6, 30]);
});

test("rows found: one query", async () => {
  const table = fakeTable([row("2026-W46", 1), row("2026-W47", 2)]);
  assert.equal((await readHierarchyWeeks(table, hierarchyKey, { from: "2026-W47" })).length, 1);
  assert.deepEqual(table.calls, ["list"]);
});

test("a known hierarchy with nothing in range: no rows, after asking whether it exists", async () => {
  const table = fakeTable([row("2026-W46", 1)]);
  assert.deepEqual(await readHierarchyWeeks(table, hierarchyKey, { from: "2026-W47", to: "2026-W50" }), []);
  assert.deepEqual(table.calls, ["list", "exists"]);
});

test("an unknown hierarchy is NotFoundError; without a range the empty listing already says so", async () => {
  const table = fakeTable([]);
  await assert.rejects(readHierarchyWeeks(table, hierarchyKey, {}), NotFoundError);
  assert.deepEqual(table.calls, ["list"]);
  await assert.rejects(readHierarchyWeeks(table, hierarchyKey, { to: "2026-W01" }), NotFoundError);
  assert.deepEqual(table.calls, ["list", "list", "exists"]);
});

test("a stored level that is not one of the schema's is a bug reported as such, never passed on", () => {
  assert.deepEqual(toHierarchyWeeks(hierarchyId, [{ ...row("2026-W47", 1), level: "full" }]).weeks.map((w) => w.level), ["full"]);
  assert.throws(() => toHierarchyWeeks(hierarchyId, [{ ...row("2026-W47", 1), level: "extreme" }]), /a HierarchyWeeks row holds the level "extreme"/);
});
