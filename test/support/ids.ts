import { createHash } from "node:crypto";

/** A realistic hierarchy id: standard Base64 of a SHA-256, as SCPs send them (44 chars, `=` at the end). */
export function hierarchyIdOf(label: string): string {
  return createHash("sha256").update(label).digest("base64");
}
