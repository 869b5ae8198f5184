import type { ColumnSource, parquetWriteBuffer } from "hyparquet-writer" with { "resolution-mode": "import" };
import type { IsoWeek } from "../isoWeek";
import type { PublishedRow, PublishedSummary } from "../publishing/publishedRows";

/** The part of hyparquet-writer used here. */
interface Writer {
  parquetWriteBuffer: typeof parquetWriteBuffer;
}

/**
 * hyparquet-writer is an ES module, which this CommonJS build loads with import(); loaded on
 * the first publish, so that the HTTP routes' cold start never pays for it.
 */
let writer: Promise<Writer> | undefined;
const loadWriter = () => (writer ??= import("hyparquet-writer"));

/** Columns in the contract's order (section 4.3); the figures of a distribution. */
const FIGURES = ["sum", "mean", "min", "max", "p50", "p90", "p99"] as const;

/** A count as INT64 (the writer takes bigint for it), or null where the row's kind has none. */
const int64 = (value: number | undefined): bigint | null => (value === undefined ? null : BigInt(value));

/**
 * The Parquet file of a week's published rows (contract section 4.3): one row each, columns
 * `week`, `dimension`, `kind`, `value`, `hierarchies`, `clients`, `count`, `sum`, `mean`,
 * `min`, `max`, `p50`, `p90`, `p99`, counts INT64 and figures DOUBLE, null where the row's
 * kind has no such figure. Built from the row kinds alone, never from the dimension list, so
 * a new dimension appears in the file by itself. One row group (a week is a few thousand
 * rows), Snappy, and the summary (`asOf`, `minHierarchies`) in the key-value metadata.
 */
export async function encodeWeeklyDimensionsParquet(week: IsoWeek, rows: readonly PublishedRow[], summary: PublishedSummary): Promise<Uint8Array> {
  const { parquetWriteBuffer } = await loadWriter();
  const text = (name: string, data: (string | null)[], nullable: boolean): ColumnSource => ({ name, data, type: "STRING", nullable });
  const columnData: ColumnSource[] = [
    text("week", rows.map(() => week), false),
    text("dimension", rows.map((r) => r.dimension), false),
    text("kind", rows.map((r) => r.kind), false),
    text("value", rows.map((r) => (r.kind === "distribution" ? null : r.value)), true),
    { name: "hierarchies", data: rows.map((r) => BigInt(r.hierarchies)), type: "INT64", nullable: false },
    { name: "clients", data: rows.map((r) => int64("clients" in r ? r.clients : undefined)), type: "INT64" },
    { name: "count", data: rows.map((r) => int64("count" in r ? r.count : undefined)), type: "INT64" },
    ...FIGURES.map((name): ColumnSource => ({ name, data: rows.map((r) => (r.kind === "distribution" ? r[name] : null)), type: "DOUBLE" })),
  ];
  const file = parquetWriteBuffer({
    columnData,
    rowGroupSize: Math.max(rows.length, 1),
    kvMetadata: [
      { key: "asOf", value: summary.asOf.toISOString() },
      { key: "minHierarchies", value: String(summary.minHierarchies) },
    ],
    createdBy: "configmgr-usage-receiver",
  });
  return new Uint8Array(file);
}
