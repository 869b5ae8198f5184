/**
 * A list of names in table entities as UTF-16 code units, in Edm.Binary properties: each
 * name is one unit holding its length (names are at most 128 units) and then its units.
 * A snapshot row keeps the names it must be able to take out of the rollup again, and as JSON
 * those can cost six characters (12 bytes) a unit: a control character is written `\u0001`.
 * Here a unit costs 2 bytes whatever it is, lone surrogates included, which a String
 * property could not even hold; so the worst document's names fit one row.
 */
import { tableLimits } from "./tableLimits";

/** The longest name the list holds: its length must fit the one unit before it. */
const MAX_NAME_UNITS = 0xffff;
/** Bytes a Binary property holds (64 KiB), in whole code units. */
const CHUNK_BYTES = tableLimits.maxValueBytes;

/** Properties holding `names` under `property`, `property_1`, …; none for an empty list. */
export function toBinaryNameProperties(property: string, names: readonly string[]): Record<string, Uint8Array> {
  const text = names
    .map((name) => {
      if (name.length > MAX_NAME_UNITS) throw new RangeError(`a name of ${name.length} code units is longer than a binary name list holds`);
      return String.fromCharCode(name.length) + name;
    })
    .join("");
  // utf16le writes each code unit as it is, lone surrogates too.
  const bytes = Buffer.from(text, "utf16le");
  const properties: Record<string, Uint8Array> = {};
  for (let start = 0, i = 0; start < bytes.length; start += CHUNK_BYTES, i++) {
    properties[i === 0 ? property : `${property}_${i}`] = new Uint8Array(bytes.subarray(start, start + CHUNK_BYTES));
  }
  return properties;
}

/** The names kept under `property` by toBinaryNameProperties; an empty list when there are none. */
export function fromBinaryNameProperties(entity: Record<string, unknown>, property: string): string[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; ; i++) {
    const chunk = entity[i === 0 ? property : `${property}_${i}`];
    if (!(chunk instanceof Uint8Array)) break;
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf16le");
  const names: string[] = [];
  for (let at = 0; at < text.length; ) {
    const length = text.charCodeAt(at);
    names.push(text.slice(at + 1, at + 1 + length));
    at += 1 + length;
  }
  return names;
}
