/**
 * docs/dimensions.md cannot drift from the declared list: its table, between the two
 * marker comments, is exactly what the list writes. When this fails, paste the expected
 * table the message shows between the markers.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { dimensions, type Dimension } from "../../../shared/aggregation/dimensions";
import { findProjectRoot } from "../../../scripts/generateTypes";

const BEGIN = "<!-- dimensions table: written from shared/aggregation/dimensions.ts, checked by test/shared/aggregation/dimensionsDoc.test.ts -->";
const END = "<!-- end of dimensions table -->";

/** A Markdown table cell: `|` would end it. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}

/** The table as docs/dimensions.md must hold it. */
function dimensionsTable(list: readonly Dimension[]): string {
  const rows = list.map((d) => `| \`${d.name}\` | ${d.kind} | ${d.level} | ${cell(d.description)} |`);
  return ["| name | kind | level | description |", "|---|---|---|---|", ...rows].join("\n");
}

test("docs/dimensions.md lists exactly the declared dimensions", () => {
  const text = readFileSync(join(findProjectRoot(__dirname), "docs", "dimensions.md"), "utf8");
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  assert.ok(begin >= 0 && end > begin, `docs/dimensions.md needs the lines\n${BEGIN}\n${END}`);
  assert.equal(text.slice(begin + BEGIN.length, end).trim(), dimensionsTable(dimensions));
});

test("the table escapes what would break a Markdown row", () => {
  const [first] = dimensions;
  assert.equal(dimensionsTable([{ ...first!, description: "a|b" }]).split("\n")[2], "| `version` | hierarchy | basic | a\\|b |");
});
