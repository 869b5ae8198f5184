import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InvocationContext } from "@azure/functions";
import { TableClient } from "@azure/data-tables";
import type { DimensionRollup } from "../../../shared/aggregation/dimensionRollup";
import { readConfig, storageNames } from "../../../shared/config";
import type { PublishedRow } from "../../../shared/publishing/publishedRows";
import { publishWeek, type PublishWeekDeps } from "../../../shared/publishing/publishWeek";
import { ensureStorage } from "../../../shared/storage/ensureStorage";
import { createStorageClients } from "../../../shared/storage/storageClients";
import { PUBLISHED_ROW_KEY, publishedRowKey } from "../../../shared/publishing/publishedRowKey";
import { WeeklyDimensionsTable } from "../../../shared/storage/weeklyDimensionsTable";
import { WeeklyDimensionsDataset } from "../../../shared/storage/weeklyDimensionsDataset";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";
import { publishWeeklyDimensions } from "../../../functions/publishWeeklyDimensions";
import { categoricalRollup, distributionRollup, FixedRollupReader } from "../../support/dimensionRollups";
import { expectedRows } from "../../support/expectedPublishedRows";

/** A week of every kind, with values a key could not hold as they are. */
function weekRollups(osNames: string[]): Map<string, DimensionRollup> {
  return new Map<string, DimensionRollup>([
    ["version", categoricalRollup("hierarchy", { hierarchies: 4, clients: 400 }, [["2409", 3, 300, 0], ["2403", 1, 100, 0]])],
    ["siteType", categoricalRollup("set", { hierarchies: 4, clients: 400 }, [["primary", 4, 0, 9], ["cas", 1, 0, 1]])],
    ["os", categoricalRollup("clients", { hierarchies: 4, clients: 400 }, osNames.map((name, i) => [name, 1 + (i % 4), 10 * i, 0]))],
    ["clients", distributionRollup([0, 50, 150, 200], 400)],
  ]);
}

const awkward = ["Windows 11", "a/b", "a\\b", "#1", "why?", "tab\there", "\u0001\u007f\u009f", "__proto__", "x".repeat(2000), "(fewer than 2)"];

const byKey = (rows: PublishedRow[]) => [...rows].sort((a, b) => (publishedRowKey(a) < publishedRowKey(b) ? -1 : 1));

