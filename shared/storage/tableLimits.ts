import type { TransactionAction } from "@azure/data-tables";
import { TableLimitError } from "../errors";

/**
 * What Azure Table Storage refuses, from "Understanding the Table service data model" and
 * "Performing entity group transactions". Azurite does not enforce these inside entity group
 * transactions, so without a check of our own a test on Azurite passes where Azure fails.
 */
export const tableLimits = Object.freeze({
  /** All data of an entity, measured by `entitySize`. */
  maxEntityBytes: 1024 * 1024,
  /** Edm.String (UTF-16) and Edm.Binary values: 64 KiB, so 32 Ki UTF-16 code units. */
  maxValueBytes: 64 * 1024,
  /** PartitionKey and RowKey: 1 KiB each (UTF-16). */
  maxKeyBytes: 1024,
  /** Properties of an entity, PartitionKey, RowKey and Timestamp included. */
  maxProperties: 255,
  maxPropertyNameLength: 255,
  maxTransactionOperations: 100,
  /** The payload of an entity group transaction: its HTTP body, as sent. */
  maxTransactionBytes: 4 * 1024 * 1024,
});

/** PartitionKey, RowKey and Timestamp: counted among the 255 properties, but not sent as our own. */
const SYSTEM_PROPERTIES = 3;
/** Keys of an SDK entity that are not properties of their own (the SDK maps them to keys and metadata). */
const NOT_PROPERTIES = new Set(["partitionKey", "rowKey", "etag", "timestamp"]);

type EdmType = "Binary" | "Boolean" | "DateTime" | "Double" | "Guid" | "Int32" | "Int64" | "String";

function isTyped(value: unknown): value is { value: unknown; type: EdmType } {
  return typeof value === "object" && value !== null && "value" in value && "type" in value;
}

/** The Edm type the service stores a value as, given how @azure/data-tables sends it. */
function edmTypeOf(value: unknown): EdmType {
  if (isTyped(value)) return value.type;
  if (typeof value === "string") return "String";
  if (typeof value === "boolean") return "Boolean";
  if (typeof value === "bigint") return "Int64";
  if (value instanceof Date) return "DateTime";
  if (value instanceof Uint8Array) return "Binary";
  // A number goes as a bare JSON number: the service reads a whole one within 32 bits as
  // Int32, anything else as Double (both 8 bytes when it is not an Int32).
  if (typeof value === "number") return Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 ? "Int32" : "Double";
  throw new TypeError(`not a table property value: ${typeof value}`);
}

/** Bytes of a String or Binary value (without the 4-byte length the formula adds). */
function variableBytes(value: unknown, type: "String" | "Binary"): number {
  const raw = isTyped(value) ? value.value : value;
  if (type === "String") return String(raw).length * 2; // UTF-16 code units, so a non-BMP character counts 4
  if (raw instanceof Uint8Array) return raw.byteLength;
  return Buffer.from(String(raw), "base64").byteLength; // the SDK's typed Binary is Base64 text
}

const FIXED_BYTES: Record<Exclude<EdmType, "String" | "Binary">, number> = { Int32: 4, Int64: 8, Double: 8, Boolean: 1, DateTime: 8, Guid: 16 };

/** Size of one value by the documented formula: String 4 + 2 per UTF-16 unit, Binary 4 + its bytes, else the type's fixed size. */
function valueSize(value: unknown): number {
  const type = edmTypeOf(value);
  return type === "String" || type === "Binary" ? 4 + variableBytes(value, type) : FIXED_BYTES[type];
}

/** The properties the service stores: `undefined` and `null` are not sent (the service keeps no nulls). */
function storedProperties(entity: Record<string, unknown>): [string, unknown][] {
  return Object.entries(entity).filter(([name, value]) => !NOT_PROPERTIES.has(name) && value !== undefined && value !== null);
}

const keyText = (entity: Record<string, unknown>, key: "partitionKey" | "rowKey"): string => {
  const text = entity[key];
  return typeof text === "string" ? text : "";
};

/**
 * An entity's size as Azure measures it: 4 bytes + len(PartitionKey + RowKey) × 2 + for each
 * property 8 bytes + len(name) × 2 + the size of its value (String: len × 2 + 4, Binary:
 * bytes + 4, Int32 4, Int64 8, Double 8, Boolean 1, DateTime 8, Guid 16). Lengths are UTF-16
 * code units. `entity` is as given to @azure/data-tables (`partitionKey`, `rowKey`, values
 * plain or `{value, type}`).
 */
