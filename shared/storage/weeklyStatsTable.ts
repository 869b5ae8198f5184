import type { TableClient, TransactionAction } from "@azure/data-tables";
import { dimensionNamed, dimensions } from "../aggregation/dimensions";
import { exactSumFromText, exactSumText } from "../aggregation/exactSum";
import { ROLLUP_SHARDS } from "../aggregation/hierarchyKey";
import type { RollupShardSource, ShardSelection } from "../aggregation/weekStats";
import {
  emptyRollup,
  isFolded,
  type DimensionValue,
  type RollupBudget,
  type RollupDimension,
  type RollupList,
  type WeekRollup,
} from "../aggregation/weekRollup";
import type { IsoWeek } from "../isoWeek";
import { fromBinaryNameProperties, toBinaryNameProperties } from "./binaryNames";
import type { WeekSnapshot } from "../aggregation/weekSnapshot";
import { historyFromProperties, historyProperties } from "./hierarchyWeeksTable";
import { fromJsonProperties, int64, JSON_CHUNK_UNITS, toCount, toJsonProperties } from "./jsonProperties";
import { GuardedTable } from "./guardedTable";
import { storageStatusOf, translateStorageError } from "./storageErrors";
import { entitySize, tableLimits } from "./tableLimits";

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

const SHARD_DIGITS = String(ROLLUP_SHARDS - 1).length;

/** Row keys inside a week's partition; readable in Storage Explorer. */
export const rowKeys = {
  snapshot: (hierarchyKey: string) => `snapshot:${hierarchyKey}`,
  rollup: (shard: number) => `rollup:${String(shard).padStart(SHARD_DIGITS, "0")}`,
  rebuildLock: "rebuild-lock",
} as const;

/** The partition that lists the weeks that have data (one row each). */
export const WEEK_INDEX_PARTITION = "weeks";

type Entity = Record<string, unknown>;

// ---- snapshot rows ----

/**
 * What a snapshot row holds of its contribution, as JSON that names nothing itself: every
 * name is its index in the row's binary name list (binaryNames.ts), where a name costs 2
 * bytes a code unit. `d` lists the dimensions that apply, by name: a value (kind hierarchy),
 * `[[name, count], …]` (set, clients) or the number (distribution).
 */
interface StoredContribution {
  f: [number, 0 | 1, number][];
  d: [string, number | [number, number][]][];
}

/**
 * Where a snapshot's folded entries went, by position: `f` its features' positions in `f`,
 * `v` per dimension its values' positions in that dimension's list, `b` per distribution the
 * bucket it was counted in.
 */
interface StoredPlacement {
  f: number[];
  v: [string, number[]][];
  b: [string, number][];
}

/** Positions of the `folded` among `names`. */
const positionsIn = (names: Iterable<string>, folded: readonly string[]): number[] => {
  const wanted = new Set(folded);
  return [...names].flatMap((name, i) => (wanted.has(name) ? [i] : []));
};

function snapshotToEntity(s: WeekSnapshot): Entity {
  const names: string[] = [];
  const refs = new Map<string, number>();
  const ref = (name: string): number => {
    let at = refs.get(name);
    if (at === undefined) {
      at = names.length;
      names.push(name);
      refs.set(name, at);
    }
    return at;
  };
  const c = s.contribution;
  const stored: StoredContribution = {
    f: [...c.features].map(([name, f]) => [ref(name), f.enabled ? 1 : 0, f.uses]),
    d: [...c.dimensions].map(([dimension, value]) => {
      if (typeof value === "number") return [dimension, value];
      if (typeof value === "string") return [dimension, ref(value)];
      return [dimension, [...value].map(([name, count]): [number, number] => [ref(name), count])];
    }),
  };
  const p = s.placement;
  const placement: StoredPlacement = {
    f: positionsIn(c.features.keys(), p.features),
    v: [...p.values].map(([dimension, folded]) => [dimension, positionsIn(valueNames(c.dimensions.get(dimension)), folded)]),
    b: [...p.buckets],
  };
  return {
    partitionKey: s.week,
    rowKey: rowKeys.snapshot(s.hierarchyKey),
    kind: "snapshot",
    ...historyProperties(s),
    featureLevel: c.featureLevel,
    ...toJsonProperties("contribution", stored),
    ...toBinaryNameProperties("names", names),
    // Only when something was folded (a full rollup row): most rows never carry it.
    ...(isFolded(p) ? toJsonProperties("folded", placement) : {}),
  };
}

/** The names a categorical value gives, in order; none for a distribution's number. */
function valueNames(value: DimensionValue | undefined): string[] {
  if (value === undefined || typeof value === "number") return [];
  return typeof value === "string" ? [value] : [...value.keys()];
}

