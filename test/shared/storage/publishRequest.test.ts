import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { decodePublishRequest, encodePublishRequest, PublishRequestFormatError } from "../../../shared/storage/publishRequest";

test("a request decodes as the host hands it over (parsed JSON or text); anything else is a PublishRequestFormatError", () => {
  const text = Buffer.from(encodePublishRequest({ v: 1, week: "2026-W10" }), "base64").toString("utf8");
  assert.deepEqual(decodePublishRequest(text), { v: 1, week: "2026-W10" });
  assert.deepEqual(decodePublishRequest(JSON.parse(text)), { v: 1, week: "2026-W10" });
  for (const bad of ["{", "[]", { v: 2, week: "2026-W10" }, { v: 1 }, { v: 1, week: "2026-W54" }, { v: 1, week: "2026-W10' or true" }, null]) {
    assert.throws(() => decodePublishRequest(bad), PublishRequestFormatError, JSON.stringify(bad));
  }
});

test("whatever arrives on the queue decodes or is a PublishRequestFormatError, never a crash", () => {
  fc.assert(
    fc.property(fc.oneof(fc.jsonValue(), fc.string(), fc.record({ v: fc.constant(1), week: fc.string() })), (message) => {
      try {
        decodePublishRequest(message);
      } catch (error) {
        assert.ok(error instanceof PublishRequestFormatError, String(error));
      }
    }),
  );
});

test("the wire format stays as requests already on the queue carry it", () => {
  const onQueue = Buffer.from('{"v":1,"week":"2026-W10"}', "utf8").toString("base64");
  assert.equal(encodePublishRequest({ v: 1, week: "2026-W10" }), onQueue);
});
