/**
 * JSON with every object's keys sorted, so that two serialisations of the same document
 * (other key order, other white space, gzip or not) give the same bytes and the same hash.
 * Keys are read with Object.keys, so `__proto__` and `constructor` are ordinary names.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${members.join(",")}}`;
}
