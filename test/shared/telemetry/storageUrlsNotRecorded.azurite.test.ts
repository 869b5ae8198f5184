import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { test } from "node:test";
import { startAzurite } from "../../../local/azurite";
import { createTelemetry } from "../../../shared/telemetry/telemetry";
import { itemsOf, startIngestionStandIn, tracingStarted } from "../../support/ingestionStandIn";

/*
 * Contract section 2: hierarchy ids and docIds never reach telemetry as part of a storage URL
 * or query, dependency telemetry included. The real Application Insights SDK records the
 * storage SDK's calls to a real Azurite and exports them to a stand-in ingestion endpoint;
 * nothing it received may carry the hierarchy's key or id or the docId.
 */
test("storage dependencies reach telemetry without hierarchy keys, hierarchy ids or docIds in their URLs", { timeout: 60_000 }, async () => {
  process.env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0";
  process.env["APPLICATIONINSIGHTS_STATSBEAT_DISABLED"] = "true";
  // Every span kept, so that what arrives is not a matter of timing (see keysNotRecorded.test.ts).
  process.env["OTEL_TRACES_SAMPLER"] = "always_on";
  process.env["WEBSITE_SITE_NAME"] = "usage-receiver-test";
  process.env["FUNCTIONS_EXTENSION_VERSION"] = "~4";
  const standIn = await startIngestionStandIn();
  const azurite = await startAzurite();
  const telemetry = createTelemetry(standIn.connectionString);
  try {
    await tracingStarted();
    // Loaded only now, so that the storage SDK's `http` is the instrumented one, as in a worker.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { storageNames } = require("../../../shared/config") as typeof import("../../../shared/config");
    const { createStorageClients } = require("../../../shared/storage/storageClients") as typeof import("../../../shared/storage/storageClients");
    const { ensureStorage } = require("../../../shared/storage/ensureStorage") as typeof import("../../../shared/storage/ensureStorage");
    const { RawArchive } = require("../../../shared/storage/rawArchive") as typeof import("../../../shared/storage/rawArchive");
    const { HierarchyWeeksTable } = require("../../../shared/storage/hierarchyWeeksTable") as typeof import("../../../shared/storage/hierarchyWeeksTable");
    const { toHierarchyKey } = require("../../../shared/aggregation/hierarchyKey") as typeof import("../../../shared/aggregation/hierarchyKey");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const clients = createStorageClients({ kind: "connectionString", connectionString: azurite.connectionString });
    await ensureStorage(clients);

    const hierarchyId = createHash("sha256").update(randomBytes(16)).digest("base64");
    const hierarchyKey = toHierarchyKey(hierarchyId);
    const docId = randomUUID();
    const body = JSON.stringify({ docId, hierarchyId });
    const raw = new RawArchive(clients.blobService.getContainerClient(storageNames.rawContainer));
    await raw.put({
      docType: "usage",
      docVersion: 1,
      docId,
      hierarchyId,
      collectedAt: "2026-11-16T00:00:00Z",
      week: "2026-W47",
      receivedAt: new Date().toISOString(),
      body,
      sha256: createHash("sha256").update(body).digest("hex"),
    });
    const weeks = new HierarchyWeeksTable(clients.table(storageNames.hierarchyWeeksTable));
    // A query with the key in its $filter, and a point read with the key in the path.
    assert.deepEqual(await weeks.list(hierarchyKey), []);
    await clients
      .table(storageNames.hierarchyWeeksTable)
      .getEntity(hierarchyKey, "2026-W47")
      .then(
        () => assert.fail("no such entity was written"),
        () => {},
      );

    await telemetry.flush();
    const storageCalls = (): string => JSON.stringify(itemsOf(standIn.received, "RemoteDependency"));
    const arrived = (): boolean => storageCalls().includes(storageNames.hierarchyWeeksTable) && storageCalls().includes(`/${storageNames.rawContainer}`);
    await standIn.waitFor(arrived);
    assert.ok(arrived(), `the storage calls were not all recorded: ${storageCalls().slice(0, 2000)}`);

    const everything = standIn.received.join("\n");
    for (const [what, secret] of [
      ["hierarchy key", hierarchyKey],
      ["hierarchy id", hierarchyId],
      ["hierarchy id, URL-encoded", encodeURIComponent(hierarchyId)],
      ["docId", docId],
    ] as const) {
      const found = everything.indexOf(secret);
      assert.ok(found === -1, `the ${what} was recorded:\n${everything.slice(Math.max(0, found - 400), found + 80)}`);
    }
  } finally {
    await telemetry.shutdown();
    standIn.close();
    await azurite.close();
  }
});
