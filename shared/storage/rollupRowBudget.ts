/**
 * How much a rollup row may hold: the byte arithmetic that keeps every row rollupRowCodec
 * writes within Azure's entity limit, whatever its counts grow to later.
 */
import { dimensionNamed, dimensions } from "../aggregation/dimensions";
import { ROLLUP_SHARDS } from "../aggregation/hierarchyKey";
import { emptyRollup, type RollupBudget, type RollupList } from "../aggregation/weekRollup";
import { JSON_CHUNK_UNITS } from "./jsonProperties";
import { dimensionProperty, rollupToEntity } from "./rollupRowCodec";
import { entitySize, tableLimits } from "./tableLimits";

type Entity = Record<string, unknown>;

// Counts in a rollup row are sums of counts the schema bounds at 1e9 over at most millions of
// snapshots, so they stay below 2^53: never longer than Number.MAX_SAFE_INTEGER's 16 digits
// (a minus sign included, for a count on its way down).
const COUNT_CHARS = String(Number.MAX_SAFE_INTEGER).length + 1;
/** The longest bucket index (EXACT_BASE of logBuckets.ts is about -4.5e15). */
const BUCKET_CHARS = 17;
/**
 * The longest exact sum text: values below 2^40 (the schema's largest is 1e12) over fewer than
 * 2^32 snapshots are below 2^72, so with 1074 bits of fraction a sum has at most 1146 bits:
 * 287 hex digits, a sign and the exponent.
 */
const SUM_CHARS = 287 + 1 + "p-1074".length;

/**
 * Bytes (UTF-16, as Azure counts them) of one entry of a rollup row's JSON lists, with every
 * count at its longest, so that an entry's cost never grows after it is admitted: `[name,n,n,n]`
 * or `[bucket,n]`, and the comma before the next entry.
 */
function rollupEntryBytes(list: RollupList, name: string): number {
  const kind = list === "features" ? "features" : dimensionNamed(list)?.kind;
  if (kind === "distribution") return (BUCKET_CHARS + 1 + COUNT_CHARS + 2 + 1) * 2;
  return (JSON.stringify(name).length + 3 * (1 + COUNT_CHARS) + 2 + 1) * 2;
}

/** A rollup row without entries, every count and sum at its longest. */
function bareRollupRow(): Entity {
  const rollup = emptyRollup();
  const longest = Number.MAX_SAFE_INTEGER;
  rollup.hierarchies = longest;
  rollup.clients = longest;
  rollup.featureHierarchies = longest;
  for (const d of rollup.dimensions.values()) {
    d.hierarchies = -longest;
    d.clients = -longest;
  }
  const entity = rollupToEntity("2026-W53", ROLLUP_SHARDS - 1, rollup);
  for (const d of dimensions) {
    if (d.kind === "distribution") entity[dimensionProperty(d.name)] = `[${-longest},${-longest},"${"f".repeat(SUM_CHARS)}",[]]`;
  }
  return entity;
}

/**
 * What the rows of rollupToEntity may spend on entries: 1 MiB less the row without entries
 * (keys, counts, empty lists) and the continuation properties (`d_os_1`, …) that a row of
 * 1 MiB of text can need (each list's text is split every JSON_CHUNK_UNITS - 1 units at worst,
 * plus one more for each list, and `d_collectionRuntimeSeconds_NN` is the longest such name).
 */
function rollupRowBytes(): number {
  const longestName = Math.max(...dimensions.map((d) => dimensionProperty(d.name).length)) + "_NN".length;
  const splits = Math.ceil(tableLimits.maxEntityBytes / 2 / (JSON_CHUNK_UNITS - 1)) + dimensions.length + 1;
  return tableLimits.maxEntityBytes - entitySize(bareRollupRow()) - splits * (8 + longestName * 2 + 4);
}

/**
 * The budget `addContribution` keeps a rollup row within: Azure's entity limit. As sent, a
 * row is at most 1.5 times that (a UTF-16 unit is 2 bytes here and at most 3 in UTF-8), and a
 * snapshot row well under 1 MiB (its names are Binary, sent as Base64), so their transaction
 * stays far below the 4 MiB a transaction may carry.
 */
export const rollupRowBudget: RollupBudget = Object.freeze({ bytes: rollupRowBytes(), entryBytes: rollupEntryBytes });
