import { storageNames } from "../config";
import type { StorageClients } from "./storageClients";

/**
 * Creates every container, queue and table the code uses, if missing. The local runtime and
 * the tests call this; in Azure the Bicep in infra/ creates the same names.
 */
export async function ensureStorage(clients: StorageClients): Promise<void> {
  await Promise.all([
    clients.blobService.getContainerClient(storageNames.rawContainer).createIfNotExists(),
    clients.blobService.getContainerClient(storageNames.rejectedContainer).createIfNotExists(),
    clients.blobService.getContainerClient(storageNames.datasetsContainer).createIfNotExists(),
    clients.queueService.getQueueClient(storageNames.ingestQueue).createIfNotExists(),
    clients.queueService.getQueueClient(storageNames.poisonQueue).createIfNotExists(),
    clients.queueService.getQueueClient(storageNames.publishQueue).createIfNotExists(),
    clients.queueService.getQueueClient(storageNames.publishPoisonQueue).createIfNotExists(),
    // createTable already treats 409 TableAlreadyExists as success.
    clients.table(storageNames.hierarchyWeeksTable).createTable(),
    clients.table(storageNames.weeklyStatsTable).createTable(),
    clients.table(storageNames.weeklyDimensionsTable).createTable(),
  ]);
}
