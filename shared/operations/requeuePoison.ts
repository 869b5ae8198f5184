import type { IngestQueue } from "../storage/ingestQueue";
import { readPoisonMessage, type PoisonMessageFormat } from "../storage/poisonedMessage";
import type { PoisonQueue, ReceivedPoisonMessage } from "../storage/poisonQueue";
import type { RawArchive } from "../storage/rawArchive";

export interface RequeuePoisonDeps {
  poisonQueue: PoisonQueue;
  ingestQueue: IngestQueue;
  rawArchive: RawArchive;
}

export interface RequeuePoisonOptions {
  /** List what is there and what would be done; requeue and delete nothing. */
  dryRun?: boolean;
  /** Delete messages that are not claim checks instead of leaving them in the poison queue. */
  dropUnreadable?: boolean;
  /**
   * How long a received message stays hidden while this run holds it. Long enough for a
   * batch of 32 to be handled; a message held longer simply shows up again and is skipped.
   */
  visibilityTimeoutSeconds?: number;
  /** Called once per message, as soon as its outcome is known. */
  onProgress?: (result: PoisonMessageResult) => void;
}

/** In a dry run, what would happen. */
export type PoisonMessageOutcome = "requeued" | "kept" | "dropped";

/** One poison message's fate. Carries ids and reasons, never the message text. */
export interface PoisonMessageResult {
  messageId: string;
  format: PoisonMessageFormat;
  outcome: PoisonMessageOutcome;
  /** The claim check's docId, when the message holds one. */
  docId?: string;
  /** Why aggregation gave up (our format only; the host records no reason). */
  reason?: string;
  /** Aggregation attempts before it was poisoned (our format only). */
  attempts?: number;
  poisonedAt?: string;
  /** Why the message is not a claim check (`kept` and `dropped` only). */
  problem?: string;
  /**
   * Requeued or dropped, but the poison queue no longer knew the message under this run's
   * hold when it was to be deleted (held past its visibility timeout): it is still there,
   * and a later run sees it again (requeueing a claim check twice is harmless).
   */
  notDeleted?: boolean;
}

export interface RequeuePoisonSummary {
  dryRun: boolean;
  messages: number;
  requeued: number;
  kept: number;
  dropped: number;
}

const BATCH = 32; // the most one receive returns
const DEFAULT_VISIBILITY_SECONDS = 300;
const MAX_IDLE_RECEIVES = 3;

/**
 * Puts the claim checks in the poison queue back on the ingest queue (docs/operations.md,
 * "Poison messages"), e.g. after the fault that poisoned them is fixed. Aggregation is
 * idempotent, so a claim check requeued twice costs a little work and changes nothing.
 *
 * Each message is received (hidden), its claim check sent to the ingest queue, and only
 * then deleted from poison: a run that dies in between leaves a duplicate, never a loss.
 * A message that is not a claim check stays (or, with `dropUnreadable`, is deleted).
 * Messages left in place would become visible again and be received once more, so each
 * message id is handled once, and the run ends when the queue has nothing new to give; at
 * the end, the messages left in place are made visible again at once.
 *
 * A dry run receives and releases too (a peek sees only the first 32 messages): contents
 * stay as they are, only the poison messages' dequeue counts go up, which nothing reads.
 */
export async function requeuePoison(deps: RequeuePoisonDeps, options: RequeuePoisonOptions = {}): Promise<RequeuePoisonSummary> {
  const dryRun = options.dryRun ?? false;
  const visibility = options.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_SECONDS;
  const summary: RequeuePoisonSummary = { dryRun, messages: 0, requeued: 0, kept: 0, dropped: 0 };
  const seen = new Set<string>();
  // Messages left in place, by id, with the latest pop receipt: to be released at the end.
  const held = new Map<string, ReceivedPoisonMessage>();
  try {
    // Ends on an empty receive, or when receives keep bringing only messages already
    // handled (held longer than the visibility timeout, they show up again): each such
    // receive hides them anew, so a few in a row mean nothing new is left to see.
    for (let idle = 0; idle < MAX_IDLE_RECEIVES; ) {
      const batch = await deps.poisonQueue.receive(BATCH, visibility);
      if (batch.length === 0) break;
      let fresh = 0;
      for (const message of batch) {
        if (seen.has(message.messageId)) {
          held.set(message.messageId, message);
          continue;
        }
        seen.add(message.messageId);
        fresh += 1;
        const result = await settle(message, deps, dryRun, options.dropUnreadable ?? false);
        if (result.outcome === "kept" || dryRun) held.set(message.messageId, message);
        summary.messages += 1;
        summary[result.outcome] += 1;
        options.onProgress?.(result);
      }
      idle = fresh === 0 ? idle + 1 : 0;
    }
  } finally {
    await releaseAll(held.values(), deps.poisonQueue);
  }
  return summary;
}

async function settle(message: ReceivedPoisonMessage, deps: RequeuePoisonDeps, dryRun: boolean, dropUnreadable: boolean): Promise<PoisonMessageResult> {
  const read = readPoisonMessage(message.messageText);
  const { format, reason, attempts, poisonedAt } = read;
  const about: PoisonMessageResult = { messageId: message.messageId, format, outcome: "kept" };
  if (reason !== undefined) about.reason = reason;
  if (attempts !== undefined) about.attempts = attempts;
  if (poisonedAt !== undefined) about.poisonedAt = poisonedAt;
  // A claim check whose raw document is gone (expired, or deleted on request) can never be
  // aggregated: requeueing it would only bring it back here. It counts as unreadable.
  const problem =
    "problem" in read ? read.problem : (await deps.rawArchive.exists(read.claim.blobName)) ? undefined : "its raw document is missing (expired or deleted)";
  if ("problem" in read || problem !== undefined) {
    const unreadable: PoisonMessageResult = { ...about, problem: problem ?? "", outcome: dropUnreadable ? "dropped" : "kept" };
    const docId = "problem" in read ? read.docId : read.claim.docId;
    if (docId !== undefined) unreadable.docId = docId;
    if (dropUnreadable && !dryRun && !(await deps.poisonQueue.delete(message))) unreadable.notDeleted = true;
    return unreadable;
  }
  const result: PoisonMessageResult = { ...about, docId: read.claim.docId, outcome: "requeued" };
  if (dryRun) return result;
  await deps.ingestQueue.send(read.claim);
  if (!(await deps.poisonQueue.delete(message))) result.notDeleted = true;
  return result;
}

/**
 * Makes the held messages visible again. Best effort: a message that is not released
 * reappears by itself when its visibility timeout ends, so a failure here loses nothing
 * and must not hide the error that may have ended the run.
 */
async function releaseAll(messages: Iterable<ReceivedPoisonMessage>, poisonQueue: PoisonQueue): Promise<void> {
  for (const message of messages) {
    try {
      await poisonQueue.release(message);
    } catch {
      // See above: the visibility timeout releases it.
    }
  }
}
