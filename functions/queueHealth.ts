import type { InvocationContext } from "@azure/functions";
import { monitoringSettings } from "../shared/config";
import { measureQueueHealth, type QueueHealthDeps } from "../shared/monitoring/measureQueueHealth";
import type { Telemetry } from "../shared/telemetry/telemetry";
import type { TimerInfo, TimerTrigger } from "./triggerTypes";

/** What the timer needs: the gauges it reads, and where the reading is recorded. */
export interface QueueHealthTimerDeps {
  gauges: QueueHealthDeps;
  telemetry: Pick<Telemetry, "recordQueueHealth" | "flush">;
}

/**
 * Timer trigger: every few minutes, measures the ingest and poison queues and the rebuild
 * locks and records them (a log line and custom metrics) for the alert rules. Nothing else
 * measures a queue: its messages leave no telemetry while they wait. The metrics are flushed
 * before the invocation ends: the SDK exports once a minute, and an instance that ran only the
 * timer may be frozen or recycled before that.
 */
export async function queueHealth(_timer: TimerInfo, context: InvocationContext, deps: QueueHealthTimerDeps): Promise<void> {
  const health = await measureQueueHealth(deps.gauges);
  deps.telemetry.recordQueueHealth(health, (line) => context.log(line));
  await deps.telemetry.flush();
}

export const queueHealthTrigger: TimerTrigger = {
  kind: "timer",
  name: "queueHealth",
  schedule: monitoringSettings.queueHealthSchedule,
  bind: (services) => (timer, context) => queueHealth(timer, context, { gauges: services.queueGauges, telemetry: services.telemetry }),
};
