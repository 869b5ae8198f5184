import type { InvocationContext } from "@azure/functions";
import { storageNames } from "../shared/config";
import { publishWeek, type PublishWeekDeps } from "../shared/publishing/publishWeek";
import type { Services } from "../shared/services";
import { decodePublishRequest, PublishRequestFormatError } from "../shared/storage/publishRequest";
import type { QueueTrigger } from "./triggerTypes";

/**
 * Queue trigger: one publish request, one week's WeeklyDimensions rows recomputed. A
 * malformed request can never succeed: it is logged and completes, and so does a week one of
 * whose dimensions the table refuses (published without it, the dimension logged). Anything else throws, so
 * the host delivers the request again (and after host.json's maxDequeueCount moves it to
 * the poison queue); publishing again is always safe.
 */
export async function publishWeeklyDimensions(message: unknown, context: InvocationContext, deps: PublishWeekDeps): Promise<void> {
  let week;
  try {
    week = decodePublishRequest(message).week;
  } catch (error) {
    if (!(error instanceof PublishRequestFormatError)) throw error;
    context.warn(JSON.stringify({ event: "publish", status: "malformed", reason: error.message }));
    return;
  }
  const result = await publishWeek(week, deps);
  // The week and the dimension only: the refusal's own message may quote a key, which encodes a value (client text).
  for (const dimension of result.refused) context.warn(JSON.stringify({ event: "publish", status: "refused", week, dimension }));
  context.log(JSON.stringify({ event: "publish", status: "published", week, written: result.written, deleted: result.deleted, attempts: result.attempts, asOf: result.asOf.toISOString() }));
}

/** The publisher's part of the services. */
function publishDeps(services: Services): PublishWeekDeps {
  return { reader: services.statsReader, table: services.weeklyDimensions, dataset: services.weeklyDataset, minHierarchies: services.config.statsMinHierarchies };
}

export const publishWeeklyDimensionsTrigger: QueueTrigger = {
  kind: "queue",
  name: "publishWeeklyDimensions",
  queueName: storageNames.publishQueue,
  bind: (services) => {
    const deps = publishDeps(services);
    return (message, context) => publishWeeklyDimensions(message, context, deps);
  },
};
