import { isRecord } from "../isRecord";

/**
 * The queue message for one accepted document: a pointer to the raw blob, never the
 * document itself (queue messages are capped at 64 KiB and documents reach 8 MiB).
 */
export interface ClaimCheck {
  /** Message format version, so that a later format can be told apart. */
  v: 1;
  docType: string;
  docVersion: number;
  docId: string;
  blobName: string;
  /** Hash of the archived bytes, so the consumer can tell it read what was accepted. */
  sha256: string;
}

export class ClaimCheckFormatError extends Error {
  override readonly name = "ClaimCheckFormatError";
}

/** The message text as it goes on the queue: JSON, base64-encoded as the Functions host expects. */
export function encodeClaimCheck(claim: ClaimCheck): string {
  return Buffer.from(JSON.stringify(claim), "utf8").toString("base64");
}

/**
 * Reads a claim check as a queue trigger receives it: the host hands over the decoded JSON
 * as an object, or as a string when it is not JSON. Throws `ClaimCheckFormatError` with a
 * reason an operator can read.
 */
export function decodeClaimCheck(message: unknown): ClaimCheck {
  let value = message;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw new ClaimCheckFormatError("message is not JSON");
    }
  }
  if (!isRecord(value)) throw new ClaimCheckFormatError("message is not a JSON object");
  const { v, docType, docVersion, docId, blobName, sha256 } = value;
  if (v !== 1) throw new ClaimCheckFormatError(`unknown claim-check version ${JSON.stringify(v)}`);
  if (typeof docType !== "string" || typeof docVersion !== "number" || typeof docId !== "string") {
    throw new ClaimCheckFormatError("docType, docVersion or docId missing or of the wrong type");
  }
  if (typeof blobName !== "string" || typeof sha256 !== "string") {
    throw new ClaimCheckFormatError("blobName or sha256 missing or of the wrong type");
  }
  return { v, docType, docVersion, docId, blobName, sha256 };
}
