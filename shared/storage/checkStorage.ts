import { storageNames } from "../config";
import type { StorageClients } from "./storageClients";

/**
 * What one probe of storage found: it answered that all is well (`ok`), it answered with an
 * error or could not be reached (`failed`: refused, unknown host, 403, 5xx, the container
 * missing), or it gave no answer within the probe's timeout (`timedOut`). The last is kept
 * apart because it is what a busy instance sees too: with its own event loop saturated (a
 * burst of full-week reads decoding rows) the timer fires before the answer is read.
 */
export type StorageProbeResult = "ok" | "failed" | "timedOut";

/**
 * Probes storage for both things ingestion writes to: the raw container and the queue.
 * Bounded by `timeoutMs`, because a health probe that hangs is worse than a "no".
 */
export async function checkStorage(clients: StorageClients, timeoutMs = 5_000): Promise<StorageProbeResult> {
  // Aborted by the timer alone, so an aborted signal means the timeout came first.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const [containerExists] = await Promise.all([
      clients.blobService.getContainerClient(storageNames.rawContainer).exists({ abortSignal: abort.signal }),
      clients.queueService.getQueueClient(storageNames.ingestQueue).getProperties({ abortSignal: abort.signal }),
    ]);
    return containerExists ? "ok" : "failed";
  } catch {
    return abort.signal.aborted ? "timedOut" : "failed";
  } finally {
    clearTimeout(timer);
  }
}
