import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAccept, prefersCsv } from "../../../shared/http/accept";

test("prefersCsv, table-driven", () => {
  const cases: [string | null, boolean][] = [
    [null, false],
    ["", false],
    ["*/*", false],
    ["application/json", false],
    ["text/csv", true],
    ["TEXT/CSV", true],
    ["text/csv; charset=utf-8", true],
    ["text/csv;q=0", false],
    ["text/csv;q=0.000", false],
    ["text/csv;q=0.001", true],
    ["text/csv, application/json", false], // equal weight, equally specific: the default
    ["application/json, text/csv", false],
    ["text/csv, application/json;q=0.9", true],
    ["text/csv;q=0.5, application/json", false],
    ["application/json;q=0, text/csv;q=0.1", true],
    ["text/csv, */*", true], // named more specifically than JSON's catch-all
    ["text/csv;q=0.5, */*;q=0.5", true],
    ["*/*, text/csv;q=0", false], // an exact range overrides the catch-all
    ["text/*", true],
    ["text/*, application/json", false],
    ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", false], // a browser
    ["application/xml", false], // neither acceptable: JSON anyway
    ["text/csv;q=2", false], // not a qvalue: the range is ignored
    ["text/csv;q=abc, application/json", false],
    ["text/csv;q=1.0;ext=1", true],
    ['text/csv;foo="a,b";q=0.9, application/json;q=0.5', true], // a comma inside a quoted string
    ["text/csv/extra", false],
    ["*/csv", false],
    ["garbage, text/csv", true],
  ];
  for (const [header, csv] of cases) assert.equal(prefersCsv(header), csv, String(header));
});

test("parseAccept reads types, subtypes and weights", () => {
  assert.deepEqual(parseAccept(" Text/CSV ; q=0.5 , application/json"), [
    { type: "text", subtype: "csv", q: 0.5 },
    { type: "application", subtype: "json", q: 1 },
  ]);
  assert.deepEqual(parseAccept(undefined), []);
});
