import assert from "node:assert/strict";
import { test } from "node:test";
import { answeringWithin, ANSWER_SHARE, WeekStats, type ReadReservation, type RollupShardSource, type ShardSelection } from "../../../shared/aggregation/weekStats";
import { MemoryBudget } from "../../../shared/http/memoryBudget";
import { MemoryBudgetExceededError } from "../../../shared/errors";
import { addContribution, contributionOf, emptyRollup, mergeRollups, type WeekRollup } from "../../../shared/aggregation/weekRollup";
import { NotFoundError, StorageUnavailableError } from "../../../shared/errors";
import { dimensions } from "../../../shared/aggregation/dimensions";
import type { IsoWeek } from "../../../shared/isoWeek";
import { versionsOf } from "../../support/rollupViews";
import { makeUsageDocument } from "../../../devkit/usageDocuments";

/** Shard rows as storage would decode them, and the selections asked for. */
class ShardRows implements RollupShardSource {
  readonly asked: (ShardSelection | undefined)[] = [];
  constructor(private readonly rows: ReadonlyMap<string, WeekRollup[]>) {}
  async *shards(week: IsoWeek, only?: ShardSelection, reservation?: ReadReservation): AsyncGenerator<WeekRollup> {
    this.asked.push(only);
    for (const row of this.rows.get(week) ?? []) {
      await reservation?.reserve(ROW_COST);
      if (row === BROKEN) throw new StorageUnavailableError("storage stopped answering mid-read");
      yield row;
    }
  }
  listWeeks(): Promise<IsoWeek[]> {
    return Promise.resolve([...this.rows.keys()].sort() as IsoWeek[]);
  }
}

/** What each row of ShardRows costs its read. */
const ROW_COST = 1000;

/** A row at which ShardRows fails, as storage failing mid-read would. */
const BROKEN = emptyRollup();

function shard(...versions: string[]): WeekRollup {
  const rollup = emptyRollup();
  for (const version of versions) addContribution(rollup, contributionOf(makeUsageDocument({ product: { version, build: "5.00.9132.1000", branch: "current" } })));
  return rollup;
}

const rows = new Map([["2026-W10", [shard("2409", "2403"), shard("2409"), shard("2503")]]]);

test("a week's shards are merged: totals and every value summed across shards", async () => {
  const stats = new WeekStats(new ShardRows(rows));
  const week = await stats.readRollup("2026-W10");
  assert.equal(week.hierarchies, 4);
  assert.deepEqual(
    new Map([...versionsOf(week)].map(([v, c]) => [v, c.hierarchies])),
    new Map([["2409", 2], ["2403", 1], ["2503", 1]]),
  );
  assert.deepEqual(week, mergeRollups(rows.get("2026-W10")!));
});

test("an empty week is zeros, not an error", async () => {
  const stats = new WeekStats(new ShardRows(rows));
  assert.equal((await stats.readRollup("2026-W11")).hierarchies, 0);
  assert.equal((await stats.readDimension("2026-W11", "os")).hierarchies, 0);
});

test("each read asks storage for only what it needs: everything, the version dimension, one dimension", async () => {
  const source = new ShardRows(rows);
  const stats = new WeekStats(source);
  await stats.readRollup("2026-W10");
  await stats.readSummary("2026-W10");
  await stats.readDimension("2026-W10", "sqlVersion");
  assert.deepEqual(source.asked, [undefined, { dimensions: ["version"] }, { dimensions: ["sqlVersion"] }]);
});

test("readDimension and readDimensions agree; an unknown dimension is NotFoundError, __proto__ included", async () => {
  const stats = new WeekStats(new ShardRows(rows));
  const all = await stats.readDimensions("2026-W10");
  assert.deepEqual(all.get("version"), await stats.readDimension("2026-W10", "version"));
  for (const name of ["__proto__", "constructor", "nope"]) await assert.rejects(stats.readDimension("2026-W10", name), NotFoundError, name);
});

