import type { InvocationContext } from "@azure/functions";
import { monitoringSettings } from "../shared/config";
import { measureQueueHealth, queueHealthDeps } from "../shared/monitoring/measureQueueHealth";
import { getServices } from "../shared/services";
import type { TimerInfo, TimerTrigger } from "./trigger";

/**
 * Timer trigger: every few minutes, measures the ingest and poison queues and the rebuild
 * locks and records them (a log line and custom metrics) for the alert rules. Nothing else
 * measures a queue: its messages leave no telemetry while they wait.
 */
export async function queueHealth(_timer: TimerInfo, context: InvocationContext): Promise<void> {
  const services = getServices();
  const health = await measureQueueHealth(queueHealthDeps(services));
  services.telemetry.recordQueueHealth(health, (line) => context.log(line));
}

export const queueHealthTrigger: TimerTrigger = {
  kind: "timer",
  name: "queueHealth",
  schedule: monitoringSettings.queueHealthSchedule,
  handler: queueHealth,
};
