/**
 * Hierarchy ids are standard Base64 (`+`, `/`, `=`), which neither URLs nor table keys take
 * (`/` is forbidden in PartitionKey and RowKey). Inside the service and in URLs they are
 * Base64url without padding: 43 characters.
 */
// The last character holds 2 zero padding bits: only 16 letters are canonical there.
const BASE64URL_ID = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const BASE64_ID = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** `KNvX…x4U=` to `KNvX…x4U`: the key used in tables and URLs. */
export function toHierarchyKey(hierarchyId: string): string {
  if (!BASE64_ID.test(hierarchyId)) throw new RangeError("not a Base64 SHA-256 hierarchy id");
  return hierarchyId.slice(0, 43).replace(/\+/g, "-").replace(/\//g, "_");
}

/** The id as SCPs send it, from its URL form; `undefined` when the text is not one. */
export function fromHierarchyKey(key: string): string | undefined {
  if (!BASE64URL_ID.test(key)) return undefined;
  return `${key.replace(/-/g, "+").replace(/_/g, "/")}=`;
}

/**
 * Shards a week's statistics are split over, so that concurrent workers rarely touch the same
 * row: with c documents of one week in flight, a commit races another on its row about
 * (c - 1) / ROLLUP_SHARDS of the time (8 shards lost 52% of commits at concurrency 32). A
 * query reads one entity per shard, all in one range query (at most 1,000 entities a page).
 * Changing it moves hierarchies between shards: only before there is data, or followed by
 * `npm run reaggregate` of every week (docs/operations.md).
 */
export const ROLLUP_SHARDS = 256;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The shard of a hierarchy: its id is already a uniform hash, so its first two characters (4,096 values) will do. */
export function shardOf(hierarchyKey: string): number {
  const digit = (i: number) => Math.max(0, ALPHABET.indexOf(hierarchyKey[i] ?? "A"));
  return (digit(0) * 64 + digit(1)) % ROLLUP_SHARDS;
}
