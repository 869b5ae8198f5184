import assert from "node:assert/strict";
import { test } from "node:test";
import { UnsupportedMediaTypeError } from "../../../shared/errors";
import { requireMediaType } from "../../../shared/http/contentType";

test("content types and charsets, table-driven", () => {
  const json = ["application/json"];
  const cases: [string | null, boolean][] = [
    ["application/json", true],
    ["Application/JSON", true],
    ["application/json; charset=utf-8", true],
    ['application/json;charset="UTF-8"', true],
    ["application/json; charset=utf8", true],
    ["application/json; boundary=x", true],
    ["application/json; charset=iso-8859-1", false],
    ["application/json; charset=utf-16", false],
    ["text/json", false],
    ["application/jsonx", false],
    ["", false],
    [null, false],
  ];
  for (const [header, ok] of cases) {
    if (ok) assert.doesNotThrow(() => requireMediaType(header, json), String(header));
    else assert.throws(() => requireMediaType(header, json), UnsupportedMediaTypeError, String(header));
  }
});
