import assert from "node:assert/strict";
import { test } from "node:test";
import { redactKeys } from "../../../shared/telemetry/redactKeys";

test("a code= query parameter loses its value, wherever it sits in the query and whatever its case", () => {
  assert.equal(redactKeys("GET //[?code=k1 failed"), "GET //[?code=REDACTED failed");
  assert.equal(redactKeys("/api/v1/stats/os?week=2026-W47&code=k-1_2%2B3&x=2"), "/api/v1/stats/os?week=2026-W47&code=REDACTED&x=2");
  assert.equal(redactKeys("http://h/a?CODE=k#fragment"), "http://h/a?CODE=REDACTED#fragment");
  assert.equal(redactKeys('{"url":"http://h/?code=k"}'), '{"url":"http://h/?code=REDACTED"}');
});

test("a percent-encoded URL inside another loses its key too", () => {
  assert.equal(redactKeys("next=http%3A%2F%2Fh%2Fa%3Fcode%3Dk%26b%3D1"), "next=http%3A%2F%2Fh%2Fa%3Fcode%3DREDACTED%26b%3D1");
});

test("other parameters and text are left as they are", () => {
  for (const text of ["errorcode=5", "?codex=1&x=code", "/api/health", "the code= is not a parameter"]) assert.equal(redactKeys(text), text);
});
