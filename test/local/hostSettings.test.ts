import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTimeSpan, readHostSettings } from "../../local/hostSettings";
import { compileRoute } from "../../local/httpHost";
import { decodeQueueMessage } from "../../local/queueHost";

test("TimeSpans as host.json writes them", () => {
  assert.equal(parseTimeSpan("00:00:30"), 30_000);
  assert.equal(parseTimeSpan("01:02:03.5"), 3_723_500);
  assert.throws(() => parseTimeSpan("30s"));
});

test("the local runtime reads the project's host.json", () => {
  const settings = readHostSettings();
  assert.equal(settings.routePrefix, "api");
  assert.equal(settings.queues.maxDequeueCount, 5);
  assert.equal(settings.queues.batchSize, 1);
  assert.equal(settings.queues.newBatchThreshold, 0);
  assert.equal(settings.queues.visibilityTimeoutMs, 30_000);
});

test("route templates match like the host's", () => {
  const { pattern, names } = compileRoute("api", "v1/submit/{docType}/{docVersion}/{docId}");
  assert.deepEqual(names, ["docType", "docVersion", "docId"]);
  assert.deepEqual(pattern.exec("/api/v1/submit/usage/1/abc")?.slice(1), ["usage", "1", "abc"]);
  assert.equal(pattern.exec("/api/v1/submit/usage/1"), null);
  assert.equal(pattern.exec("/api/v1/submit/usage/1/abc/extra"), null);
  assert.equal(compileRoute("api", "v1/batch").pattern.test("/api/v1/batchx"), false);
});

test("queue messages decode as the host's base64 encoding does", () => {
  assert.deepEqual(decodeQueueMessage(Buffer.from('{"a":1}').toString("base64")), { a: 1 });
  assert.equal(decodeQueueMessage(Buffer.from("plain text").toString("base64")), "plain text");
});
