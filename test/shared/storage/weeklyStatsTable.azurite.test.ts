import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { snapshotOf } from "../../../shared/aggregation/aggregateDocument";
import { shardOf } from "../../../shared/aggregation/hierarchyKey";
import { addContribution, contributionOf, emptyRollup, noPlacement, OTHER_NAME } from "../../../shared/aggregation/weekRollup";
import { entitySize, tableLimits } from "../../../shared/storage/tableLimits";
import { DECODED_ROW_FACTOR, KEPT_PAGE_FACTOR, RECEIVED_PAGE_FACTOR, rollupRowBudget, rowKeys } from "../../../shared/storage/weeklyStatsTable";
import { MemoryBudgetExceededError } from "../../../shared/errors";
import { AggregationHarness } from "../../support/aggregationHarness";
import { versionsOf } from "../../support/rollupViews";
import { escapedName, makeUsageDocument, makeWorstCaseUsageDocument } from "../../../devkit/usageDocuments";

let harness: AggregationHarness;

describe("WeeklyStatsTable rows against Azurite", () => {
  before(async () => {
    harness = await AggregationHarness.start();
  });
  after(async () => harness.close());

  /** Fresh tables holding one document's snapshot and its shard's rollup row, and that row's stored size. */
  async function commitOne(overrides: Parameters<typeof makeUsageDocument>[0]) {
    const { weeklyStats } = await harness.freshTables();
    const snapshot = { ...snapshotOf(makeUsageDocument(overrides)), placement: noPlacement() };
    const rollup = emptyRollup();
    addContribution(rollup, snapshot.contribution, rollupRowBudget);
    const shard = shardOf(snapshot.hierarchyKey);
    assert.equal(await weeklyStats.commit(snapshot, undefined, shard, rollup, undefined), "committed");
    const stored = entitySize(await weeklyStats.table.getEntity(snapshot.week, rowKeys.rollup(shard)));
    return { weeklyStats, snapshot, stored };
  }

  test("a rollup row filled to its budget with worst-case names and 2,000 versions is written, within 1 MiB, and its versions read alone", async () => {
    const { weeklyStats } = await harness.freshTables();
    const rollup = emptyRollup();
    for (let variant = 0; variant < 4; variant++) addContribution(rollup, contributionOf(makeWorstCaseUsageDocument(variant)), rollupRowBudget);
    for (let v = 0; v < 2000; v++) {
      const version = String(v).padStart(4, "0");
      addContribution(rollup, contributionOf(makeUsageDocument({ product: { version, build: "5.00.9132.1000", branch: "current" } })), rollupRowBudget);
    }
    const snapshot = { ...snapshotOf(makeUsageDocument({ collectedAt: "2026-12-31T03:00:00Z" })), placement: noPlacement() };
    const shard = shardOf(snapshot.hierarchyKey);
    assert.equal(await weeklyStats.commit(snapshot, undefined, shard, rollup, undefined), "committed");

    const row = await weeklyStats.table.getEntity(snapshot.week, rowKeys.rollup(shard));
    const size = entitySize(row);
    assert.ok(size <= tableLimits.maxEntityBytes && size > 0.75 * tableLimits.maxEntityBytes, `the row is ${size} bytes`);
    const [selected, ...moreSelected] = await weeklyStats.readShards(snapshot.week, { dimensions: ["version"] });
    const [whole, ...moreWhole] = await weeklyStats.readShards(snapshot.week);
    assert.equal(moreSelected.length + moreWhole.length, 0, "one shard has a row");
    assert.deepEqual(versionsOf(selected!), versionsOf(whole!));
    assert.ok(versionsOf(selected!).has(OTHER_NAME));
    // Only the totals and the selected dimension came back.
    assert.equal(selected!.hierarchies, whole!.hierarchies);
    assert.equal(selected!.dimensions.get("os")?.hierarchies, 0);
    assert.ok((whole!.dimensions.get("os")?.hierarchies ?? 0) > 0);
  });

  test("a worst-case snapshot whose every entry was folded fits one row, and its placement reads back by name", async () => {
    const { weeklyStats } = await harness.freshTables();
    const made = snapshotOf(makeWorstCaseUsageDocument(7, { collectedAt: "2026-12-30T03:00:00Z" }));
    const values = new Map<string, string[]>();
    for (const [name, value] of made.contribution.dimensions) {
      if (typeof value === "string") values.set(name, [value]);
      else if (typeof value !== "number") values.set(name, [...value.keys()]);
    }
    const buckets = new Map([["clients", 7], ["sites", -3]]);
    const snapshot = { ...made, placement: { features: [...made.contribution.features.keys()], values, buckets } };
    const rollup = emptyRollup();
    assert.equal(await weeklyStats.commit(snapshot, undefined, shardOf(snapshot.hierarchyKey), rollup, undefined), "committed");
    const row = await weeklyStats.table.getEntity(snapshot.week, rowKeys.snapshot(snapshot.hierarchyKey));
    assert.ok(entitySize(row) <= tableLimits.maxEntityBytes, `the row is ${entitySize(row)} bytes`);
    const [read] = await weeklyStats.listSnapshots(snapshot.week);
    assert.deepEqual(read?.placement, snapshot.placement);
    assert.deepEqual(read.contribution, snapshot.contribution);
  });

  test("a snapshot row gives back its contribution exactly: lone surrogates, control characters and __proto__ in names", async () => {
    const { weeklyStats } = await harness.freshTables();
    const doc = makeUsageDocument({ collectedAt: "2026-12-29T03:00:00Z" });
    const byOs = Object.fromEntries([["__proto__", 1], ["\ud800x\u0001", 2], [escapedName(3), doc.clients.total - 3]]) as Record<string, number>;
    const made = snapshotOf({ ...doc, clients: { ...doc.clients, byOs } });
    await weeklyStats.commit(made, undefined, shardOf(made.hierarchyKey), emptyRollup(), undefined);
    const [read] = await weeklyStats.listSnapshots(made.week);
    assert.deepEqual(read?.contribution, made.contribution);
    assert.deepEqual([...(read.contribution.dimensions.get("os") as Map<string, number>).keys()], Object.keys(byOs));
  });

  test("a features read brings the features and totals only, and every row's cost is reserved before it is decoded", async () => {
    const { weeklyStats, snapshot, stored } = await commitOne({ collectedAt: "2026-12-28T03:00:00Z", level: "enhanced", features: { cmPivot: { enabled: true, uses: 3 } } });

    let held = 0;
    let peak = 0;
    const reservation = {
      reserve: (bytes: number) => {
        held += bytes;
        peak = Math.max(peak, held);
      },
      giveBack: (bytes: number) => {
        held -= bytes;
      },
    };
    const [features] = await weeklyStats.readShards(snapshot.week, { dimensions: [], features: true }, reservation);
    assert.equal(features?.features.get("cmPivot")?.uses, 3);
    assert.equal(features.featureHierarchies, 1);
    assert.equal(features.hierarchies, 1);
    assert.equal(features.dimensions.get("os")?.hierarchies, 0, "no dimension was read");
    // Each request was reserved for a page of 1 MiB rows before it was sent, then trued up to
    // what its row cost decoded: less than the whole row, as the read selected a part of it.
    assert.ok(peak >= tableLimits.maxEntityBytes * DECODED_ROW_FACTOR, `at most ${peak} bytes reserved before the request`);
    assert.ok(held > 0 && held < stored * DECODED_ROW_FACTOR, `${held} bytes held for a ${stored}-byte row`);

    const full = {
      reserve: () => {
        throw new MemoryBudgetExceededError("full");
      },
      giveBack: () => {},
    };
    await assert.rejects(weeklyStats.readShards(snapshot.week, undefined, full), MemoryBudgetExceededError);
  });

  test("a page is reserved as the SDK receives it, trued up to what its entities keep before a row is decoded, and given back after its rows", async () => {
    const { weeklyStats, snapshot, stored } = await commitOne({ collectedAt: "2026-12-29T03:00:00Z" });

    const steps: string[] = [];
    let held = 0;
    const reservation = {
      reserve: (bytes: number) => {
        held += bytes;
        steps.push(`reserve ${bytes}`);
      },
      giveBack: (bytes: number) => {
        held -= bytes;
        steps.push(`give back, holding ${held}`);
      },
    };
    const taken = [];
    for await (const part of weeklyStats.shards(snapshot.week, undefined, reservation)) {
      // While the caller folds a row, the read holds the page's entities and the row decoded.
      taken.push({ part, held });
    }
    assert.equal(taken.length, 1);
    const page = 16 * tableLimits.maxEntityBytes * RECEIVED_PAGE_FACTOR;
    // What the page's one entity weighs as listed (a little less than as read alone: no metadata).
    const kept = Number(/holding (\d+)$/.exec(steps[1] ?? "")?.[1]);
    const row = kept / KEPT_PAGE_FACTOR;
    assert.ok(row > 0 && row <= stored, `${row} bytes kept for a ${stored}-byte row`);
    assert.deepEqual(steps, [
      `reserve ${page}`,
      `give back, holding ${kept}`,
      `reserve ${row * DECODED_ROW_FACTOR}`,
      `give back, holding ${row * DECODED_ROW_FACTOR}`,
      // The last request finds no more rows.
      `reserve ${page}`,
      `give back, holding ${row * DECODED_ROW_FACTOR}`,
      `give back, holding ${row * DECODED_ROW_FACTOR}`,
    ]);
    assert.equal(taken[0]?.held, kept + row * DECODED_ROW_FACTOR);
  });
});
