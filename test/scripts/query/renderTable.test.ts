import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { formatNumber, formatShare, renderTable, type TextTable } from "../../../scripts/query/renderTable";

test("columns fit their widest cell; numbers right-aligned, text left; no line ends in spaces", () => {
  const table: TextTable = {
    columns: [
      { title: "version", align: "left" },
      { title: "hierarchies", align: "right" },
      { title: "share", align: "right" },
    ],
    rows: [
      ["2409", "1,204", "66.7%"],
      ["2403 (old)", "7", "0.4%"],
    ],
  };
  assert.equal(
    renderTable(table),
    ["version     hierarchies  share", "----------  -----------  -----", "2409              1,204  66.7%", "2403 (old)            7   0.4%"].join("\n"),
  );
});

test("a line break or tab inside a value cannot break a row", () => {
  const rendered = renderTable({ columns: [{ title: "os", align: "left" }], rows: [["Windows\r\n11\tPro"]] });
  assert.deepEqual(rendered.split("\n"), ["os", "---------------", "Windows  11 Pro"]);
});

test("a row that is not as long as the columns is refused", () => {
  assert.throws(() => renderTable({ columns: [{ title: "a", align: "left" }], rows: [["1", "2"]] }), RangeError);
});

test("property: every cell starts (left) or ends (right) at its column's edge, and the rule spans each column", () => {
  const cell = fc.string({ unit: fc.constantFrom("a", "B", "7", " ", "é", ","), maxLength: 12 }).map((s) => s.trim());
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom<"left" | "right">("left", "right"), { minLength: 1, maxLength: 5 }).chain((aligns) =>
        fc.record({ aligns: fc.constant(aligns), rows: fc.array(fc.array(cell, { minLength: aligns.length, maxLength: aligns.length }), { maxLength: 6 }) }),
      ),
      ({ aligns, rows }) => {
        const columns = aligns.map((align, i) => ({ title: `c${i}`, align }));
        const lines = renderTable({ columns, rows }).split("\n");
        assert.equal(lines.length, rows.length + 2);
        const rules = lines[1]!.split("  ");
        assert.equal(rules.length, columns.length);
        const widths = rules.map((r) => r.length);
        let start = 0;
        for (const [i, width] of widths.entries()) {
          for (const [r, row] of [[`c${i}`], ...rows.map((cells) => [cells[i]!])].entries()) {
            const text = row[0]!;
            const field = lines[r === 0 ? 0 : r + 1]!.padEnd(start + width).slice(start, start + width);
            if (aligns[i] === "right") assert.equal(field, text.padStart(width));
            else assert.equal(field, text.padEnd(width));
          }
          start += width + 2;
        }
        for (const line of lines) assert.equal(line, line.trimEnd());
      },
    ),
  );
});

test("counts get thousands separators, other figures two decimals, null a dash", () => {
  assert.deepEqual([1234567, 0, 51858.5, 2.345, null].map(formatNumber), ["1,234,567", "0", "51,858.5", "2.35", "-"]);
});

test("shares are percentages with one decimal; a share of nothing is a dash", () => {
  assert.deepEqual([formatShare(2, 3), formatShare(3, 3), formatShare(0, 5), formatShare(1, 0), formatShare(1, 1000)], ["66.7%", "100.0%", "0.0%", "-", "0.1%"]);
});