describe("publishWeek against Azurite", () => {
  let azurite: EmbeddedAzurite;
  let table: WeeklyDimensionsTable;
  let client: TableClient;
  let dataset: WeeklyDimensionsDataset;

  before(async () => {
    azurite = await startAzurite();
    const clients = createStorageClients({ kind: "connectionString", connectionString: azurite.connectionString });
    await ensureStorage(clients);
    client = clients.table(storageNames.weeklyDimensionsTable);
    table = new WeeklyDimensionsTable(client);
    dataset = new WeeklyDimensionsDataset(clients.blobService.getContainerClient(storageNames.datasetsContainer));
  });
  after(async () => azurite.close());

  const deps = (reader: FixedRollupReader, minHierarchies = 1): PublishWeekDeps => ({ reader, table, dataset, minHierarchies });

  test("rows equal the routes' output for every dimension; ~published says when, how many and the folding", async () => {
    const week = "2026-W01";
    const rollups = weekRollups(awkward);
    const asOf = new Date("2026-01-02T03:04:05.000Z");
    const result = await publishWeek(week, deps(new FixedRollupReader(new Map([[week, rollups]]))), { now: () => asOf });
    const stored = await table.readWeek(week);
    assert.deepEqual(byKey(stored.rows), byKey(expectedRows(week, rollups, 1)));
    assert.equal(result.written, stored.rows.length);
    assert.deepEqual(stored.summary, { asOf, hierarchies: 4, minHierarchies: 1 });
    // Every value, however awkward, is readable as it was given.
    const osValues = stored.rows.flatMap((r) => (r.dimension === "os" && r.kind !== "distribution" ? [r.value] : []));
    assert.deepEqual(osValues.sort(), [...awkward].sort());
  });

  test("counts are numbers a table client filters on; figures are Doubles, a null figure absent", async () => {
    const week = "2026-W02";
    await publishWeek(week, deps(new FixedRollupReader(new Map([[week, weekRollups(["Windows 11"])]]))));
    const filtered: string[] = [];
    const filter = `PartitionKey eq '${week}' and dimension eq 'version' and hierarchies ge 2`;
    for await (const e of client.listEntities<{ value: string }>({ queryOptions: { filter } })) filtered.push(e.value);
    assert.deepEqual(filtered, ["2409"]);
    const wide: string[] = [];
    for await (const e of client.listEntities<{ dimension: string }>({ queryOptions: { filter: `PartitionKey eq '${week}' and p50 ge 40.0` } })) wide.push(e.dimension);
    assert.deepEqual(wide, ["clients"]);
    const empty = await client.getEntity(week, "sites");
    assert.equal(empty["hierarchies"], 0);
    assert.equal("p50" in empty, false);
    const clients = await client.getEntity(week, publishedRowKey({ dimension: "version", value: "2409" }));
    assert.equal(clients["clients"], 300n);
  });

  test("values that disappear are deleted, over several transactions of at most 100", async () => {
    const week = "2026-W03";
    const many = Array.from({ length: 250 }, (_, i) => `os ${i}`);
    const reader = new FixedRollupReader(new Map([[week, weekRollups(many)]]));
    await publishWeek(week, deps(reader));
    assert.equal((await table.readWeek(week)).rows.filter((r) => r.dimension === "os").length, 250);
    reader.weeks.set(week, weekRollups(["os 7"]));
    const result = await publishWeek(week, deps(reader));
    assert.equal(result.deleted, 249);
    const stored = await table.readWeek(week);
    assert.deepEqual(byKey(stored.rows), byKey(expectedRows(week, weekRollups(["os 7"]), 1)));
  });

  test("folding with STATS_MIN_HIERARCHIES: the rows are the routes' with that minHierarchies", async () => {
    const week = "2026-W04";
    const { statsMinHierarchies } = readConfig({ STATS_MIN_HIERARCHIES: "2" });
    const rollups = weekRollups(awkward);
    await publishWeek(week, deps(new FixedRollupReader(new Map([[week, rollups]])), statsMinHierarchies));
    const stored = await table.readWeek(week);
    assert.deepEqual(byKey(stored.rows), byKey(expectedRows(week, rollups, 2)));
    assert.ok(stored.rows.some((r) => r.kind === "set" && r.value === "(fewer than 2)"));
    assert.equal(stored.summary?.minHierarchies, 2);
  });

  test("redelivery writes the same rows again; a crash between the writes and the deletes converges on the next delivery", async () => {
    const week = "2026-W05";
    const reader = new FixedRollupReader(new Map([[week, weekRollups(["a", "b", "c"])]]));
    await publishWeek(week, deps(reader));
    await publishWeek(week, deps(reader));
    assert.deepEqual(byKey((await table.readWeek(week)).rows), byKey(expectedRows(week, weekRollups(["a", "b", "c"]), 1)));

    reader.weeks.set(week, weekRollups(["d"]));
    const crashing: PublishWeekDeps = {
      reader,
      minHierarchies: 1,
      dataset,
      table: {
        readPartition: (w) => table.readPartition(w),
        writeRows: (w, rows) => table.writeRows(w, rows),
        deleteRows: () => Promise.reject(new Error("crash")),
        writeSummary: (w, s, e) => table.writeSummary(w, s, e),
      },
    };
    await assert.rejects(publishWeek(week, crashing), /crash/);
    const halfway = await table.readWeek(week);
    assert.ok(halfway.rows.some((r) => r.kind === "clients" && r.value === "a"), "the old rows are still there");
    await publishWeek(week, deps(reader));
    assert.deepEqual(byKey((await table.readWeek(week)).rows), byKey(expectedRows(week, weekRollups(["d"]), 1)));
  });

  test("two overlapping publishes: the one that read the older state starts again, so the newest state is what stays", async () => {
    const week = "2026-W06";
    const older = new FixedRollupReader(new Map([[week, weekRollups(["old"])]]));
    const newer = new FixedRollupReader(new Map([[week, weekRollups(["new"])]]));
    await publishWeek(week, deps(older));
    let overlapped = false;
    const slow: PublishWeekDeps = {
      reader: older,
      minHierarchies: 1,
      dataset,
      table: {
        readPartition: (w) => table.readPartition(w),
        writeRows: async (w, rows) => {
          if (!overlapped) {
            overlapped = true;
            // The newer publish runs from start to end while this one is between its reads and its writes.
            await publishWeek(week, deps(newer));
            older.weeks = newer.weeks;
          }
          await table.writeRows(w, rows);
        },
        deleteRows: (w, keys) => table.deleteRows(w, keys),
        writeSummary: (w, s, e) => table.writeSummary(w, s, e),
      },
    };
    const result = await publishWeek(week, slow);
    assert.equal(result.attempts, 2);
    assert.deepEqual(byKey((await table.readWeek(week)).rows), byKey(expectedRows(week, weekRollups(["new"]), 1)));
  });

  test("a week without data publishes its zeros; the ~published row stays last in key order", async () => {
    const week = "2026-W07";
    await publishWeek(week, deps(new FixedRollupReader(new Map())));
    const stored = await table.readWeek(week);
    assert.deepEqual(byKey(stored.rows), byKey(expectedRows(week, new Map(), 1)));
    assert.equal(stored.summary?.hierarchies, 0);
    const keys: string[] = [];
    for await (const e of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${week}'`, select: ["RowKey"] } })) keys.push(e.rowKey ?? "");
    assert.equal(keys[keys.length - 1], PUBLISHED_ROW_KEY);
  });

  test("names that differ only in their unpaired surrogates are two rows, and the week publishes", async () => {
    const week = "2026-W09";
    const names = ["\ud800", "\ud801", "\udc00", "a\ud800", "\ufffd"];
    const rollups = weekRollups(names);
    const result = await publishWeek(week, deps(new FixedRollupReader(new Map([[week, rollups]]))));
    const stored = await table.readWeek(week);
    assert.ok(stored.summary !== undefined, "~published written");
    const os = stored.rows.filter((r) => r.dimension === "os");
    assert.equal(os.length, names.length);
    assert.deepEqual(os.map((r) => (r.kind === "distribution" ? "" : r.value)).sort(), [...names].sort());
    assert.equal(new Set(names.map((value) => publishedRowKey({ dimension: "os", value }))).size, names.length);
    assert.equal(result.written, stored.rows.length);
  });

  test("a week whose snapshots are all gone keeps none of its old rows and says 0 hierarchies", async () => {
    const week = "2026-W10";
    const reader = new FixedRollupReader(new Map([[week, weekRollups(["Windows 11", "Windows 10"])]]));
    await publishWeek(week, deps(reader));
    reader.weeks.delete(week);
    const result = await publishWeek(week, deps(reader));
    const stored = await table.readWeek(week);
    assert.deepEqual(byKey(stored.rows), byKey(expectedRows(week, new Map(), 1)));
    assert.ok(result.deleted > 0);
    assert.equal(stored.summary?.hierarchies, 0);
  });

  test("a dimension the table refuses is left out and logged by name; the rest of the week publishes and the request completes", async () => {
    const week = "2026-W11";
    // Longer than a table property holds (64 KiB): the guard refuses the row, as Azure would.
    const tooLong = "secret-" + "y".repeat(40_000);
    const rollups = weekRollups(["Windows 11", tooLong]);
    const reader = new FixedRollupReader(new Map([[week, weekRollups(["Windows 10"])]]));
    await publishWeek(week, deps(reader));
    reader.weeks.set(week, rollups);
    const logged: string[] = [];
    const context = new InvocationContext({ invocationId: "t", functionName: "publishWeeklyDimensions", logHandler: (_level, ...args) => logged.push(args.map(String).join(" ")) });
    await publishWeeklyDimensions({ v: 1, week }, context, deps(reader));
    const stored = await table.readWeek(week);
    const others = expectedRows(week, rollups, 1).filter((row) => row.dimension !== "os");
    assert.deepEqual(byKey(stored.rows), byKey(others), "every other dimension is published, and no os row (old or half written) is left");
    assert.equal(stored.summary?.hierarchies, 4);
    const refusals = logged.filter((line) => line.includes('"refused"'));
    assert.equal(refusals.length, 1);
    assert.deepEqual(JSON.parse(refusals[0]!), { event: "publish", status: "refused", week, dimension: "os" });
    assert.ok(logged.every((line) => !line.includes("secret") && !line.includes("yyyy")), "no value in the log");
  });

  test("the trigger: a malformed request completes without writing; a request publishes its week", async () => {
    const week = "2026-W08";
    const logged: string[] = [];
    const context = new InvocationContext({ invocationId: "t", functionName: "publishWeeklyDimensions", logHandler: (_level, ...args) => logged.push(args.map(String).join(" ")) });
    const reader = new FixedRollupReader(new Map([[week, weekRollups(["w"])]]));
    for (const message of ["not json", { v: 2, week }, { v: 1, week: "2026-W99" }, { v: 1, week: "2026-W08' or true" }]) {
      await publishWeeklyDimensions(message, context, deps(reader));
    }
    assert.equal(logged.filter((line) => line.includes('"malformed"')).length, 4);
    assert.deepEqual(await table.readWeek(week), { rows: [], summary: undefined });
    await publishWeeklyDimensions({ v: 1, week }, context, deps(reader));
    assert.deepEqual(byKey((await table.readWeek(week)).rows), byKey(expectedRows(week, weekRollups(["w"]), 1)));
  });
});
