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

/** Shards a week's statistics are split over, so that concurrent workers rarely touch the same row. */
export const ROLLUP_SHARDS = 8;

/** The shard of a hierarchy: its id is already a uniform hash, so its first character will do. */
export function shardOf(hierarchyKey: string): number {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return alphabet.indexOf(hierarchyKey[0] ?? "A") % ROLLUP_SHARDS;
}
