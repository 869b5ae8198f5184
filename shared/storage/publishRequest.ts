import { isRecord } from "../isRecord";
import { parseIsoWeek, type IsoWeek } from "../isoWeek";

/** A request to publish one week's `WeeklyDimensions` rows: the publish queue's message. */
export interface PublishRequest {
  /** Message format version, so that a later format can be told apart. */
  v: 1;
  week: IsoWeek;
}

export class PublishRequestFormatError extends Error {
  override readonly name = "PublishRequestFormatError";
}

/** The message text as it goes on the queue: JSON, base64-encoded as the Functions host expects (host.json messageEncoding). */
export function encodePublishRequest(request: PublishRequest): string {
  return Buffer.from(JSON.stringify(request), "utf8").toString("base64");
}

/**
 * Reads a publish request as a queue trigger receives it (the decoded JSON, or a string when
 * it is not JSON). The week must be one that exists: it goes into a table filter. Throws
 * `PublishRequestFormatError` with a reason an operator can read.
 */
export function decodePublishRequest(message: unknown): PublishRequest {
  let value = message;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw new PublishRequestFormatError("message is not JSON");
    }
  }
  if (!isRecord(value)) throw new PublishRequestFormatError("message is not a JSON object");
  if (value["v"] !== 1) throw new PublishRequestFormatError(`unknown publish-request version ${JSON.stringify(value["v"])}`);
  const week = typeof value["week"] === "string" ? parseIsoWeek(value["week"]) : undefined;
  if (week === undefined) throw new PublishRequestFormatError("week missing or not an ISO 8601 week");
  return { v: 1, week };
}
