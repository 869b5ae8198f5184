import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { TableClient } from "@azure/data-tables";
import { recordHistory } from "../../../shared/aggregation/recordHistory";
import type { HierarchyWeek } from "../../../shared/aggregation/weekSnapshot";
import { HierarchyWeeksTable } from "../../../shared/storage/hierarchyWeeksTable";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";

const hierarchyKey = "hHQZZy6UB0moQc4nYJKM2JyfK3VwlbdSnL60ptbX9EQ";

/** The history row of a document collected `minute` minutes into the week. */
function rowAt(minute: number, docId = `00000000-0000-4000-8000-${String(minute).padStart(12, "0")}`): HierarchyWeek {
  const collectedAt = new Date(Date.UTC(2026, 10, 16, 0, minute)).toISOString();
  return { hierarchyId: "id", hierarchyKey, week: "2026-W47", docId, collectedAt, level: "basic", version: "2409", build: "5.00.9128.1000", sites: 1, clients: minute };
}

describe("recordHistory against Azurite (HierarchyWeeksTable as the store)", () => {
  let azurite: EmbeddedAzurite;
  let table: HierarchyWeeksTable;
  before(async () => {
    azurite = await startAzurite();
    const client = TableClient.fromConnectionString(azurite.connectionString, "History", { allowInsecureConnection: true });
    await client.createTable();
    table = new HierarchyWeeksTable(client);
  });
  after(async () => azurite.close());

  test("writers racing in any order, told or not that the row exists, leave the latest snapshot", async () => {
    const rows = [7, 3, 11, 5, 11, 2, 9, 1].map((minute, i) => rowAt(minute, i === 4 ? "ffffffff-0000-4000-8000-000000000011" : undefined));
    await Promise.all(rows.map((row, i) => recordHistory(table, row, i % 2 === 0)));
    const [stored] = await table.list(hierarchyKey);
    assert.ok(stored !== undefined);
    assert.equal(stored.docId, "ffffffff-0000-4000-8000-000000000011", "the later of two equal collectedAt is the greater docId");
    await recordHistory(table, rowAt(4), true);
    assert.equal((await table.list(hierarchyKey))[0]?.docId, stored.docId, "an earlier snapshot never moves the row back");
  });

  test("a row removed meanwhile (a rebuild) is created again by the rule over the table", async () => {
    await table.remove(hierarchyKey, "2026-W47");
    await recordHistory(table, rowAt(1), true);
    assert.deepEqual(await table.list(hierarchyKey), [rowAt(1)]);
    assert.equal(await table.create(rowAt(2)), "exists");
    const read = await table.read(hierarchyKey, "2026-W47");
    assert.ok(read !== undefined);
    await recordHistory(table, rowAt(3));
    assert.equal(await table.replace(rowAt(4), read.etag), "changed", "the row moved on since the read");
  });
});
