import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { PublishedRow } from "../../shared/publishing/publishedRows";

/** A Parquet file as DuckDB (a reader nobody here wrote) reads it. */
export interface ParquetAsRead {
  /** Column name → physical Parquet type (`INT64`, `DOUBLE`, `BYTE_ARRAY`), in file order. */
  types: [name: string, type: string | null][];
  rows: Record<string, unknown>[];
  /** The file's key-value metadata. */
  metadata: Record<string, string>;
}

let instance: Promise<DuckDBInstance> | undefined;

/** A text cell as DuckDB gives it (names, types and metadata are all text here). */
const text = (cell: unknown): string => (typeof cell === "string" ? cell : JSON.stringify(cell));

/** Writes the bytes to a temporary file and reads them back with DuckDB. */
export async function readParquet(bytes: Uint8Array): Promise<ParquetAsRead> {
  const folder = await mkdtemp(join(tmpdir(), "duck-parquet-"));
  const file = join(folder, "part-0.parquet");
  try {
    await writeFile(file, bytes);
    const connection = await (await (instance ??= DuckDBInstance.create(":memory:"))).connect();
    try {
      const quoted = `'${file.replaceAll("'", "''")}'`;
      const schema = (await connection.runAndReadAll(`SELECT name, type FROM parquet_schema(${quoted}) WHERE num_children IS NULL`)).getRowObjectsJS();
      const rows = (await connection.runAndReadAll(`SELECT * FROM read_parquet(${quoted})`)).getRowObjectsJS();
      const kv = (await connection.runAndReadAll(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${quoted})`)).getRowObjectsJS();
      return {
        types: schema.map((r) => [text(r["name"]), r["type"] === null ? null : text(r["type"])]),
        rows,
        metadata: Object.fromEntries(kv.map((r) => [text(r["key"]), text(r["value"])])),
      };
    } finally {
      connection.closeSync();
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The columns the contract (section 4.3) names, in its order. */
export const DATASET_COLUMNS = ["week", "dimension", "kind", "value", "hierarchies", "clients", "count", "sum", "mean", "min", "max", "p50", "p90", "p99"];

/** A published row as section 4.3 says its Parquet row reads: counts as bigint, null where the kind has no such figure. */
export function asParquetRow(week: string, row: PublishedRow): Record<string, unknown> {
  const count = (value: number | undefined) => (value === undefined ? null : BigInt(value));
  const figure = (name: "sum" | "mean" | "min" | "max" | "p50" | "p90" | "p99") => (row.kind === "distribution" ? row[name] : null);
  return {
    week,
    dimension: row.dimension,
    kind: row.kind,
    value: row.kind === "distribution" ? null : row.value,
    hierarchies: BigInt(row.hierarchies),
    clients: count("clients" in row ? row.clients : undefined),
    count: count("count" in row ? row.count : undefined),
    sum: figure("sum"),
    mean: figure("mean"),
    min: figure("min"),
    max: figure("max"),
    p50: figure("p50"),
    p90: figure("p90"),
    p99: figure("p99"),
  };
}

/** Rows in one order, whatever order they were read in: by dimension, then value. */
export function inRowOrder(rows: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const key = (r: Record<string, unknown>) => `${String(r["dimension"])}\u0000${r["value"] === null ? "" : text(r["value"])}`;
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
