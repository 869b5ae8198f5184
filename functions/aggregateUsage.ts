import type { InvocationContext } from "@azure/functions";
import { storageNames } from "../shared/config";
import { decodeClaimCheck } from "../shared/storage/claimCheck";
import type { QueueTrigger } from "./trigger";

/**
 * Queue trigger for accepted documents. Until aggregation lands (issue 3) it checks the
 * claim check's shape and acknowledges it; a malformed message throws, so the host retries
 * it and finally moves it to the poison queue.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- the aggregation issue gives it storage work
export async function aggregateUsage(message: unknown, context: InvocationContext): Promise<void> {
  const claim = decodeClaimCheck(message);
  context.log(JSON.stringify({ event: "aggregation", status: "acknowledged", docId: claim.docId }));
}

export const aggregateUsageTrigger: QueueTrigger = {
  kind: "queue",
  name: "aggregateUsage",
  queueName: storageNames.ingestQueue,
  handler: aggregateUsage,
};
