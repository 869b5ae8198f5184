import type { WeekChangeListener } from "../aggregation/dimensionRollup";
import { parseIsoWeek, type IsoWeek } from "../isoWeek";

/**
 * How publish requests are timed (docs/weekly-dimensions.md explains the figures). A request
 * becomes visible `delaySeconds` after it is sent; a process sends at most one per week per
 * `debounceSeconds`. Every change is covered as long as delay > debounce + the time from
 * weekChanging to the end of the commit: the change's request (or the one that debounced it,
 * sent at most debounceSeconds earlier) is read only after the commit.
 */
export const publishTiming = Object.freeze({
  delaySeconds: 60,
  debounceSeconds: 30,
});

export interface PublishRequesterOptions {
  delaySeconds?: number;
  debounceSeconds?: number;
  /** The clock in milliseconds (tests pass one). */
  now?: () => number;
}

/** What the requester sends through: shared/storage/publishQueue.ts `PublishQueue`. */
export interface PublishRequestSender {
  send(week: IsoWeek, delaySeconds: number): Promise<void>;
}

interface Sent {
  at: number;
  sending: Promise<void>;
}

/** Entries kept before old ones are dropped: a process touches a few weeks at a time. */
const PRUNE_ABOVE = 64;

/**
 * The WeekChangeListener that aggregation calls before it commits a change to a week: it
 * queues a delayed request to publish that week, at most one per week per debounce window
 * in this process, so a busy week costs one queue write per 30 s, not one per document.
 * Callers within the window share the first caller's send, and its failure: a change is
 * committed only once a request that will be read after it is on the queue.
 */
export class PublishRequester implements WeekChangeListener {
  private readonly sent = new Map<IsoWeek, Sent>();
  private readonly delaySeconds: number;
  private readonly debounceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly sender: PublishRequestSender,
    options: PublishRequesterOptions = {},
  ) {
    this.delaySeconds = options.delaySeconds ?? publishTiming.delaySeconds;
    this.debounceMs = (options.debounceSeconds ?? publishTiming.debounceSeconds) * 1000;
    this.now = options.now ?? Date.now;
  }

  /** @throws TypeError for text that is not an ISO week (aggregation only passes weeks); the sender's error when the queue write fails. */
  async weekChanging(week: string): Promise<void> {
    const parsed = parseIsoWeek(week);
    if (parsed === undefined) throw new TypeError(`${JSON.stringify(week)} is not an ISO week`);
    const at = this.now();
    const recent = this.sent.get(parsed);
    if (recent !== undefined && at - recent.at < this.debounceMs) return recent.sending;
    if (this.sent.size > PRUNE_ABOVE) this.prune(at);
    const entry: Sent = { at, sending: this.sender.send(parsed, this.delaySeconds) };
    this.sent.set(parsed, entry);
    try {
      await entry.sending;
    } catch (error) {
      // Not sent: the next change of the week must try again rather than be debounced.
      if (this.sent.get(parsed) === entry) this.sent.delete(parsed);
      throw error;
    }
  }

  private prune(at: number): void {
    for (const [week, entry] of this.sent) if (at - entry.at >= this.debounceMs) this.sent.delete(week);
  }
}
