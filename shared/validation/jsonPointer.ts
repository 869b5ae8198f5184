/**
 * RFC 6901 JSON Pointers, the `path` of every `DocumentError`.
 *
 * Map keys are free text (an OS name may be `a/b~c`), so every segment is escaped:
 * `~` first, then `/`, as section 4 of the RFC requires for a round trip.
 */

/** Escapes one reference token: `~` becomes `~0`, `/` becomes `~1`. */
export function escapeJsonPointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Builds a pointer from unescaped segments; no segments is the root, `""`. */
export function toJsonPointer(segments: readonly (string | number)[]): string {
  let pointer = "";
  for (const segment of segments) pointer += "/" + escapeJsonPointerSegment(String(segment));
  return pointer;
}

/** Appends one unescaped segment to an (escaped) pointer. */
export function appendJsonPointer(pointer: string, segment: string | number): string {
  return pointer + "/" + escapeJsonPointerSegment(String(segment));
}
