import { odata, type TableClient } from "@azure/data-tables";
import type { CreateHistoryResponse, HistoryReader, HistoryStore, ReplaceHistoryResponse, StoredHistoryRow } from "../aggregation/historyStore";
import type { HierarchyWeek } from "../aggregation/weekSnapshot";
import type { IsoWeek } from "../isoWeek";
import { int64, toCount } from "./jsonProperties";
import { GuardedTable } from "./guardedTable";
import { isStorageError, translateStorageError } from "./storageErrors";

type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string; etag?: string };

/** A history row's properties, without its keys; the week's snapshot row carries them too. */
export function historyProperties(row: HierarchyWeek): Record<string, unknown> {
  return {
    hierarchyId: row.hierarchyId,
    docId: row.docId,
    collectedAt: row.collectedAt,
    level: row.level,
    version: row.version,
    build: row.build,
    sites: row.sites,
    clients: int64(row.clients),
  };
}

/** A history row read back from an entity holding `historyProperties`. */
export function historyFromProperties(e: Record<string, unknown>, hierarchyKey: string, week: IsoWeek): HierarchyWeek {
  return {
    hierarchyId: String(e["hierarchyId"]),
    hierarchyKey,
    week,
    docId: String(e["docId"]),
    collectedAt: String(e["collectedAt"]),
    level: String(e["level"]),
    version: String(e["version"]),
    build: String(e["build"]),
    sites: toCount(e["sites"]),
    clients: toCount(e["clients"]),
  };
}

function toEntity(row: HierarchyWeek): Entity {
  return { partitionKey: row.hierarchyKey, rowKey: row.week, ...historyProperties(row) };
}

function fromEntity(e: Entity): HierarchyWeek {
  return historyFromProperties(e, e.partitionKey, e.rowKey as IsoWeek);
}

/**
 * The `HierarchyWeeks` table: PartitionKey = hierarchy (Base64url), RowKey = week, so a
 * hierarchy's history is one partition query. It implements the history store; which row
 * wins is the domain's rule (aggregation/recordHistory.ts).
 */
export class HierarchyWeeksTable implements HistoryStore, HistoryReader {
  private readonly writes: GuardedTable;

  constructor(readonly table: TableClient) {
    this.writes = new GuardedTable(table);
  }


  async create(row: HierarchyWeek): Promise<CreateHistoryResponse> {
    try {
      await this.writes.createEntity(toEntity(row));
      return "created";
    } catch (error) {
      if (isStorageError(error, 409, "EntityAlreadyExists")) return "exists";
      translateStorageError(error, "recording a hierarchy's week");
    }
  }

  async read(hierarchyKey: string, week: IsoWeek): Promise<StoredHistoryRow | undefined> {
    try {
      const e = await this.table.getEntity<Entity>(hierarchyKey, week);
      return { row: fromEntity(e), etag: e.etag };
    } catch (error) {
      if (isStorageError(error, 404, "ResourceNotFound")) return undefined;
      translateStorageError(error, "reading a hierarchy's week");
    }
  }

  async replace(row: HierarchyWeek, etag: string): Promise<ReplaceHistoryResponse> {
    try {
      await this.writes.updateEntity(toEntity(row), "Replace", { etag });
      return "replaced";
    } catch (error) {
      if (isStorageError(error, 412, "UpdateConditionNotSatisfied") || isStorageError(error, 404, "ResourceNotFound")) return "changed";
      translateStorageError(error, "updating a hierarchy's week");
    }
  }

  /** The hierarchy's weeks from `from` to `to` (inclusive, either open), oldest first. */
  async list(hierarchyKey: string, from?: IsoWeek, to?: IsoWeek): Promise<HierarchyWeek[]> {
    let filter = odata`PartitionKey eq ${hierarchyKey}`;
    if (from !== undefined) filter += odata` and RowKey ge ${from}`;
    if (to !== undefined) filter += odata` and RowKey le ${to}`;
    const rows: HierarchyWeek[] = [];
    try {
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter } })) rows.push(fromEntity(e));
    } catch (error) {
      translateStorageError(error, "listing a hierarchy's weeks");
    }
    return rows.sort((a, b) => (a.week < b.week ? -1 : a.week > b.week ? 1 : 0));
  }

  /** True when the hierarchy has any week at all. */
  async exists(hierarchyKey: string): Promise<boolean> {
    try {
      const page = await this.table
        .listEntities<Entity>({ queryOptions: { filter: odata`PartitionKey eq ${hierarchyKey}`, select: ["RowKey"] } })
        .byPage({ maxPageSize: 1 })
        .next();
      return page.done !== true && page.value.length > 0;
    } catch (error) {
      translateStorageError(error, "looking up a hierarchy");
    }
  }

  /** Removes one week of a hierarchy (a rebuild writes it again). */
  async remove(hierarchyKey: string, week: IsoWeek): Promise<void> {
    try {
      await this.writes.deleteEntity(hierarchyKey, week);
    } catch (error) {
      if (!isStorageError(error, 404, "ResourceNotFound")) translateStorageError(error, "removing a hierarchy's week");
    }
  }
}