function snapshotFromEntity(e: Entity): WeekSnapshot {
  const history = historyFromProperties(e, String(e["rowKey"]).slice("snapshot:".length), String(e["partitionKey"]) as IsoWeek);
  const names = fromBinaryNameProperties(e, "names");
  const name = (at: number) => names[at] ?? "";
  const stored = fromJsonProperties<StoredContribution>(e, "contribution", { f: [], d: [] });
  const folded = fromJsonProperties<StoredPlacement>(e, "folded", { f: [], v: [], b: [] });
  const features = stored.f.map(([at, enabled, uses]) => [name(at), { enabled: enabled === 1, uses }] as const);
  const values = new Map<string, DimensionValue>();
  for (const [dimension, value] of stored.d) {
    const kind = dimensionNamed(dimension)?.kind;
    if (kind === "distribution") values.set(dimension, value as number);
    else if (kind === "hierarchy") values.set(dimension, name(value as number));
    // A dimension no longer declared is left out: nothing counts it any more.
    else if (kind !== undefined) values.set(dimension, new Map((value as [number, number][]).map(([at, count]) => [name(at), count])));
  }
  const at = (list: readonly string[], positions: readonly number[]) => positions.map((i) => list[i] ?? "");
  return {
    ...history,
    contribution: { clients: history.clients, featureLevel: e["featureLevel"] === true, features: new Map(features), dimensions: values },
    placement: {
      features: at(features.map(([n]) => n), folded.f),
      values: new Map(folded.v.map(([dimension, positions]) => [dimension, at(valueNames(values.get(dimension)), positions)])),
      buckets: new Map(folded.b),
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

// ---- rollup rows ----

/** The property of a rollup row that holds one dimension (continued in `<it>_1`, …). */
const dimensionProperty = (name: string) => `d_${name}`;

/**
 * One dimension as JSON: `[hierarchies, clients, [[value, hierarchies, clients, count], …]]`,
 * or for a distribution `[hierarchies, clients, "<exact sum>", [[bucket, hierarchies], …]]`.
 */
type StoredCategorical = [number, number, [string, number, number, number][]];
type StoredDistribution = [number, number, string, [number, number][]];

function dimensionToJson(d: RollupDimension): StoredCategorical | StoredDistribution {
  if (d.kind === "distribution") return [d.hierarchies, d.clients, exactSumText(d.sum), [...d.buckets]];
  return [d.hierarchies, d.clients, [...d.values].map(([value, v]) => [value, v.hierarchies, v.clients, v.count])];
}

function dimensionFromEntity(e: Entity, name: string): RollupDimension | undefined {
  const kind = dimensionNamed(name)?.kind;
  const stored = fromJsonProperties<StoredCategorical | StoredDistribution | undefined>(e, dimensionProperty(name), undefined);
  if (kind === undefined || stored === undefined) return undefined;
  if (kind === "distribution") {
    const [hierarchies, clients, sum, buckets] = stored as StoredDistribution;
    return { kind, hierarchies, clients, sum: exactSumFromText(sum), buckets: new Map(buckets) };
  }
  const [hierarchies, clients, values] = stored as StoredCategorical;
  return { kind, hierarchies, clients, values: new Map(values.map(([value, h, c, n]) => [value, { hierarchies: h, clients: c, count: n }])) };
}

function rollupToEntity(week: IsoWeek, shard: number, r: WeekRollup): Entity {
  const entity: Entity = {
    partitionKey: week,
    rowKey: rowKeys.rollup(shard),
    kind: "rollup",
    hierarchies: r.hierarchies,
    clients: int64(r.clients),
    featureHierarchies: r.featureHierarchies,
    ...toJsonProperties("features", [...r.features].map(([name, x]) => [name, x.enabledHierarchies, x.uses, x.named])),
  };
  for (const [name, d] of r.dimensions) Object.assign(entity, toJsonProperties(dimensionProperty(name), dimensionToJson(d)));
  return entity;
}

function rollupFromEntity(e: Entity): WeekRollup {
  const features = fromJsonProperties<[string, number, number, number][]>(e, "features", []);
  const rollup = emptyRollup();
  rollup.hierarchies = toCount(e["hierarchies"]);
  rollup.clients = toCount(e["clients"]);
  rollup.featureHierarchies = toCount(e["featureHierarchies"]);
  rollup.features = new Map(features.map(([name, enabledHierarchies, uses, named]) => [name, { enabledHierarchies, uses, named }]));
  for (const { name } of dimensions) {
    const d = dimensionFromEntity(e, name);
    if (d !== undefined) rollup.dimensions.set(name, d);
  }
  return rollup;
}

// Counts in a rollup row are sums of counts the schema bounds at 1e9 over at most millions of
// snapshots, so they stay below 2^53: never longer than Number.MAX_SAFE_INTEGER's 16 digits
// (a minus sign included, for a count on its way down).
const COUNT_CHARS = String(Number.MAX_SAFE_INTEGER).length + 1;
/** The longest bucket index (EXACT_BASE of logBuckets.ts is about -4.5e15). */
const BUCKET_CHARS = 17;
/**
 * The longest exact sum text: values below 2^40 (the schema's largest is 1e12) over fewer than
 * 2^32 snapshots are below 2^72, so with 1074 bits of fraction a sum has at most 1146 bits:
 * 287 hex digits, a sign and the exponent.
 */
const SUM_CHARS = 287 + 1 + "p-1074".length;

/**
 * Bytes (UTF-16, as Azure counts them) of one entry of a rollup row's JSON lists, with every
 * count at its longest, so that an entry's cost never grows after it is admitted: `[name,n,n,n]`
 * or `[bucket,n]`, and the comma before the next entry.
 */
function rollupEntryBytes(list: RollupList, name: string): number {
  const kind = list === "features" ? "features" : dimensionNamed(list)?.kind;
  if (kind === "distribution") return (BUCKET_CHARS + 1 + COUNT_CHARS + 2 + 1) * 2;
  return (JSON.stringify(name).length + 3 * (1 + COUNT_CHARS) + 2 + 1) * 2;
}

/** A rollup row without entries, every count and sum at its longest. */
function bareRollupRow(): Entity {
  const rollup = emptyRollup();
  const longest = Number.MAX_SAFE_INTEGER;
  rollup.hierarchies = longest;
  rollup.clients = longest;
  rollup.featureHierarchies = longest;
  for (const d of rollup.dimensions.values()) {
    d.hierarchies = -longest;
    d.clients = -longest;
  }
  const entity = rollupToEntity("2026-W53", ROLLUP_SHARDS - 1, rollup);
  for (const d of dimensions) {
    if (d.kind === "distribution") entity[dimensionProperty(d.name)] = `[${-longest},${-longest},"${"f".repeat(SUM_CHARS)}",[]]`;
  }
  return entity;
}

/**
 * What the rows of rollupToEntity may spend on entries: 1 MiB less the row without entries
 * (keys, counts, empty lists) and the continuation properties (`d_os_1`, …) that a row of
 * 1 MiB of text can need (each list's text is split every JSON_CHUNK_UNITS - 1 units at worst,
 * plus one more for each list, and `d_collectionRuntimeSeconds_NN` is the longest such name).
 */
function rollupRowBytes(): number {
  const longestName = Math.max(...dimensions.map((d) => dimensionProperty(d.name).length)) + "_NN".length;
  const splits = Math.ceil(tableLimits.maxEntityBytes / 2 / (JSON_CHUNK_UNITS - 1)) + dimensions.length + 1;
  return tableLimits.maxEntityBytes - entitySize(bareRollupRow()) - splits * (8 + longestName * 2 + 4);
}

/**
 * The budget `addContribution` keeps a rollup row within: Azure's entity limit. As sent, a
 * row is at most 1.5 times that (a UTF-16 unit is 2 bytes here and at most 3 in UTF-8), and a
 * snapshot row well under 1 MiB (its names are Binary, sent as Base64), so their transaction
 * stays far below the 4 MiB a transaction may carry.
 */
export const rollupRowBudget: RollupBudget = Object.freeze({ bytes: rollupRowBytes(), entryBytes: rollupEntryBytes });

/** The properties that hold one dimension in a rollup row, continuations included (a query selects them). */
function dimensionProperties(name: string): string[] {
  const most = Math.ceil(tableLimits.maxEntityBytes / 2 / (JSON_CHUNK_UNITS - 1));
  return Array.from({ length: most + 1 }, (_, i) => (i === 0 ? dimensionProperty(name) : `${dimensionProperty(name)}_${i}`));
}

const rollupRange = (week: IsoWeek) =>
  `PartitionKey eq '${week}' and RowKey ge '${rowKeys.rollup(0)}' and RowKey le '${rowKeys.rollup(ROLLUP_SHARDS - 1)}'`;

/**
 * The `WeeklyStats` table. Partition = ISO week. In it, one `snapshot:<hierarchy>` row per
 * hierarchy (the document that counts) and `rollup:000`..`rollup:255`, the week's statistics
 * split by hierarchy shard. A snapshot row and its shard's rollup row change together in one
 * entity group transaction, guarded by ETags: that is the exactly-once argument of
 * docs/data-model.md.
 */
export class WeeklyStatsTable implements RollupShardSource {
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

  /**
   * Every shard's rollup row of a week in one range query, decoded and not merged (the
   * domain merges: shared/aggregation/weekStats.ts). With `only`, the query selects the
   * totals and those dimensions' properties, continuations included.
   */
  async readShards(week: IsoWeek, only?: ShardSelection): Promise<WeekRollup[]> {
    const parts: WeekRollup[] = [];
    const filter = rollupRange(week);
    const queryOptions = only === undefined ? { filter } : { filter, select: ["hierarchies", "clients", ...only.dimensions.flatMap(dimensionProperties)] };
    try {
      for await (const e of this.table.listEntities<Entity>({ queryOptions })) parts.push(rollupFromEntity(e));
    } catch (error) {
      translateStorageError(error, "reading a week's statistics");
    }
    return parts;
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

