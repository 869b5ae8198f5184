import { storageNames } from "../config";
import type { StorageClients } from "./storageClients";

/**
 * True when storage answers for both things ingestion writes to: the raw container and the
 * queue. Bounded by `timeoutMs`, because a health probe that hangs is worse than a "no".
 */
export async function checkStorage(clients: StorageClients, timeoutMs = 5_000): Promise<boolean> {
  const abortSignal = AbortSignal.timeout(timeoutMs);
  try {
    const [containerExists] = await Promise.all([
      clients.blobService.getContainerClient(storageNames.rawContainer).exists({ abortSignal }),
      clients.queueService.getQueueClient(storageNames.ingestQueue).getProperties({ abortSignal }),
    ]);
    return containerExists;
  } catch {
    return false;
  }
}