export function entitySize(entity: Record<string, unknown>): number {
  let size = 4 + (keyText(entity, "partitionKey").length + keyText(entity, "rowKey").length) * 2;
  for (const [name, value] of storedProperties(entity)) size += 8 + name.length * 2 + valueSize(value);
  return size;
}

/** The JSON body @azure/data-tables sends for an entity: typed values carry an `@odata.type` annotation. */
function wireBody(entity: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { PartitionKey: entity["partitionKey"], RowKey: entity["rowKey"] };
  for (const [name, value] of storedProperties(entity)) {
    const type = edmTypeOf(value);
    const annotated = isTyped(value) || (type !== "String" && type !== "Boolean" && type !== "Int32" && type !== "Double");
    let sent: unknown = isTyped(value) ? value.value : value;
    if (typeof sent === "bigint") sent = sent.toString();
    if (sent instanceof Uint8Array) sent = Buffer.from(sent).toString("base64");
    body[name] = sent;
    if (annotated) body[`${name}@odata.type`] = `Edm.${type}`;
  }
  return body;
}

// Each operation of a batch carries MIME part headers and its request line (the table URL
// with both keys, percent-encoded at up to 3 bytes a UTF-8 byte) and HTTP headers (an If-Match
// ETag among them): about 450 bytes with a long account name. Counted generously.
const OPERATION_ENVELOPE_BYTES = 1024;
const BATCH_ENVELOPE_BYTES = 1024;

/**
 * The payload of an entity group transaction, as the SDK sends it: each operation's JSON body
 * in UTF-8 (deletes have none) plus a generous allowance for its MIME envelope and request line.
 * Azure counts this against 4 MiB, not the entities' sizes: a character takes 1 to 4 bytes here.
 */
export function transactionSize(actions: readonly TransactionAction[]): number {
  let size = BATCH_ENVELOPE_BYTES;
  for (const [kind, entity] of actions) {
    const keys = Buffer.byteLength(keyText(entity, "partitionKey") + keyText(entity, "rowKey"), "utf8");
    size += OPERATION_ENVELOPE_BYTES + keys * 3;
    if (kind !== "delete") size += Buffer.byteLength(JSON.stringify(wireBody(entity)), "utf8");
  }
  return size;
}

function refuse(limit: TableLimitError["limit"], actual: number, maximum: number, what: string): never {
  throw new TableLimitError(`${what}: ${limit} is ${actual}, Azure Table Storage takes at most ${maximum}`, limit, actual, maximum);
}

/** Throws `TableLimitError` when Azure would refuse to store `entity` (size, a value, a key, a name, or the property count). */
export function checkEntity(entity: Record<string, unknown>, what = `entity ${keyText(entity, "rowKey")}`): void {
  for (const key of ["partitionKey", "rowKey"] as const) {
    const bytes = keyText(entity, key).length * 2;
    if (bytes > tableLimits.maxKeyBytes) refuse("key bytes", bytes, tableLimits.maxKeyBytes, what);
  }
  const properties = storedProperties(entity);
  const count = properties.length + SYSTEM_PROPERTIES;
  if (count > tableLimits.maxProperties) refuse("properties", count, tableLimits.maxProperties, what);
  for (const [name, value] of properties) {
    if (name.length > tableLimits.maxPropertyNameLength) refuse("property name length", name.length, tableLimits.maxPropertyNameLength, what);
    const type = edmTypeOf(value);
    if (type !== "String" && type !== "Binary") continue;
    const bytes = variableBytes(value, type);
    if (bytes > tableLimits.maxValueBytes) refuse("value bytes", bytes, tableLimits.maxValueBytes, `${what}, property ${name}`);
  }
  const size = entitySize(entity);
  if (size > tableLimits.maxEntityBytes) refuse("entity bytes", size, tableLimits.maxEntityBytes, what);
}

/** Throws `TableLimitError` when Azure would refuse the transaction, or any entity in it. */
export function checkTransaction(actions: readonly TransactionAction[], what = "transaction"): void {
  if (actions.length > tableLimits.maxTransactionOperations) refuse("operations", actions.length, tableLimits.maxTransactionOperations, what);
  for (const [kind, entity] of actions) {
    if (kind !== "delete") checkEntity(entity, `${what}, entity ${keyText(entity, "rowKey")}`);
  }
  const size = transactionSize(actions);
  if (size > tableLimits.maxTransactionBytes) refuse("transaction bytes", size, tableLimits.maxTransactionBytes, what);
}
