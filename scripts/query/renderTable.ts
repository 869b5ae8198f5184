/**
 * Terminal tables for `npm run query`: columns padded to their widest cell, numbers
 * right-aligned so that digits line up, text left-aligned. Pure, so it is tested alone.
 */

export type Align = "left" | "right";

export interface TextColumn {
  title: string;
  align: Align;
}

export interface TextTable {
  columns: readonly TextColumn[];
  /** Each as long as `columns`. */
  rows: readonly (readonly string[])[];
}

const GAP = "  ";

const graphemes = new Intl.Segmenter("en", { granularity: "grapheme" });

/** Width on a terminal, taken as one column a grapheme: an East Asian wide character (two columns) is rare enough in these names to be off by one. */
const widthOf = (text: string): number => Array.from(graphemes.segment(text)).length;

/** A cell flattened to one line: a line break or tab in a value (an OS name may hold one) would break the table's rows. */
const oneLine = (text: string): string => text.replace(/[\r\n\t]/g, " ");

function pad(text: string, width: number, align: Align): string {
  const fill = " ".repeat(width - widthOf(text));
  return align === "right" ? fill + text : text + fill;
}

/**
 * The table as lines of text: a header, a rule of dashes under each column, then the rows.
 * No line ends in spaces.
 *
 * @throws RangeError when a row is not as long as the columns.
 */
export function renderTable(table: TextTable): string {
  for (const row of table.rows) if (row.length !== table.columns.length) throw new RangeError(`a row of ${row.length} cells under ${table.columns.length} columns`);
  const cells = [table.columns.map((c) => oneLine(c.title)), ...table.rows.map((row) => row.map(oneLine))];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((row) => widthOf(row[i]!))));
  const line = (row: readonly string[]) => row.map((cell, i) => pad(cell, widths[i]!, table.columns[i]!.align)).join(GAP).trimEnd();
  return [line(cells[0]!), widths.map((w) => "-".repeat(w)).join(GAP), ...cells.slice(1).map(line)].join("\n");
}

const counts = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const figures = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** A whole count with thousands separators (`1,234,567`); another number to two decimals; null as `-`. */
export function formatNumber(value: number | null): string {
  if (value === null) return "-";
  return Number.isInteger(value) ? counts.format(value) : figures.format(value);
}

/** `part` as a percentage of `whole` with one decimal (`42.9%`); `-` when the whole is 0. */
export function formatShare(part: number, whole: number): string {
  return whole === 0 ? "-" : `${(Math.round((part / whole) * 1000) / 10).toFixed(1)}%`;
}
