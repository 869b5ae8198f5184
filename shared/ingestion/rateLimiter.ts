import { rateLimitDefaults } from "../config";
import { RateLimitedError } from "../errors";

const HOUR_MS = 3_600_000;

/**
 * Submissions within this span of the first one in a slot share the slot and leave the
 * window together, when the latest of them does. So a window holds at most 61 slots
 * whatever the limit (memory per hierarchy is bounded), and a submission counts for at
 * most a minute longer than its hour: the limit errs on the strict side, never lets more
 * through.
 */
const SLOT_MS = 60_000;

/**
 * How many hierarchies one instance remembers: far more than submit to one instance in an
 * hour. Measured at this bound: 16 MiB of heap with a slot for every minute of the hour in
 * each, 7 MiB with one slot each (most hierarchies submit once a week).
 */
const MAX_HIERARCHIES = 10_000;

export interface RateLimiterOptions {
  /** Documents that fail validation and are kept among rejected ones, per hour: one budget for all of them. */
  invalidPerHour?: number;
  /** Hierarchies remembered at once (see `take`). */
  maxHierarchies?: number;
  /** The clock, in epoch milliseconds; tests pass their own. */
  now?: () => number;
}

/** What the limiter holds, for tests and diagnostics. */
export interface RateLimiterFootprint {
  hierarchies: number;
  /** Slots over all remembered hierarchies. */
  slots: number;
}

/** A sliding hour of submissions, as slots of (latest time, count). */
class HourWindow {
  /** When each slot's latest submission was; a slot leaves the window an hour after it. */
  private readonly latest: number[] = [];
  private readonly counts: number[] = [];
  private lastSlotStart = Number.NEGATIVE_INFINITY;
  private total = 0;
  /** Last time anyone asked, refused or not: what "idle" means to the limiter. */
  touched = Number.NEGATIVE_INFINITY;

  get slots(): number {
    return this.latest.length;
  }

  /** Counts one submission at `now`, or answers the milliseconds until one fits under `limit`. */
  take(now: number, limit: number): number | undefined {
    this.touched = now;
    this.expire(now);
    if (this.total >= limit) return (this.latest[0] ?? now) + HOUR_MS - now;
    const last = this.latest.length - 1;
    if (last >= 0 && now - this.lastSlotStart < SLOT_MS) {
      this.latest[last] = now;
      this.counts[last] = (this.counts[last] ?? 0) + 1;
    } else {
      this.latest.push(now);
      this.counts.push(1);
      this.lastSlotStart = now;
    }
    this.total += 1;
    return undefined;
  }

  private expire(now: number): void {
    while (this.latest.length > 0 && (this.latest[0] ?? now) <= now - HOUR_MS) {
      this.latest.shift();
      this.total -= this.counts.shift() ?? 0;
    }
  }
}

/**
 * The rate limits of submissions (contract section 2), in this process's memory: a sliding
 * hour per hierarchy, spent by documents that pass validation, and one sliding hour shared
 * by all invalid documents that are kept among rejected ones.
 *
 * Why in memory: a shared counter in storage would add a write to every submission (the
 * budget is two: the raw blob and the queue message). The limit exists to stop a runaway
 * SCP retry loop, which one instance sees almost all of; with N instances a hierarchy can
 * get at most N times the limit through, which still bounds the damage. docs/operations.md
 * says so.
 */
export class RateLimiter {
  /** In order of last use, least recent first: the Map's insertion order, renewed on every take. */
  private readonly hierarchies = new Map<string, HourWindow>();
  private readonly invalid = new HourWindow();
  private readonly invalidPerHour: number;
  private readonly maxHierarchies: number;
  private readonly now: () => number;

  constructor(
    private readonly limitPerHour: number,
    options: RateLimiterOptions = {},
  ) {
    this.invalidPerHour = options.invalidPerHour ?? rateLimitDefaults.invalidPerHour;
    this.maxHierarchies = options.maxHierarchies ?? MAX_HIERARCHIES;
    this.now = options.now ?? Date.now;
  }

  /**
   * Counts one valid submission for the hierarchy, or throws `RateLimitedError` with the
   * seconds until one is free. Refusals do not count, but they do keep the hierarchy
   * remembered.
   *
   * At `maxHierarchies` the hierarchy idle the longest is forgotten, and its next document
   * starts a fresh budget. That is acceptable: it takes more distinct hierarchies in one
   * hour than a real fleet sends one instance, the one forgotten is the one not submitting
   * (a runaway retry loop keeps its place by retrying), and the alternative, refusing
   * hierarchies not yet seen, would let a flood of made-up hierarchyIds lock out real SCPs.
   */
  take(hierarchyId: string): void {
    const now = this.now();
    this.forgetIdle(now);
    const window = this.hierarchies.get(hierarchyId) ?? new HourWindow();
    this.hierarchies.delete(hierarchyId);
    this.hierarchies.set(hierarchyId, window);
    while (this.hierarchies.size > this.maxHierarchies) this.forgetLeastRecent();
    const waitMs = window.take(now, this.limitPerHour);
    if (waitMs !== undefined) {
      throw new RateLimitedError(`More than ${this.limitPerHour} submissions in an hour for this hierarchy`, Math.max(1, Math.ceil(waitMs / 1000)));
    }
  }

  /**
   * Counts one invalid document to be kept among rejected ones; `false` when the hour's
   * budget for them is spent (the document is then answered 400 without being kept).
   */
  tryTakeInvalid(): boolean {
    return this.invalid.take(this.now(), this.invalidPerHour) === undefined;
  }

  /** How much the limiter holds now: the bound that `maxHierarchies` and the slots keep. */
  footprint(): RateLimiterFootprint {
    let slots = 0;
    for (const window of this.hierarchies.values()) slots += window.slots;
    return { hierarchies: this.hierarchies.size, slots };
  }

  /** Drops hierarchies untouched for an hour: nothing of their window is left. Least recent first, so this stops early. */
  private forgetIdle(now: number): void {
    for (const [hierarchyId, window] of this.hierarchies) {
      if (window.touched > now - HOUR_MS) return;
      this.hierarchies.delete(hierarchyId);
    }
  }

  private forgetLeastRecent(): void {
    const first = this.hierarchies.keys().next();
    if (first.done !== true) this.hierarchies.delete(first.value);
  }
}
