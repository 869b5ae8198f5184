/** Options of a `HealthProbe`; tests pass a clock. */
export interface HealthProbeOptions {
  /** How long an answer is reused. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * A health check answered from a recent result. `/api/health` takes no key, so without this
 * anyone could make every request cost the storage calls of a probe. Callers that arrive
 * while a probe is running share it, so a burst costs one probe, not one each. A failure is
 * reused for the same few seconds: a load balancer polling a sick instance learns the same
 * thing a moment later, and storage gets no extra calls while it is struggling.
 */
export class HealthProbe {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private last: { ok: boolean; at: number } | undefined;
  private running: Promise<boolean> | undefined;

  constructor(
    private readonly probe: () => Promise<boolean>,
    options: HealthProbeOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** True when the last probe (at most `ttlMs` old) found storage answering. */
  async check(): Promise<boolean> {
    if (this.last !== undefined && this.now() - this.last.at < this.ttlMs) return this.last.ok;
    this.running ??= this.probe()
      .catch(() => false)
      .then((ok) => {
        this.last = { ok, at: this.now() };
        return ok;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
