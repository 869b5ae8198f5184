/**
 * Large JSON values in table entities. A string property holds at most 64 KiB (32 Ki UTF-16
 * code units), so a value is split over `name`, `name_1`, `name_2`…; an entity holds 1 MiB,
 * which bounds how large a value can get.
 */
const CHUNK = 30_000;

/** Properties holding `value` as JSON under `name`. */
export function toJsonProperties(name: string, value: unknown): Record<string, string> {
  const text = JSON.stringify(value);
  const properties: Record<string, string> = { [name]: text.slice(0, CHUNK) };
  for (let i = 1; i * CHUNK < text.length; i++) properties[`${name}_${i}`] = text.slice(i * CHUNK, (i + 1) * CHUNK);
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
