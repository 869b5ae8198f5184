import { odata, type TableClient, type TableEntity, type TransactionAction } from "@azure/data-tables";
import { TableLimitError } from "../errors";
import type { IsoWeek } from "../isoWeek";
import { PUBLISHED_ROW_KEY, publishedRowKey } from "../publishing/publishedRowKey";
import type { PublishedRow, PublishedSummary } from "../publishing/publishedRows";
import { RowsRefusedError, type PublishedPartition, type PublishedWeek, type PublishedWeekStore, type PublishSummaryResponse } from "../publishing/publishedWeekStore";
import { GuardedTable } from "./guardedTable";
import { int64, toCount } from "./jsonProperties";
import { isStorageError, translateStorageError } from "./storageErrors";
import { transactionSize } from "./tableLimits";

/** Operations in one transaction: Azure's limit. */
const BATCH_OPERATIONS = 100;

/** Bytes in one transaction, kept well under Azure's 4 MiB so that the guard never has to refuse one. */
const BATCH_BYTES = 3 * 1024 * 1024;

type Entity = Record<string, unknown>;

/** An Edm.Double property even for a whole number, so that a figure has one type in every row and filters compare it. */
const double = (value: number) => ({ value: String(value), type: "Double" as const });

/** The figure properties of a distribution, a null one left out (a table has no null). */
function figures(row: Extract<PublishedRow, { kind: "distribution" }>): Entity {
  const entity: Entity = {};
  for (const name of ["sum", "mean", "min", "max", "p50", "p90", "p99"] as const) {
    const value = row[name];
    if (value !== null) entity[name] = double(value);
  }
  return entity;
}

function rowToEntity(week: IsoWeek, row: PublishedRow): TableEntity {
  const base = { partitionKey: week, dimension: row.dimension, kind: row.kind, hierarchies: row.hierarchies };
  switch (row.kind) {
    case "hierarchy":
    case "clients":
      return { ...base, rowKey: publishedRowKey(row), value: row.value, clients: int64(row.clients) };
    case "set":
      return { ...base, rowKey: publishedRowKey(row), value: row.value, count: int64(row.count) };
    case "distribution":
      return { ...base, rowKey: publishedRowKey(row), ...figures(row) };
  }
}

function rowFromEntity(e: Entity): PublishedRow {
  const text = (name: string) => {
    const value = e[name];
    return typeof value === "string" ? value : "";
  };
  const figure = (name: string) => (typeof e[name] === "number" ? e[name] : null);
  const dimension = text("dimension");
  const hierarchies = toCount(e["hierarchies"]);
  const kind = text("kind");
  if (kind === "set") return { dimension, kind, value: text("value"), hierarchies, count: toCount(e["count"]) };
  if (kind === "hierarchy" || kind === "clients") return { dimension, kind, value: text("value"), hierarchies, clients: toCount(e["clients"]) };
  return { dimension, kind: "distribution", hierarchies, sum: figure("sum"), mean: figure("mean"), min: figure("min"), max: figure("max"), p50: figure("p50"), p90: figure("p90"), p99: figure("p99") };
}

/**
 * Splits actions into transactions within Azure's 100 operations and (with a wide margin)
 * 4 MiB, in order.
 */
