const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID in its usual 8-4-4-4-12 hex form, any letter case: the shape of every docId. */
export function isUuid(text: string): boolean {
  return UUID.test(text);
}
