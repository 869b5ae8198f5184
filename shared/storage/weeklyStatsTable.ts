import type { TableClient, TransactionAction } from "@azure/data-tables";
import { ROLLUP_SHARDS } from "../aggregation/hierarchyKey";
import { emptyRollup, mergeRollups, type Contribution, type Placement, type RollupBudget, type RollupMap, type WeekRollup } from "../aggregation/weekRollup";
import type { IsoWeek } from "../isoWeek";
import { historyFromProperties, historyProperties, type HierarchyWeek } from "./hierarchyWeeksTable";
import { fromJsonProperties, int64, JSON_CHUNK_UNITS, toCount, toJsonProperties } from "./jsonProperties";
import { GuardedTable } from "./guardedTable";
import { storageStatusOf, translateStorageError } from "./storageErrors";
import { entitySize, tableLimits } from "./tableLimits";

/** A hierarchy's snapshot for one week: its history row, plus what the document contributes and where it was counted. */
export interface WeekSnapshot extends HierarchyWeek {
  contribution: Contribution;
  placement: Placement;
}

export interface Versioned<T> {
  value: T;
  etag: string;
}

/** The `rebuild-lock` row of a week that a rebuild holds (or held, if it has expired). */
export interface RebuildLock {
  /** Who took it (`reaggregate@<host>`), for an operator who finds it. */
  holder: string;
  /** When it was taken (ISO 8601). */
  since: string;
  /** Until when it holds unless renewed (ISO 8601); absent on locks written before locks expired. */
  expiresAt: string | undefined;
}

export interface WeekState {
  snapshot: Versioned<WeekSnapshot> | undefined;
  rollup: Versioned<WeekRollup> | undefined;
  /** The week's rebuild lock, if it has one (expired or not: the caller decides). */
  lock: RebuildLock | undefined;
}

export type CommitResponse = "committed" | "conflict";

/** Row keys inside a week's partition; readable in Storage Explorer. */
export const rowKeys = {
  snapshot: (hierarchyKey: string) => `snapshot:${hierarchyKey}`,
  rollup: (shard: number) => `rollup:${String(shard).padStart(2, "0")}`,
  rebuildLock: "rebuild-lock",
} as const;

/** The partition that lists the weeks that have data (one row each). */
export const WEEK_INDEX_PARTITION = "weeks";

type Entity = Record<string, unknown>;

/**
 * Where a snapshot's folded entries went, by their index in the row's own `os` and `features`
 * lists: the names themselves would repeat up to 500 names of 768 escaped characters, which
 * with `os` would pass 1 MiB.
 */
interface FoldedIndexes {
  version: boolean;
  os: (number | string)[];
  features: (number | string)[];
}

const indexesIn = (names: Iterable<string>, folded: readonly string[]): number[] => {
  const wanted = new Set(folded);
  return [...names].flatMap((name, i) => (wanted.has(name) ? [i] : []));
};

// Rows written before placement was recorded by index hold the names themselves.
const namesAt = (names: readonly string[], folded: readonly (number | string)[]): string[] =>
  folded.map((entry) => (typeof entry === "number" ? names[entry] ?? "" : entry));

function snapshotToEntity(s: WeekSnapshot): Entity {
  const p = s.placement;
  const folded: FoldedIndexes = { version: p.version, os: indexesIn(s.contribution.os.keys(), p.os), features: indexesIn(s.contribution.features.keys(), p.features) };
  return {
    partitionKey: s.week,
    rowKey: rowKeys.snapshot(s.hierarchyKey),
    kind: "snapshot",
    ...historyProperties(s),
    featureLevel: s.contribution.featureLevel,
    ...toJsonProperties("os", [...s.contribution.os]),
    ...toJsonProperties("features", [...s.contribution.features].map(([name, f]) => [name, f.enabled, f.uses])),
    // Only when something was folded into "(other)" (a full rollup row): most rows never carry it.
    ...(p.version || p.os.length > 0 || p.features.length > 0 ? toJsonProperties("folded", folded) : {}),
  };
}

