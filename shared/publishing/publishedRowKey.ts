import { createHash } from "node:crypto";
import type { PublishedRow } from "./publishedRows";

/** The RowKey of a week's `~published` row; `~` sorts after every dimension name, so it comes last in a listing. */
export const PUBLISHED_ROW_KEY = "~published";

/** Longest RowKey in UTF-16 code units: Azure takes 1 KiB, and counts two bytes a unit. */
const MAX_KEY_UNITS = 1024 / 2;

/** A surrogate not paired with its other half: `u` mode reads a pair as one astral code point. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * The RowKey of a published row: the dimension name alone for a distribution, else
 * `<dimension>|<base64url of the value>`. A value may be any text, and `/`, `\`, `#`, `?` and
 * control characters are not allowed in a key; base64url has none of them.
 *
 * The key is injective: two values that differ are two keys (contract section 3), for every
 * JS string. A well-formed value is encoded as UTF-8. UTF-8 cannot carry an unpaired
 * surrogate (it writes U+FFFD for each, so `"\ud800"` and `"\ud801"` would share a key and
 * refuse the whole week's transaction), so a value with one is encoded as its UTF-16 code
 * units instead, after `!`, which base64url never writes. A key too long for Azure (1 KiB)
 * is the SHA-256 of those same bytes after `~`, which base64url never writes either, so the
 * forms cannot meet. Either way the key is a function of the value alone, so a week's rows
 * are the same keys every time it is published.
 */
export function publishedRowKey(row: Pick<PublishedRow, "dimension"> & { value?: string }): string {
  if (row.value === undefined) return row.dimension;
  const wellFormed = !UNPAIRED_SURROGATE.test(row.value);
  const mark = wellFormed ? "" : "!";
  const bytes = Buffer.from(row.value, wellFormed ? "utf8" : "utf16le");
  const plain = `${row.dimension}|${mark}${bytes.toString("base64url")}`;
  if (plain.length <= MAX_KEY_UNITS) return plain;
  return `${row.dimension}|~${mark}${createHash("sha256").update(bytes).digest("base64url")}`;
}
