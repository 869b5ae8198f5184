import type { InvocationContext } from "@azure/functions";
import { ingestQueueSettings, storageNames } from "../shared/config";
import { aggregateDocument, PermanentAggregationError, type AggregationDeps } from "../shared/aggregation/aggregateDocument";
import { ensureErrorType } from "../shared/errors";
import type { Services } from "../shared/services";
import { ClaimCheckFormatError, decodeClaimCheck } from "../shared/storage/claimCheck";
import type { PoisonQueue } from "../shared/storage/poisonQueue";
import type { Telemetry } from "../shared/telemetry/telemetry";
import type { QueueTrigger } from "./triggerTypes";

/** Seconds since the host's `insertionTime` (a Date, or its ISO text), undefined when it gave none. */
function lagSecondsOf(insertionTime: unknown): number | undefined {
  if (!(insertionTime instanceof Date) && typeof insertionTime !== "string") return undefined;
  const inserted = new Date(insertionTime).getTime();
  return Number.isFinite(inserted) ? Math.max(0, (Date.now() - inserted) / 1000) : undefined;
}

/** What the queue trigger needs: aggregation's own dependencies, where a hopeless message goes, where the lag is recorded. */
export interface AggregateUsageDeps {
  aggregation: AggregationDeps;
  poisonQueue: Pick<PoisonQueue, "send">;
  telemetry: Pick<Telemetry, "recordAggregationLag">;
}

/** The queue trigger's part of the services. */
export function aggregateUsageDeps(services: Services): AggregateUsageDeps {
  const { rawArchive, weeklyStats, hierarchyWeeks, ingestQueue, indexedWeeks, weekChanges } = services;
  return {
    aggregation: { rawArchive, weeklyStats, hierarchyWeeks, ingestQueue, indexedWeeks, weekChanges },
    poisonQueue: services.poisonQueue,
    telemetry: services.telemetry,
  };
}

/**
 * Queue trigger: one claim check, one document aggregated. A message that cannot succeed
 * (malformed, its document missing or altered), or that fails on its last allowed attempt,
 * is moved to the poison queue here, with the reason, and completes; anything else throws
 * so the host makes it visible again after host.json's visibilityTimeout.
 */
export async function aggregateUsage(message: unknown, context: InvocationContext, deps: AggregateUsageDeps): Promise<void> {
  const attempts = Number(context.triggerMetadata?.["dequeueCount"] ?? 1);
  try {
    const claim = decodeClaimCheck(message);
    const result = await aggregateDocument(claim, deps.aggregation);
    const { lock } = result;
    if (lock?.expired === true) {
      context.warn(JSON.stringify({ event: "rebuildLock", status: "expired", week: result.week, holder: lock.holder, lockAgeSeconds: lock.ageSeconds }));
    }
    const deferredBy = result.status === "deferred" && lock !== undefined ? { lockAgeSeconds: lock.ageSeconds } : {};
    const lag = lagSecondsOf(context.triggerMetadata?.["insertionTime"]);
    // A deferred message is not done: its lag is measured when it is counted.
    if (lag !== undefined && result.status !== "deferred") deps.telemetry.recordAggregationLag(lag);
    const lagged = lag === undefined ? {} : { lagSeconds: lag };
    context.log(JSON.stringify({ event: "aggregation", status: result.status, docId: result.docId, week: result.week, attempts, ...lagged, ...deferredBy }));
  } catch (thrown) {
    const error = ensureErrorType(thrown);
    const permanent = error instanceof PermanentAggregationError || error instanceof ClaimCheckFormatError;
    if (!permanent && attempts < ingestQueueSettings.maxDequeueCount) throw error;
    const reason = `${error.name}: ${error.message}`;
    await deps.poisonQueue.send({ reason, attempts, message });
    context.warn(JSON.stringify({ event: "aggregation", status: "poisoned", reason, attempts }));
  }
}

export const aggregateUsageTrigger: QueueTrigger = {
  kind: "queue",
  name: "aggregateUsage",
  queueName: storageNames.ingestQueue,
  bind: (services) => {
    const deps = aggregateUsageDeps(services);
    return (message, context) => aggregateUsage(message, context, deps);
  },
};
