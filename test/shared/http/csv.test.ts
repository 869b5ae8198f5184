import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { csvField, csvResponse, guardFormula, toCsv, type CsvValue } from "../../../shared/http/csv";

/**
 * A reference RFC 4180 parser, written from the grammar and nothing else: records end with
 * CRLF, a field is either plain (no `,` `"` CR LF) or quoted with `""` for a quote.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const record: string[] = [];
    for (;;) {
      let field = "";
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new Error("unterminated quoted field");
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
            } else {
              i++;
              break;
            }
          } else field += text.charAt(i++);
        }
      } else {
        while (i < text.length && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
          if (text[i] === '"') throw new Error(`bare quote at ${i}`);
          field += text.charAt(i++);
        }
      }
      record.push(field);
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text.startsWith("\r\n", i)) {
        i += 2;
        break;
      }
      throw new Error(`expected , or CRLF at ${i}, found ${JSON.stringify(text[i])}`);
    }
    records.push(record);
  }
  return records;
}

test("RFC 4180 quoting, table-driven", () => {
  const cases: [CsvValue, string][] = [
    ["plain", "plain"],
    ["", ""],
    ["with space", "with space"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ["line\nbreak", '"line\nbreak"'],
    ["cr\rhere", '"cr\rhere"'],
    ["crlf\r\nhere", '"crlf\r\nhere"'],
    ["Windows 10, \"LTSC\"\r\n", '"Windows 10, ""LTSC""\r\n"'],
    ["unicode ✓ ü 🙂", "unicode ✓ ü 🙂"],
    ["__proto__", "__proto__"],
    [0, "0"],
    [1234567890123, "1234567890123"],
    [-5, "-5"], // numbers are ours and never guarded
  ];
  for (const [value, wire] of cases) assert.equal(csvField(value), wire, JSON.stringify(value));
});

test("formula injection: a leading = + - @ tab or CR (and full-width = + - @) gets a leading apostrophe", () => {
  const cases: [string, string][] = [
    ["=1+1", "'=1+1"],
    ["+SUM(A1)", "'+SUM(A1)"],
    ["-2", "'-2"],
    ["@cmd", "'@cmd"],
    ["\tTab", "'\tTab"],
    ["\rCR", "'\rCR"],
    ["＝1+1", "'＝1+1"],
    ["＠x", "'＠x"],
    ["a=1", "a=1"], // only the first character matters
    [" =1", " =1"],
    ["'=already", "'=already"],
    ["", ""],
  ];
  for (const [text, guarded] of cases) assert.equal(guardFormula(text), guarded, JSON.stringify(text));
  // Guarded first, then quoted: the apostrophe sits inside the quotes.
  assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvField("\rCR"), `"'\rCR"`);
});

test("a table is a header and records, each ended by CRLF", () => {
  assert.equal(toCsv({ header: ["name", "clients"], rows: [["a,b", 1], ["c", 2]] }), 'name,clients\r\n"a,b",1\r\nc,2\r\n');
  assert.equal(toCsv({ header: ["name", "clients"], rows: [] }), "name,clients\r\n");
});

test("csvResponse says text/csv in UTF-8", () => {
  const response = csvResponse(200, "a\r\n");
  assert.equal(response.status, 200);
  assert.deepEqual(response.headers, { "Content-Type": "text/csv; charset=utf-8" });
  assert.equal(response.body, "a\r\n");
});

test("parsing the CSV back gives every field, guarded text as guarded", () => {
  const field = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 12 }),
    fc.string({ unit: fc.constantFrom(",", '"', "\r", "\n", "=", "+", "-", "@", "\t", "a", " ", "'"), maxLength: 8 }),
    fc.nat(),
  );
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(field, { minLength: 5, maxLength: 5 }), { maxLength: 6 }), (width, rawRows) => {
      const rows = rawRows.map((r) => r.slice(0, width));
      const header = Array.from({ length: width }, (_, i) => `c${i}`);
      const parsed = parseCsv(toCsv({ header, rows }));
      const expected = [header, ...rows.map((r) => r.map((v) => (typeof v === "number" ? String(v) : guardFormula(v))))];
      assert.deepEqual(parsed, expected);
    }),
    { numRuns: 500 },
  );
});

test("the reference parser itself rejects what RFC 4180 does not allow", () => {
  assert.throws(() => parseCsv('a"b\r\n'));
  assert.throws(() => parseCsv('"open\r\n'));
  assert.throws(() => parseCsv("no line end"));
  assert.deepEqual(parseCsv('"a""b",\r\n'), [['a"b', ""]]);
});
