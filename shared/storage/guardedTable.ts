import type { CreateTableEntityResponse, TableClient, TableEntity, TransactionAction, UpdateEntityResponse, UpdateMode, UpdateTableEntityOptions } from "@azure/data-tables";
import { checkEntity, checkTransaction } from "./tableLimits";

type Entity = TableEntity;

/**
 * The one way this code writes to a table: every entity and transaction is measured against
 * Azure's limits (`tableLimits`) before it is sent, and refused with `TableLimitError`
 * when Azure would refuse it. Reads go to the `TableClient` directly; storage errors are
 * left to the caller, which translates them.
 */
export class GuardedTable {
  constructor(readonly client: TableClient) {}

  async createEntity(entity: Entity): Promise<CreateTableEntityResponse> {
    checkEntity(entity);
    return this.client.createEntity(entity);
  }

  async upsertEntity(entity: Entity, mode: UpdateMode): Promise<void> {
    checkEntity(entity);
    await this.client.upsertEntity(entity, mode);
  }

  async updateEntity(entity: Entity, mode: UpdateMode, options?: UpdateTableEntityOptions): Promise<UpdateEntityResponse> {
    checkEntity(entity);
    return this.client.updateEntity(entity, mode, options);
  }

  /** A single delete carries no body: only its keys, which the table already holds. Without `etag`, whatever the row holds. */
  async deleteEntity(partitionKey: string, rowKey: string, etag?: string): Promise<void> {
    await this.client.deleteEntity(partitionKey, rowKey, etag === undefined ? {} : { etag });
  }

  async submitTransaction(actions: TransactionAction[]): Promise<void> {
    checkTransaction(actions);
    await this.client.submitTransaction(actions);
  }
}
