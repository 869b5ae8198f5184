/**
 * CSV as RFC 4180 writes it: CRLF after every record (the header too), and a field quoted
 * when it holds `,`, `"`, CR or LF, its quotes doubled. UTF-8 without a byte order mark:
 * the media type's charset parameter says the encoding.
 */
import type { HttpResponseInit } from "@azure/functions";

/** A field: text as given, or a count written in decimal. */
export type CsvValue = string | number;

/** A CSV document: one header row, then the records, each as long as the header. */
export interface CsvTable {
  header: readonly string[];
  rows: readonly (readonly CsvValue[])[];
}

/**
 * Leading characters that make a spreadsheet read a cell as a formula (OWASP's CSV
 * injection list: `=`, `+`, `-`, `@`, tab, CR; and their full-width forms, which some
 * spreadsheet applications fold to ASCII).
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Text that a spreadsheet would run as a formula gets a leading `'`, which spreadsheets show
 * as text and do not display. This changes the data a CSV parser reads: a name that starts
 * with one of those characters arrives with an extra `'` in front. The JSON form always
 * carries the exact name. Numbers are ours (counts), never client text, and stay as they are.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field as it goes on the wire: guarded against formulas, then quoted if RFC 4180 requires it. */
export function csvField(value: CsvValue): string {
  if (typeof value === "number") return String(value);
  const text = guardFormula(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole document: the header row and every record, each ended by CRLF. */
export function toCsv(table: CsvTable): string {
  let text = "";
  for (const row of [table.header, ...table.rows]) text += `${row.map(csvField).join(",")}\r\n`;
  return text;
}

/** A CSV response; `body` a string, as jsonResponse sends it, so that both hosts send the same bytes. */
export function csvResponse(status: number, csv: string, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, headers: { "Content-Type": "text/csv; charset=utf-8", ...headers }, body: csv };
}
