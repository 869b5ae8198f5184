import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { BlobServiceClient } from "@azure/storage-blob";
import { RawArchive } from "../../../shared/storage/rawArchive";
import { RejectedStore } from "../../../shared/storage/rejectedStore";
import { isStorageError } from "../../../shared/storage/storageErrors";
import { startAzurite, type EmbeddedAzurite } from "../../../local/azurite";

describe("a missing blob is `undefined`, a missing container an error (Azurite)", () => {
  let azurite: EmbeddedAzurite;
  let blobs: BlobServiceClient;
  before(async () => {
    azurite = await startAzurite();
    blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
    await blobs.getContainerClient("present").create();
  });
  after(async () => azurite.close());

  test("RawArchive.read", async () => {
    assert.equal(await new RawArchive(blobs.getContainerClient("present")).read("usage/v1/missing.json"), undefined);
    // Taken for a missing document, a missing container would poison every claim check as
    // "raw document is missing" instead of failing until storage is set up.
    await assert.rejects(new RawArchive(blobs.getContainerClient("absent")).read("usage/v1/missing.json"), (error) =>
      isStorageError(error, 404, "ContainerNotFound"),
    );
  });

  test("RejectedStore.read", async () => {
    assert.equal(await new RejectedStore(blobs.getContainerClient("present")).read("usage/v1/missing.json"), undefined);
    await assert.rejects(new RejectedStore(blobs.getContainerClient("absent")).read("usage/v1/missing.json"), (error) =>
      isStorageError(error, 404, "ContainerNotFound"),
    );
  });
});
