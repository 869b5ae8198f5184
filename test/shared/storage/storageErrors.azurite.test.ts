import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { TableClient } from "@azure/data-tables";
import { BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { QueueServiceClient } from "@azure/storage-queue";
import { isStorageError, isStorageUnavailable, storageCodeOf, storageStatusOf } from "../../../shared/storage/storageErrors";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";

/** The error a storage call fails with; fails the test if the call succeeds. */
async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  assert.fail("the storage call was expected to fail");
}

describe("isStorageError against Azurite's real errors", () => {
  let azurite: EmbeddedAzurite;
  let container: ContainerClient;
  let table: TableClient;
  before(async () => {
    azurite = await startAzurite();
    container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("errors");
    await container.create();
    table = TableClient.fromConnectionString(azurite.connectionString, "Errors", { allowInsecureConnection: true });
    await table.createTable();
  });
  after(async () => azurite.close());

  /** Asserts the error matches its status and code, and neither a wrong code nor a wrong status. */
  function assertMatches(error: unknown, status: number, code: string): void {
    assert.equal(isStorageError(error, status, code), true, `${status} ${code}`);
    assert.equal(isStorageError(error, status, "SomeOtherCode", code), true, `${code} among several codes`);
    assert.equal(isStorageError(error, status), true, `${status} with no code given`);
    assert.equal(isStorageError(error, status, "SomeOtherCode"), false, `${status} ${code} taken for another code`);
    assert.equal(isStorageError(error, status === 404 ? 409 : 404, code), false, `${code} taken for another status`);
    assert.equal(storageStatusOf(error), status);
    assert.equal(storageCodeOf(error), code);
    assert.equal(isStorageUnavailable(error), false);
  }

  test("blob: BlobAlreadyExists (409) on a create-only upload, BlobNotFound (404) on a read and on a HEAD", async () => {
    const blob = container.getBlockBlobClient("taken");
    await blob.upload("a", 1);
    assertMatches(await failureOf(() => blob.upload("b", 1, { conditions: { ifNoneMatch: "*" } })), 409, "BlobAlreadyExists");
    const missing = container.getBlockBlobClient("missing");
    assertMatches(await failureOf(() => missing.download()), 404, "BlobNotFound");
    // A HEAD has no body: the code comes only from the x-ms-error-code header.
    assertMatches(await failureOf(() => missing.getProperties()), 404, "BlobNotFound");
  });

  test("table: EntityAlreadyExists (409), UpdateConditionNotSatisfied (412), ResourceNotFound (404), alone and in a batch", async () => {
    await table.createEntity({ partitionKey: "p", rowKey: "r", n: 1 });
    assertMatches(await failureOf(() => table.createEntity({ partitionKey: "p", rowKey: "r", n: 2 })), 409, "EntityAlreadyExists");
    const stale = (await table.getEntity("p", "r")).etag;
    await table.updateEntity({ partitionKey: "p", rowKey: "r", n: 3 }, "Replace", { etag: stale });
    assertMatches(
      await failureOf(() => table.updateEntity({ partitionKey: "p", rowKey: "r", n: 4 }, "Replace", { etag: stale })),
      412,
      "UpdateConditionNotSatisfied",
    );
    assertMatches(await failureOf(() => table.getEntity("p", "missing")), 404, "ResourceNotFound");
    assertMatches(await failureOf(() => table.submitTransaction([["create", { partitionKey: "p", rowKey: "r" }]])), 409, "EntityAlreadyExists");
    assertMatches(
      await failureOf(() => table.submitTransaction([["update", { partitionKey: "p", rowKey: "r" }, "Replace", { etag: stale }]])),
      412,
      "UpdateConditionNotSatisfied",
    );
  });

  test("queue: QueueNotFound (404)", async () => {
    const queue = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient("missing");
    assertMatches(await failureOf(() => queue.sendMessage("x")), 404, "QueueNotFound");
  });

  test("what is not a storage answer matches nothing", () => {
    const lookalike = Object.assign(new Error("not from storage"), { statusCode: 409, code: "BlobAlreadyExists" });
    assert.equal(isStorageError(lookalike, 409, "BlobAlreadyExists"), false);
    assert.equal(isStorageError(undefined, 404), false);
    assert.equal(storageStatusOf("409"), undefined);
  });
});
