import type { TableClient } from "@azure/data-tables";
import { compareSnapshots } from "../aggregation/weekRollup";
import type { HierarchyWeek } from "../aggregation/weekSnapshot";
import { ContentionError } from "../errors";
import type { IsoWeek } from "../isoWeek";
import { int64, toCount } from "./jsonProperties";
import { GuardedTable } from "./guardedTable";
import { storageStatusOf, translateStorageError } from "./storageErrors";

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

// Writers race only when two documents of one hierarchy and week are aggregated at once.
const MAX_ATTEMPTS = 10;

/**
 * The `HierarchyWeeks` table: PartitionKey = hierarchy (Base64url), RowKey = week, so a
 * hierarchy's history is one partition query. A row only ever moves forward in snapshot
 * order, so writers in any order and any number of times converge on the week's snapshot.
 */
export class HierarchyWeeksTable {
  private readonly writes: GuardedTable;

  constructor(readonly table: TableClient) {
    this.writes = new GuardedTable(table);
  }

  /**
   * Makes the row the later of itself and `row`. One write when the week is new to the
   * hierarchy; `existing` (the caller saw the week's snapshot already) starts with the read
   * instead, saving the create that would only fail.
   */
  async record(row: HierarchyWeek, existing = false): Promise<void> {
    const entity = toEntity(row);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0 || !existing) {
        try {
          await this.writes.createEntity(entity);
          return;
        } catch (error) {
          if (storageStatusOf(error) !== 409) translateStorageError(error, "recording a hierarchy's week");
        }
      }
      let current: Entity;
      try {
        current = await this.table.getEntity<Entity>(row.hierarchyKey, row.week);
      } catch (error) {
        if (storageStatusOf(error) === 404) continue; // deleted meanwhile (a rebuild): create again
        translateStorageError(error, "reading a hierarchy's week");
      }
      if (compareSnapshots(fromEntity(current), row) >= 0) return;
      try {
        await this.writes.updateEntity(entity, "Replace", { etag: current.etag ?? "*" });
        return;
      } catch (error) {
        const status = storageStatusOf(error);
        if (status !== 412 && status !== 404) translateStorageError(error, "updating a hierarchy's week");
      }
    }
    throw new ContentionError(`could not record week ${row.week} of a hierarchy after ${MAX_ATTEMPTS} attempts`);
  }

  /** The hierarchy's weeks from `from` to `to` (inclusive, either open), oldest first. */
  async list(hierarchyKey: string, from?: IsoWeek, to?: IsoWeek): Promise<HierarchyWeek[]> {
    let filter = `PartitionKey eq '${hierarchyKey}'`;
    if (from !== undefined) filter += ` and RowKey ge '${from}'`;
    if (to !== undefined) filter += ` and RowKey le '${to}'`;
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
        .listEntities<Entity>({ queryOptions: { filter: `PartitionKey eq '${hierarchyKey}'`, select: ["RowKey"] } })
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
      if (storageStatusOf(error) !== 404) translateStorageError(error, "removing a hierarchy's week");
    }
  }
}