function snapshotFromEntity(e: Entity): WeekSnapshot {
  const history = historyFromProperties(e, String(e["rowKey"]).slice("snapshot:".length), String(e["partitionKey"]) as IsoWeek);
  const os = fromJsonProperties<[string, number][]>(e, "os", []);
  const features = fromJsonProperties<[string, boolean, number][]>(e, "features", []);
  const folded = fromJsonProperties<FoldedIndexes>(e, "folded", { version: false, os: [], features: [] });
  return {
    ...history,
    contribution: {
      clients: history.clients,
      version: history.version,
      featureLevel: e["featureLevel"] === true,
      os: new Map(os),
      features: new Map(features.map(([name, enabled, uses]) => [name, { enabled, uses }])),
    },
    placement: {
      version: folded.version,
      os: namesAt(os.map(([name]) => name), folded.os),
      features: namesAt(features.map(([name]) => name), folded.features),
    },
  };
}

function lockFromEntity(e: Entity): RebuildLock {
  const text = (name: string) => {
    const value = e[name];
    return typeof value === "string" ? value : undefined;
  };
  return { holder: text("holder") ?? "", since: text("since") ?? "", expiresAt: text("expiresAt") };
}

function rollupToEntity(week: IsoWeek, shard: number, r: WeekRollup): Entity {
  return {
    partitionKey: week,
    rowKey: rowKeys.rollup(shard),
    kind: "rollup",
    hierarchies: r.hierarchies,
    clients: int64(r.clients),
    featureHierarchies: r.featureHierarchies,
    ...toJsonProperties("versions", [...r.versions].map(([v, x]) => [v, x.hierarchies, x.clients])),
    ...toJsonProperties("os", [...r.os].map(([name, x]) => [name, x.clients, x.named])),
    ...toJsonProperties("features", [...r.features].map(([name, x]) => [name, x.enabledHierarchies, x.uses, x.named])),
  };
}

function rollupFromEntity(e: Entity): WeekRollup {
  const versions = fromJsonProperties<[string, number, number][]>(e, "versions", []);
  const os = fromJsonProperties<[string, number, number][]>(e, "os", []);
  const features = fromJsonProperties<[string, number, number, number][]>(e, "features", []);
  return {
    hierarchies: toCount(e["hierarchies"]),
    clients: toCount(e["clients"]),
    featureHierarchies: toCount(e["featureHierarchies"]),
    versions: new Map(versions.map(([v, hierarchies, clients]) => [v, { hierarchies, clients }])),
    os: new Map(os.map(([name, clients, named]) => [name, { clients, named }])),
    features: new Map(features.map(([name, enabledHierarchies, uses, named]) => [name, { enabledHierarchies, uses, named }])),
  };
}

// Counts in a rollup row are sums of counts the schema bounds at 1e9 over at most millions of
// snapshots, so they stay below 2^53: never longer than Number.MAX_SAFE_INTEGER's 16 digits.
const COUNT_CHARS = String(Number.MAX_SAFE_INTEGER).length;
const COUNTS_PER_ENTRY: Record<RollupMap, number> = { versions: 2, os: 2, features: 3 };

/**
 * Bytes (UTF-16, as Azure counts them) of one entry of a rollup row's JSON lists, with every
 * count at its longest, so that an entry's cost never grows after it is admitted: `[name,n,n]`
 * and the comma before the next entry.
 */
function rollupEntryBytes(map: RollupMap, name: string): number {
  return (JSON.stringify(name).length + COUNTS_PER_ENTRY[map] * (1 + COUNT_CHARS) + 2 + 1) * 2;
}

/**
 * What the rows of rollupToEntity may spend on entries: 1 MiB less the row without entries
 * (keys, counts, three empty lists) and the continuation properties (`os_1`, …) that a row
 * of 1 MiB of text can need (each list's text is split every JSON_CHUNK_UNITS - 1 units at
 * worst, and `features_NN` is the longest such name).
 */
function rollupRowBytes(): number {
  const bare = entitySize(rollupToEntity("2026-W53", ROLLUP_SHARDS - 1, emptyRollup()));
  const continuations = Math.ceil(tableLimits.maxEntityBytes / 2 / (JSON_CHUNK_UNITS - 1)) * (8 + "features_NN".length * 2 + 4);
  return tableLimits.maxEntityBytes - bare - continuations;
}

