import { randomUUID } from "node:crypto";
import { InvocationContext } from "@azure/functions";
import type { Bound, TimerTrigger } from "../functions/triggerTypes";
import type { LocalLog } from "./httpHost";
import { parseSchedule, type Schedule } from "./ncrontab";

export interface TimerHostOptions {
  triggers: readonly Bound<TimerTrigger>[];
  log: LocalLog;
}

// setTimeout holds at most a signed 32-bit count of milliseconds; a later occurrence is waited for in parts.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Runs timer triggers on their NCRONTAB schedules, as the host does on one instance: an
 * occurrence waits for the previous run to finish, and a failed run is logged and the
 * schedule goes on. Not the host's schedule monitor (`isPastDue` after downtime): a local
 * runtime that was stopped simply resumes at the next occurrence.
 */
export class TimerHost {
  private stopped = false;
  private readonly loops: Promise<void>[] = [];
  private readonly schedules: Map<Bound<TimerTrigger>, Schedule>;
  private readonly cancels = new Set<() => void>();

  constructor(private readonly options: TimerHostOptions) {
    // Parsed here, so that a schedule this runtime cannot read fails at start.
    this.schedules = new Map(options.triggers.map((t) => [t, parseSchedule(t.schedule)]));
  }

  start(): void {
    for (const [trigger, schedule] of this.schedules) this.loops.push(this.run(trigger, schedule));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.cancels) cancel();
    await Promise.all(this.loops);
  }

  private async run(trigger: Bound<TimerTrigger>, schedule: Schedule): Promise<void> {
    while (!this.stopped) {
      const next = schedule.next(new Date());
      if (next === undefined) return;
      if (!(await this.waitUntil(next))) return;
      const context = new InvocationContext({
        invocationId: randomUUID(),
        functionName: trigger.name,
        logHandler: (level, ...args) => this.options.log(level, args.map(String).join(" ")),
      });
      try {
        await trigger.handler({ isPastDue: false }, context);
      } catch (error) {
        this.options.log("warning", `${trigger.name}: run failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
    }
  }

  /** Resolves true at `at`, false as soon as the host stops. */
  private async waitUntil(at: Date): Promise<boolean> {
    for (let left = at.getTime() - Date.now(); left > 0 && !this.stopped; left = at.getTime() - Date.now()) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.cancels.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, MAX_TIMEOUT_MS));
        this.cancels.add(done);
      });
    }
    return !this.stopped;
  }
}