function batchesOf(actions: readonly TransactionAction[]): TransactionAction[][] {
  const batches: TransactionAction[][] = [];
  let current: TransactionAction[] = [];
  for (const action of actions) {
    if (current.length === BATCH_OPERATIONS || (current.length > 0 && transactionSize([...current, action]) > BATCH_BYTES)) {
      batches.push(current);
      current = [];
    }
    current.push(action);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The published `WeeklyDimensions` table (contract section 4.2): one partition per week.
 * Encodes rows as entities product teams can filter on (counts Int32 or Int64, figures
 * Double, `asOf` a DateTime) and translates storage errors; it computes nothing.
 */
export class WeeklyDimensionsTable implements PublishedWeekStore {
  private readonly writes: GuardedTable;

  constructor(private readonly table: TableClient) {
    this.writes = new GuardedTable(table);
  }

  /** The keys a week's partition holds now, and the `~published` row's ETag. One query (paged). */
  async readPartition(week: IsoWeek): Promise<PublishedPartition> {
    const rowKeys: string[] = [];
    let publishedEtag: string | undefined;
    try {
      const filter = odata`PartitionKey eq ${week}`;
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter, select: ["RowKey"] } })) {
        if (e.rowKey === PUBLISHED_ROW_KEY) publishedEtag = e.etag;
        else if (e.rowKey !== undefined) rowKeys.push(e.rowKey);
      }
    } catch (error) {
      translateStorageError(error, "reading a published week");
    }
    return { rowKeys, publishedEtag };
  }

  /**
   * Writes (replaces) a week's rows, in transactions of at most 100. Writing the same rows twice is harmless.
   * @throws RowsRefusedError when the guard or the table refuses them for what they hold.
   */
  async writeRows(week: IsoWeek, rows: readonly PublishedRow[]): Promise<void> {
    const actions: TransactionAction[] = rows.map((row) => ["upsert", rowToEntity(week, row), "Replace"]);
    try {
      for (const batch of batchesOf(actions)) await this.writes.submitTransaction(batch);
    } catch (error) {
      // Any 400 to a transaction of upserts says its rows are wrong (a duplicate key, a value
      // the table will not hold), and 413 that they are too big: sending them again cannot help.
      if (error instanceof TableLimitError || isStorageError(error, 400) || isStorageError(error, 413, "RequestBodyTooLarge")) {
        throw new RowsRefusedError(`${week}: the table refused published rows`, { cause: error });
      }
      translateStorageError(error, "writing published rows");
    }
  }

  /**
   * Deletes rows of a week by key, in transactions of at most 100. A transaction fails whole
   * when one of its rows is already gone (another publish of the week deleted it): that batch
   * is then deleted row by row, a missing row counting as deleted.
   */
  async deleteRows(week: IsoWeek, rowKeys: readonly string[]): Promise<void> {
    const actions: TransactionAction[] = rowKeys.map((rowKey) => ["delete", { partitionKey: week, rowKey }]);
    try {
      for (const batch of batchesOf(actions)) {
        try {
          await this.writes.submitTransaction(batch);
        } catch (error) {
          if (!isStorageError(error, 404, "ResourceNotFound")) throw error;
          for (const [, entity] of batch) await this.deleteIfPresent(week, entity.rowKey);
        }
      }
    } catch (error) {
      translateStorageError(error, "deleting published rows");
    }
  }

  private async deleteIfPresent(week: IsoWeek, rowKey: string): Promise<void> {
    try {
      await this.writes.deleteEntity(week, rowKey);
    } catch (error) {
      if (!isStorageError(error, 404, "ResourceNotFound")) throw error;
    }
  }

  /**
   * Writes the `~published` row if it is still as `readPartition` found it (`etag`, or absent
   * when undefined); `conflict` when another publish of the week wrote it in between.
   */
  async writeSummary(week: IsoWeek, summary: PublishedSummary, etag: string | undefined): Promise<PublishSummaryResponse> {
    const entity = { partitionKey: week, rowKey: PUBLISHED_ROW_KEY, asOf: summary.asOf, hierarchies: summary.hierarchies, minHierarchies: summary.minHierarchies };
    try {
      if (etag === undefined) await this.writes.createEntity(entity);
      else await this.writes.updateEntity(entity, "Replace", { etag });
      return "written";
    } catch (error) {
      const changedSince =
        isStorageError(error, 409, "EntityAlreadyExists") || isStorageError(error, 412, "UpdateConditionNotSatisfied") || isStorageError(error, 404, "ResourceNotFound");
      if (changedSince) return "conflict";
      translateStorageError(error, "writing a week's ~published row");
    }
  }

  /** A week's rows in key order, and its `~published` row. */
  async readWeek(week: IsoWeek): Promise<PublishedWeek> {
    const rows: PublishedRow[] = [];
    let summary: PublishedSummary | undefined;
    try {
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter: odata`PartitionKey eq ${week}` } })) {
        if (e.rowKey !== PUBLISHED_ROW_KEY) rows.push(rowFromEntity(e));
        else summary = { asOf: e["asOf"] instanceof Date ? e["asOf"] : new Date(String(e["asOf"])), hierarchies: toCount(e["hierarchies"]), minHierarchies: toCount(e["minHierarchies"]) };
      }
    } catch (error) {
      translateStorageError(error, "reading a published week");
    }
    return { rows, summary };
  }
}

