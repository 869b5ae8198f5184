import { isRecord } from "../isRecord";
import { ClaimCheckFormatError, decodeClaimCheck, type ClaimCheck } from "./claimCheck";

/**
 * What the aggregation trigger puts on the poison queue: the message as it was, and why it
 * gave up, so an operator can decide and `npm run requeue-poison` can put it back.
 * (A message the host itself moves there is the bare claim check; requeueing takes both.)
 */
export interface PoisonedMessage {
  poisoned: 1;
  reason: string;
  attempts: number;
  poisonedAt: string;
  /** The original message as the trigger received it (a claim check, or whatever arrived). */
  message: unknown;
}

const MAX_KEPT_CHARS = 16_000;

/**
 * The message text as it goes on the poison queue: JSON, base64-encoded as the Functions
 * host expects. A queue message holds 64 KiB; a stray oversized message is kept in part,
 * with the reason whole.
 */
export function encodePoisonedMessage(entry: Omit<PoisonedMessage, "poisoned" | "poisonedAt">, poisonedAt: Date): string {
  const original = entry.message === undefined ? "undefined" : JSON.stringify(entry.message);
  const message = original.length > MAX_KEPT_CHARS ? `${original.slice(0, MAX_KEPT_CHARS)}… (truncated)` : entry.message;
  const body: PoisonedMessage = { poisoned: 1, poisonedAt: poisonedAt.toISOString(), ...entry, message };
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64");
}

/**
 * Who wrote a poison-queue message: `poisoned` is our trigger's `PoisonedMessage` (with a
 * reason), `bare` is anything else, normally a claim check the Functions host moved by itself.
 */
export type PoisonMessageFormat = "poisoned" | "bare";

/** What a poison-queue message says: its claim check, or why there is none. */
export type ReadPoisonMessage = {
  format: PoisonMessageFormat;
  reason?: string;
  attempts?: number;
  poisonedAt?: string;
} & ({ claim: ClaimCheck } | { problem: string; docId?: string });

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The message text as the queue trigger would see it: base64 decoded to UTF-8, then JSON
 * if it is JSON, else the string (as the host hands it over). Text that is not base64 is
 * taken as it is: a JSON object never looks like base64 (`{` is not in its alphabet), so a
 * claim check someone put on the queue unencoded is still recognised.
 */
function decodeMessageText(messageText: string): unknown {
  let text = messageText;
  if (BASE64.test(messageText)) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(messageText, "base64"));
    } catch {
      return messageText;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function docIdOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value["docId"] === "string" ? value["docId"].slice(0, 64) : undefined;
}

/**
 * Reads one poison-queue message as stored (`messageText`): our `PoisonedMessage` around a
 * claim check, or a bare one. Never throws on what it reads: a message that holds no claim
 * check comes back with the `problem`, for the operator.
 */
export function readPoisonMessage(messageText: string): ReadPoisonMessage {
  const value = decodeMessageText(messageText);
  let format: PoisonMessageFormat = "bare";
  let inner = value;
  const about: Omit<ReadPoisonMessage, "format" | "claim" | "problem" | "docId"> = {};
  if (isRecord(value) && value["poisoned"] === 1) {
    format = "poisoned";
    inner = value["message"];
    if (typeof value["reason"] === "string") about.reason = value["reason"];
    if (typeof value["attempts"] === "number") about.attempts = value["attempts"];
    if (typeof value["poisonedAt"] === "string") about.poisonedAt = value["poisonedAt"];
  }
  try {
    return { format, ...about, claim: decodeClaimCheck(inner) };
  } catch (error) {
    if (!(error instanceof ClaimCheckFormatError)) throw error;
    const docId = docIdOf(inner);
    return { format, ...about, problem: error.message, ...(docId === undefined ? {} : { docId }) };
  }
}
