/**
 * Hierarchy and site ids as ConfigMgr makes them (contract section 1): SHA-256 over the
 * bytes of a GUID as .NET `Guid.ToByteArray()` lays them out, in standard Base64.
 */
import { createHash } from "node:crypto";

const GUID_PATTERN = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;

/**
 * The 16 bytes `Guid.ToByteArray()` returns for a GUID written `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`:
 * .NET stores the first three groups as a little-endian Int32, Int16 and Int16, and the last
 * eight bytes as written. So `35918bc9-196d-40ea-…` starts `C9 8B 91 35 6D 19 EA 40`.
 *
 * @throws RangeError when `guid` is not in that form.
 */
export function toDotnetGuidBytes(guid: string): Buffer {
  const match = GUID_PATTERN.exec(guid);
  if (match === null) throw new RangeError(`not a GUID: ${guid}`);
  const [, a, b, c, d, e] = match as unknown as [string, string, string, string, string, string];
  const littleEndian = (hex: string) => Buffer.from(hex, "hex").reverse();
  return Buffer.concat([littleEndian(a), littleEndian(b), littleEndian(c), Buffer.from(d + e, "hex")]);
}

/** The id ConfigMgr sends for a GUID: Base64 SHA-256 of its .NET byte layout (44 characters). */
export function hashDotnetGuid(guid: string): string {
  return createHash("sha256").update(toDotnetGuidBytes(guid)).digest("base64");
}
