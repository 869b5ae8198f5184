import assert from "node:assert/strict";
import { test } from "node:test";
import { WeekStats, type RollupShardSource, type ShardSelection } from "../../../shared/aggregation/weekStats";
import { addContribution, contributionOf, emptyRollup, mergeRollups, type WeekRollup } from "../../../shared/aggregation/weekRollup";
import { NotFoundError } from "../../../shared/errors";
import type { IsoWeek } from "../../../shared/isoWeek";
import { versionsOf } from "../../support/rollupViews";
import { makeUsageDocument } from "../../../devkit/usageDocuments";

/** Shard rows as storage would decode them, and the selections asked for. */
class ShardRows implements RollupShardSource {
  readonly asked: (ShardSelection | undefined)[] = [];
  constructor(private readonly rows: ReadonlyMap<string, WeekRollup[]>) {}
  readShards(week: IsoWeek, only?: ShardSelection): Promise<WeekRollup[]> {
    this.asked.push(only);
    return Promise.resolve(this.rows.get(week) ?? []);
  }
  listWeeks(): Promise<IsoWeek[]> {
    return Promise.resolve([...this.rows.keys()].sort() as IsoWeek[]);
  }
}

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
