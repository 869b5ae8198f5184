import { RateLimitedError } from "../errors";

const HOUR_MS = 3_600_000;

/**
 * A sliding one-hour window of submissions per hierarchy, in this process's memory.
 *
 * Why in memory: a shared counter in storage would add a write to every submission (the
 * budget is two: the raw blob and the queue message). The limit exists to stop a runaway
 * SCP retry loop, which one instance sees almost all of; with N instances a hierarchy can
 * get at most N times the limit through, which still bounds the damage. docs/operations.md
 * says so.
 */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    private readonly limitPerHour: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one submission for `key`, or throws `RateLimitedError` with the seconds until one is free. */
  take(key: string): void {
    const now = this.now();
    this.sweep(now);
    const since = now - HOUR_MS;
    const times = (this.windows.get(key) ?? []).filter((t) => t > since);
    if (times.length >= this.limitPerHour) {
      this.windows.set(key, times);
      const oldest = times[0] ?? now;
      throw new RateLimitedError(
        `More than ${this.limitPerHour} submissions in an hour for this hierarchy`,
        Math.max(1, Math.ceil((oldest + HOUR_MS - now) / 1000)),
      );
    }
    times.push(now);
    this.windows.set(key, times);
  }

  /** Drops idle hierarchies now and then, so memory follows the active ones only. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, times] of this.windows) {
      const last = times[times.length - 1];
      if (last === undefined || last <= now - HOUR_MS) this.windows.delete(key);
    }
  }
}
