import { test } from "node:test";
import assert from "node:assert/strict";
import { appendJsonPointer, escapeJsonPointerSegment, toJsonPointer } from "../../../shared/validation/jsonPointer";

test("segments are escaped as RFC 6901 says: ~ before /", () => {
  assert.equal(escapeJsonPointerSegment("a/b~c"), "a~1b~0c");
  assert.equal(escapeJsonPointerSegment("~1"), "~01");
  assert.equal(escapeJsonPointerSegment("/~"), "~1~0");
  assert.equal(escapeJsonPointerSegment(""), "");
  assert.equal(escapeJsonPointerSegment("__proto__"), "__proto__");
});

test("pointers are built from unescaped segments; no segments is the root", () => {
  assert.equal(toJsonPointer([]), "");
  assert.equal(toJsonPointer(["sites", 3, "siteHash"]), "/sites/3/siteHash");
  assert.equal(toJsonPointer(["clients", "byOs", ""]), "/clients/byOs/");
  assert.equal(toJsonPointer(["clients", "byOs", "a/b~c"]), "/clients/byOs/a~1b~0c");
  assert.equal(appendJsonPointer("/clients/byOs", "Windows 11/ARM"), "/clients/byOs/Windows 11~1ARM");
  assert.equal(appendJsonPointer("", 0), "/0");
});
