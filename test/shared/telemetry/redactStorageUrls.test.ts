import assert from "node:assert/strict";
import { test } from "node:test";
import { isStorageUrl, redactStorageUrls } from "../../../shared/telemetry/redactStorageUrls";

const key = "lwmJIakMc--jWhD2CxEap9PKHG12P77eMswjCrP1ph4";
const docId = "0df21bae-ce55-4a97-8ea4-cd4f449e5bef";

test("a storage account's URLs keep their container, table or queue and lose the rest", () => {
  assert.equal(redactStorageUrls(`https://acct.blob.core.windows.net/raw/usage/v1/${docId}.json?timeout=30`), "https://acct.blob.core.windows.net/raw/*");
  assert.equal(
    redactStorageUrls(`https://acct.table.core.windows.net/HierarchyWeeks(PartitionKey='${key}',RowKey='2026-W47')`),
    "https://acct.table.core.windows.net/HierarchyWeeks(*)",
  );
  assert.equal(
    redactStorageUrls(`https://acct.table.core.windows.net/HierarchyWeeks()?%24filter=PartitionKey%20eq%20%27${key}%27`),
    "https://acct.table.core.windows.net/HierarchyWeeks(*)",
  );
  // A container that is not ours, on an account's host, is still a storage URL.
  assert.equal(redactStorageUrls("https://acct.blob.core.usgovcloudapi.net/$logs/blob/2026/x.log"), "https://acct.blob.core.usgovcloudapi.net/$logs/*");
  assert.equal(redactStorageUrls("https://acct.queue.core.windows.net/usage-ingested/messages?visibilitytimeout=30"), "https://acct.queue.core.windows.net/usage-ingested/*");
});

test("an emulator's path-style URLs keep the account and our name, and URLs inside text are rewritten in place", () => {
  assert.equal(redactStorageUrls(`http://127.0.0.1:10000/devstoreaccount1/raw/usage/v1/${docId}.json`), "http://127.0.0.1:10000/devstoreaccount1/raw/*");
  assert.equal(
    redactStorageUrls(`GET http://127.0.0.1:10002/devstoreaccount1/hierarchyweeks(PartitionKey='${key}',RowKey='2026-W47') failed: 404`),
    "GET http://127.0.0.1:10002/devstoreaccount1/hierarchyweeks(*) failed: 404",
  );
});

test("other URLs are left alone, key redaction being another processor's job", () => {
  const other = "http://127.0.0.1:7071/api/health?code=abc";
  assert.equal(redactStorageUrls(other), other);
  assert.equal(isStorageUrl(other), false);
  assert.equal(isStorageUrl("http://127.0.0.1:10000/devstoreaccount1/Tables"), false);
  assert.equal(isStorageUrl("https://acct.dfs.core.windows.net/"), true);
  assert.equal(redactStorageUrls("not a url: http://[broken"), "not a url: http://[broken");
});