test("the summary is the totals and the versions", async () => {
  const summary = await new WeekStats(new ShardRows(rows)).readSummary("2026-W10");
  assert.equal(summary.hierarchies, 4);
  assert.equal(summary.versions.get("2409")?.hierarchies, 2);
});

test("the routes' reads select their columns: versions, OS, features, totals; the publisher reads every column once", async () => {
  const source = new ShardRows(rows);
  const stats = new WeekStats(source);
  await stats.readVersions("2026-W10");
  await stats.readOs("2026-W10");
  await stats.readFeatures("2026-W10");
  await stats.readTotals("2026-W10");
  assert.deepEqual(source.asked, [{ dimensions: ["version"] }, { dimensions: ["os"] }, { dimensions: [], features: true }, { dimensions: [] }]);
  source.asked.length = 0;
  const all = await stats.readDimensions("2026-W10");
  assert.equal(all.size, dimensions.length);
  assert.deepEqual(source.asked, [undefined], "one read of every column, not one per dimension");
});

test("a read holds its rows within the budget, gives them back when done, and one past it is refused", async () => {
  const budget = new MemoryBudget(3 * ROW_COST);
  const stats = new WeekStats(new ShardRows(rows), budget);
  assert.equal((await stats.readOs("2026-W10")).hierarchies, 4);
  assert.equal(budget.bytesInUse, 0, "the read gave its rows back");
  // Another request holds part of the budget: the three rows no longer fit.
  const other = budget.lease();
  other.reserve(ROW_COST);
  await assert.rejects(stats.readOs("2026-W10"), MemoryBudgetExceededError);
  assert.equal(budget.bytesInUse, ROW_COST, "the refused read holds nothing");
  other.release();
});

test("a read waits for room that comes back soon, instead of being refused", async () => {
  const budget = new MemoryBudget(3 * ROW_COST);
  const stats = new WeekStats(new ShardRows(rows), budget);
  const other = budget.lease();
  other.reserve(2 * ROW_COST);
  const read = stats.readOs("2026-W10");
  setTimeout(() => other.release(), 100);
  assert.equal((await read).hierarchies, 4);
  assert.equal(budget.bytesInUse, 0);
});

test("in a route, a read holds its rows and its answer's share until the route has answered, then gives all back", async () => {
  const budget = new MemoryBudget(100 * ROW_COST);
  const stats = new WeekStats(new ShardRows(rows), budget);
  let during = 0;
  const hierarchies = await answeringWithin(async () => {
    const week = await stats.readOs("2026-W10");
    // The route builds its answer from the rollup here: what the rollup and the answer cost still counts.
    during = budget.bytesInUse;
    return week.hierarchies;
  });
  assert.equal(hierarchies, 4);
  assert.equal(during, Math.ceil(3 * ROW_COST * (1 + ANSWER_SHARE)), "the three rows and their answer's share");
  assert.equal(budget.bytesInUse, 0, "all given back once the route answered");
});

test("in a route, a read whose answer would not fit is refused (and holds nothing) instead of growing past the budget", async () => {
  // Room for the rows, not for what the answer built from them costs.
  const budget = new MemoryBudget(3 * ROW_COST);
  const stats = new WeekStats(new ShardRows(rows), budget);
  await assert.rejects(
    answeringWithin(() => stats.readOs("2026-W10")),
    MemoryBudgetExceededError,
  );
  assert.equal(budget.bytesInUse, 0, "the refused read gave back its rows");
});

test("a read that fails midway gives back what it reserved, in a route or not", async () => {
  const budget = new MemoryBudget(100 * ROW_COST);
  const stats = new WeekStats(new ShardRows(new Map([["2026-W12", [shard("2409"), BROKEN, shard("2503")]]])), budget);
  await assert.rejects(stats.readOs("2026-W12"), StorageUnavailableError);
  assert.equal(budget.bytesInUse, 0);
  await assert.rejects(
    answeringWithin(() => stats.readOs("2026-W12")),
    StorageUnavailableError,
  );
  assert.equal(budget.bytesInUse, 0);
});
