/**
 * Large JSON values in table entities. A string property holds at most 64 KiB (32 Ki UTF-16
 * code units), so a value is split over `name`, `name_1`, `name_2`…; an entity holds 1 MiB,
 * which bounds how large a value can get.
 */
export const JSON_CHUNK_UNITS = 30_000;
const CHUNK = JSON_CHUNK_UNITS;

/** Properties holding `value` as JSON under `name`. */
export function toJsonProperties(name: string, value: unknown): Record<string, string> {
  const text = JSON.stringify(value);
  const properties: Record<string, string> = {};
  for (let start = 0, i = 0; start < text.length || i === 0; i++) {
    let end = Math.min(start + CHUNK, text.length);
    // Never between the two halves of a surrogate pair: a lone half is not valid UTF-16 to the service.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    properties[i === 0 ? name : `${name}_${i}`] = text.slice(start, end);
    start = end;
  }
  return properties;
}

/** The JSON value kept under `name` by `toJsonProperties`, or `fallback` when there is none. */
export function fromJsonProperties<T>(entity: Record<string, unknown>, name: string, fallback: T): T {
  const first = entity[name];
  if (typeof first !== "string") return fallback;
  let text = first;
  for (let i = 1; typeof entity[`${name}_${i}`] === "string"; i++) text += entity[`${name}_${i}`] as string;
  return JSON.parse(text) as T;
}

/** A count read back from a table: Int64 arrives as bigint or string, Int32 and Double as number. */
export function toCount(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint" || typeof value === "string") return Number(value);
  return 0;
}

/** An Edm.Int64 property value, so that sums past 2^31 stay whole numbers a table client can filter on. */
export function int64(value: number): { value: string; type: "Int64" } {
  return { value: String(value), type: "Int64" };
}
