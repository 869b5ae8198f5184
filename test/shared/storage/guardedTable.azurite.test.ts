import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { after, before, describe, test } from "node:test";
import { TableClient } from "@azure/data-tables";
import { TableLimitError } from "../../../shared/errors";
import { GuardedTable } from "../../../shared/storage/guardedTable";
import { projectRoot } from "../../../local/hostSettings";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : entry.name.endsWith(".ts") ? [path] : [];
  });
}

test("every table write in shared/ and scripts/ goes through GuardedTable", () => {
  const root = projectRoot();
  const writes = /\.(createEntity|upsertEntity|updateEntity|deleteEntity|submitTransaction)\(/;
  const unguarded = [...sourceFiles(join(root, "shared")), ...sourceFiles(join(root, "scripts"))]
    .filter((file) => !file.endsWith(join("storage", "guardedTable.ts")))
    .flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((line, i) => ({ where: `${relative(root, file)}:${i + 1}`, line }))
        .filter(({ line }) => writes.test(line) && !/\bwrites\.\w+\(/.test(line)),
    );
  assert.deepEqual(unguarded.map((u) => u.where), [], "table writes that bypass the guard");
});

describe("GuardedTable against Azurite", () => {
  let azurite: EmbeddedAzurite;
  let client: TableClient;
  before(async () => {
    azurite = await startAzurite();
    client = TableClient.fromConnectionString(azurite.connectionString, "Guarded", { allowInsecureConnection: true });
    await client.createTable();
  });
  after(async () => azurite.close());

  test("a write Azure would refuse is refused before it is sent; writes within the limits go through", async () => {
    const table = new GuardedTable(client);
    const tooLarge = { partitionKey: "p", rowKey: "big", ...Object.fromEntries(Array.from({ length: 18 }, (_, i) => [`s${i}`, "x".repeat(30_000)])) };
    await assert.rejects(table.submitTransaction([["create", tooLarge]]), TableLimitError);
    await assert.rejects(table.createEntity(tooLarge), TableLimitError);
    await assert.rejects(table.upsertEntity(tooLarge, "Replace"), TableLimitError);
    await assert.rejects(client.getEntity("p", "big"), (error: { statusCode?: number }) => error.statusCode === 404);

    await table.submitTransaction([["create", { partitionKey: "p", rowKey: "small", n: 1 }]]);
    await table.updateEntity({ partitionKey: "p", rowKey: "small", n: 2 }, "Replace");
    assert.equal((await client.getEntity<{ n: number }>("p", "small")).n, 2);
    await table.deleteEntity("p", "small");
    await assert.rejects(client.getEntity("p", "small"), (error: { statusCode?: number }) => error.statusCode === 404);
  });
});