/**
 * The budget `addContribution` keeps a rollup row within: Azure's entity limit, and for the
 * versions list a single property, so that readSummary can select it alone.
 */
export const rollupRowBudget: RollupBudget = Object.freeze({
  bytes: rollupRowBytes(),
  versionBytes: (JSON_CHUNK_UNITS - 2) * 2,
  entryBytes: rollupEntryBytes,
});

const rollupRange = (week: IsoWeek) =>
  `PartitionKey eq '${week}' and RowKey ge '${rowKeys.rollup(0)}' and RowKey le '${rowKeys.rollup(ROLLUP_SHARDS - 1)}'`;

/**
 * The `WeeklyStats` table. Partition = ISO week. In it, one `snapshot:<hierarchy>` row per
 * hierarchy (the document that counts) and `rollup:00`..`rollup:07`, the week's statistics
 * split by hierarchy shard. A snapshot row and its shard's rollup row change together in one
 * entity group transaction, guarded by ETags: that is the exactly-once argument of
 * docs/data-model.md.
 */
export class WeeklyStatsTable {
  private readonly writes: GuardedTable;
  /** What a rollup row of this table may hold; aggregation keeps rows within it. */
  readonly rollupBudget: RollupBudget = rollupRowBudget;

  constructor(readonly table: TableClient) {
    this.writes = new GuardedTable(table);
  }

