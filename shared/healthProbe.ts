import type { StorageProbeResult } from "./storage/checkStorage";

/** Options of a `HealthProbe`; tests pass a clock. */
export interface HealthProbeOptions {
  /** How long an answer is reused. */
  ttlMs?: number;
  /**
   * How long after storage last answered well a probe that times out still counts as storage
   * answering. A probe that gets an error fails at once, whatever this says.
   */
  graceMs?: number;
  now?: () => number;
}

/**
 * A health check answered from a recent result. `/api/health` takes no key, so without this
 * anyone could make every request cost the storage calls of a probe. Callers that arrive
 * while a probe is running share it, so a burst costs one probe, not one each. A failure is
 * reused for the same few seconds: a load balancer polling a sick instance learns the same
 * thing a moment later, and storage gets no extra calls while it is struggling.
 *
 * Health is "storage answers" (contract section 2), so what fails it is storage answering
 * with an error, or not being reachable, or giving no answer for `graceMs`. One probe that
 * times out soon after a good answer does not: during 8 + 8 concurrent full-week reads on a
 * busy machine, 5 of 108 probes got their answers later than the 5 s timeout while storage
 * went on serving the reads (docs/performance.md, "Full-week reads"). A timeout says that
 * storage or this instance is slow, not that storage is down; `graceMs` without any good
 * answer does say it.
 */
export class HealthProbe {
  private readonly ttlMs: number;
  private readonly graceMs: number;
  private readonly now: () => number;
  private last: { ok: boolean; at: number } | undefined;
  /** When storage last answered well, unless it has answered with an error since. */
  private lastOkAt: number | undefined;
  private running: Promise<boolean> | undefined;

  constructor(
    private readonly probe: () => Promise<StorageProbeResult>,
    options: HealthProbeOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.graceMs = options.graceMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** True when the last probe (at most `ttlMs` old) found storage answering. */
  async check(): Promise<boolean> {
    if (this.last !== undefined && this.now() - this.last.at < this.ttlMs) return this.last.ok;
    this.running ??= this.probe()
      .catch((): StorageProbeResult => "failed")
      .then((result) => {
        const at = this.now();
        const ok = this.verdict(result, at);
        this.last = { ok, at };
        return ok;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private verdict(result: StorageProbeResult, at: number): boolean {
    switch (result) {
      case "ok":
        this.lastOkAt = at;
        return true;
      case "failed":
        this.lastOkAt = undefined;
        return false;
      case "timedOut":
        return this.lastOkAt !== undefined && at - this.lastOkAt < this.graceMs;
    }
  }
}