  /** One query: the hierarchy's snapshot row, its shard's rollup row, and the rebuild lock. */
  async readForUpdate(week: IsoWeek, hierarchyKey: string, shard: number): Promise<WeekState> {
    const filter =
      `PartitionKey eq '${week}' and (RowKey eq '${rowKeys.snapshot(hierarchyKey)}' or ` +
      `RowKey eq '${rowKeys.rollup(shard)}' or RowKey eq '${rowKeys.rebuildLock}')`;
    const state: WeekState = { snapshot: undefined, rollup: undefined, lock: undefined };
    try {
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter } })) {
        if (e.rowKey === rowKeys.rebuildLock) state.lock = lockFromEntity(e);
        else if (e.rowKey === rowKeys.rollup(shard)) state.rollup = { value: rollupFromEntity(e), etag: e.etag };
        else state.snapshot = { value: snapshotFromEntity(e), etag: e.etag };
      }
    } catch (error) {
      translateStorageError(error, "reading a week's statistics");
    }
    return state;
  }

  /**
   * Writes a snapshot and its shard's rollup atomically, each only if unchanged since it was
   * read (its ETag) or, when it was absent, only if still absent. `conflict` when another
   * worker or a rebuild got there first: the caller reads again and recomputes.
   */
  async commit(
    snapshot: WeekSnapshot,
    snapshotEtag: string | undefined,
    shard: number,
    rollup: WeekRollup,
    rollupEtag: string | undefined,
  ): Promise<CommitResponse> {
    const write = (entity: Entity, etag: string | undefined): TransactionAction =>
      etag === undefined
        ? ["create", entity as Entity & { partitionKey: string; rowKey: string }]
        : ["update", entity as Entity & { partitionKey: string; rowKey: string }, "Replace", { etag }];
    try {
      await this.writes.submitTransaction([
        write(snapshotToEntity(snapshot), snapshotEtag),
        write(rollupToEntity(snapshot.week, shard, rollup), rollupEtag),
      ]);
      return "committed";
    } catch (error) {
      const status = storageStatusOf(error);
      if (status === 412 || status === 409 || status === 404) return "conflict";
      translateStorageError(error, "committing a week's statistics");
    }
  }

  /** The week's statistics: every shard's rollup row in one range query, merged. Zeros for an empty week. */
  async readRollup(week: IsoWeek): Promise<WeekRollup> {
    const parts: WeekRollup[] = [];
    try {
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter: rollupRange(week) } })) parts.push(rollupFromEntity(e));
    } catch (error) {
      translateStorageError(error, "reading a week's statistics");
    }
    return parts.length === 0 ? emptyRollup() : mergeRollups(parts);
  }

  /** Like readRollup, but only the totals and versions (for trends): the OS and feature maps stay on the server. */
  async readSummary(week: IsoWeek): Promise<Pick<WeekRollup, "hierarchies" | "clients" | "versions">> {
    const parts: WeekRollup[] = [];
    try {
      // rollupRowBudget keeps the versions list within one property.
      const select = ["hierarchies", "clients", "versions"];
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter: rollupRange(week), select } })) parts.push(rollupFromEntity(e));
    } catch (error) {
      translateStorageError(error, "reading a week's statistics");
    }
    const merged = mergeRollups(parts);
    return { hierarchies: merged.hierarchies, clients: merged.clients, versions: merged.versions };
  }

  /** Records that a week has data (idempotent). */
  async markWeek(week: IsoWeek): Promise<void> {
    try {
      await this.writes.upsertEntity({ partitionKey: WEEK_INDEX_PARTITION, rowKey: week }, "Replace");
    } catch (error) {
      translateStorageError(error, "indexing a week");
    }
  }

  /** Every week that has data, oldest first. */
  async listWeeks(): Promise<IsoWeek[]> {
    const weeks: IsoWeek[] = [];
    try {
      const filter = `PartitionKey eq '${WEEK_INDEX_PARTITION}'`;
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter, select: ["RowKey"] } })) weeks.push(e.rowKey as IsoWeek);
    } catch (error) {
      translateStorageError(error, "listing weeks");
    }
    return weeks.sort();
  }

  /** Every snapshot of a week (for a rebuild). */
  async listSnapshots(week: IsoWeek): Promise<WeekSnapshot[]> {
    const snapshots: WeekSnapshot[] = [];
    const filter = `PartitionKey eq '${week}' and RowKey ge 'snapshot:' and RowKey lt 'snapshot;'`;
    try {
      for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter } })) snapshots.push(snapshotFromEntity(e));
    } catch (error) {
      translateStorageError(error, "listing a week's snapshots");
    }
    return snapshots;
  }

  /**
   * Writes a week's rebuild lock: taking it, or renewing it with a later `expiresAt`. Live
   * aggregation defers the week's messages while the lock stands and has not expired.
   */
  async lockWeek(week: IsoWeek, lock: RebuildLock): Promise<void> {
    try {
      await this.writes.upsertEntity({ partitionKey: week, rowKey: rowKeys.rebuildLock, ...lock }, "Replace");
    } catch (error) {
      translateStorageError(error, "locking a week");
    }
  }

  /** The week's rebuild lock, if it has one. */
  async readLock(week: IsoWeek): Promise<RebuildLock | undefined> {
    try {
      return lockFromEntity(await this.table.getEntity<Entity>(week, rowKeys.rebuildLock));
    } catch (error) {
      if (storageStatusOf(error) === 404) return undefined;
      translateStorageError(error, "reading a week's lock");
    }
  }

  async unlockWeek(week: IsoWeek): Promise<void> {
    try {
      await this.writes.deleteEntity(week, rowKeys.rebuildLock);
    } catch (error) {
      if (storageStatusOf(error) !== 404) translateStorageError(error, "unlocking a week");
    }
  }

  /**
   * Deletes every snapshot and rollup row of a week, in transactions of up to 100, until a
   * listing finds none (a worker that read before the lock may still insert a pair).
   */
  async clearWeek(week: IsoWeek): Promise<number> {
    const filter = `PartitionKey eq '${week}' and RowKey ne '${rowKeys.rebuildLock}'`;
    let deleted = 0;
    for (;;) {
      const keys: string[] = [];
      try {
        for await (const e of this.table.listEntities<Entity>({ queryOptions: { filter, select: ["RowKey"] } })) if (e.rowKey !== undefined) keys.push(e.rowKey);
      } catch (error) {
        translateStorageError(error, "listing a week's rows");
      }
      if (keys.length === 0) return deleted;
      for (let i = 0; i < keys.length; i += 100) {
        const actions = keys.slice(i, i + 100).map((rowKey): TransactionAction => ["delete", { partitionKey: week, rowKey }]);
        try {
          await this.writes.submitTransaction(actions);
          deleted += actions.length;
        } catch (error) {
          // A row that vanished meanwhile fails the whole group; the next listing sorts it out.
          if (storageStatusOf(error) !== 404) translateStorageError(error, "clearing a week");
        }
      }
    }
  }
}

