/**
 * A week's statistics as the query routes and the publisher read them: the shards' rollup
 * rows that storage decodes, merged here. Storage only encodes and decodes rows; the
 * arithmetic of putting shards together is the domain's.
 *
 * Every read names the columns it answers from (contract section 2: "a route reads only the
 * columns it answers from") and holds what it decodes within a read budget, the instance's
 * memory budget in the service: a rollup row may hold up to 1 MiB and a week has 256 of
 * them, so a read past the budget is refused (a 503 with Retry-After) rather than let grow.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as pause } from "node:timers/promises";
import { MemoryBudgetExceededError, NotFoundError } from "../errors";
import type { IsoWeek } from "../isoWeek";
import type { DimensionRollup, DimensionRollupReader } from "./dimensionRollup";
import { dimensionNamed, dimensions } from "./dimensions";
import { addRollup, dimensionRollupOf, emptyRollup, weekSummaryOf, type WeekRollup, type WeekSummary } from "./weekRollup";

/** Which parts of each shard's row to read: the totals, these dimensions and, when asked, the features (the rest stays on the server). */
export interface ShardSelection {
  dimensions: readonly string[];
  features?: boolean;
}

/** One read's hold on the budget: `reserve` throws (MemoryBudgetExceededError) and holds nothing more when the instance cannot take the bytes. */
export interface ReadLease {
  reserve(bytes: number): void;
  /** Gives back part of what was reserved. */
  giveBack(bytes: number): void;
  release(): void;
}

/** What a source needs of a read's lease; `reserve` may wait for room. */
export interface ReadReservation {
  reserve(bytes: number): void | Promise<void>;
  giveBack(bytes: number): void;
}

/**
 * How long a read waits for room in the budget before it is refused (503). Reads reserve a
 * page at its worst for the moment of a request, so room comes back within milliseconds
 * unless the instance really holds that much; a trend's eight reads at once then queue
 * instead of failing.
 */
export const READ_WAIT_MS = 2_000;
const READ_WAIT_STEP_MS = 20;

/** Where reads take their leases (the service's MemoryBudget). */
export interface ReadBudget {
  lease(): ReadLease;
}

/** Where a week's rollup rows come from (WeeklyStatsTable). */
export interface RollupShardSource {
  /**
   * Every shard's rollup row of a week from one range query, decoded one at a time as they
   * are taken and not merged; none for a week without data. `only` absent: every column.
   * Before each request the source reserves what its answer may cost at most, and gives it
   * back once its rows are taken; before it decodes a row it reserves what the row costs
   * decoded, and keeps that: the sum a reader folds the row into grows by no more. A
   * reservation that throws stops the read.
   */
  shards(week: IsoWeek, only?: ShardSelection, reservation?: ReadReservation): AsyncIterable<WeekRollup>;
  /** Every week that has data, oldest first. */
  listWeeks(): Promise<IsoWeek[]>;
}

/** Reserves `bytes`, waiting up to READ_WAIT_MS for room; then the budget's refusal stands. */
async function reserveWaiting(lease: ReadLease, bytes: number): Promise<void> {
  for (let waited = 0; ; waited += READ_WAIT_STEP_MS) {
    try {
      lease.reserve(bytes);
      return;
    } catch (error) {
      if (!(error instanceof MemoryBudgetExceededError) || waited >= READ_WAIT_MS) throw error;
    }
    await pause(READ_WAIT_STEP_MS);
  }
}

/** A budget that never refuses: for tools and tests that read whole weeks on purpose. */
export const unboundedReads: ReadBudget = { lease: () => ({ reserve: () => {}, giveBack: () => {}, release: () => {} }) };

/**
 * What a route's answer costs beside the merged rollup it is built from, as a share of what
 * that rollup's rows were reserved at: the dimension's values copied out of the rollup, the
 * route's array of rows, and its JSON text. Measured by bench (h) on rows full of short OS
 * names (the most entries per byte): 0.74 for stats/os, 1.17 for dimensions/os, so 1.25;
 * see docs/performance.md.
 */
export const ANSWER_SHARE = 1.25;

/** The leases of the reads made while a route answers, held until it has answered (answeringWithin). */
const answering = new AsyncLocalStorage<ReadLease[]>();

/**
 * Runs `answer`, a query route's reads and the building of its response, holding what its
 * reads reserved until `answer` has returned. A read hands over the merged rollup, which
 * stays alive while the route copies it into its answer and serialises that; both count
 * against the budget until then, and each read in here also reserves its answer's share
 * (ANSWER_SHARE) before it returns. Outside this scope (the publisher, tools) a read gives
 * everything back as it returns.
 */
export async function answeringWithin<T>(answer: () => Promise<T>): Promise<T> {
  const held: ReadLease[] = [];
  try {
    return await answering.run(held, answer);
  } finally {
    for (const lease of held) lease.release();
  }
}

export class WeekStats implements DimensionRollupReader {
  constructor(
    private readonly source: RollupShardSource,
    private readonly budget: ReadBudget = unboundedReads,
  ) {}

  /**
   * The week's shards folded into one rollup as storage decodes them, so that the sum and one
   * page of rows are alive at a time, never every shard. In a route (answeringWithin) the
   * lease outlives the read, with the answer's share reserved on top.
   */
  private async read(week: IsoWeek, only?: ShardSelection): Promise<WeekRollup> {
    const lease = this.budget.lease();
    const route = answering.getStore();
    let answered = false;
    try {
      let held = 0;
      const reservation: ReadReservation = {
        reserve: async (bytes) => {
          await reserveWaiting(lease, bytes);
          held += bytes;
        },
        giveBack: (bytes) => {
          lease.giveBack(bytes);
          held -= bytes;
        },
      };
      const total = emptyRollup();
      for await (const part of this.source.shards(week, only, reservation)) addRollup(total, part);
      if (route !== undefined) await reservation.reserve(held * ANSWER_SHARE);
      answered = true;
      return total;
    } finally {
      if (answered && route !== undefined) route.push(lease);
      else lease.release();
    }
  }

  /** The week's statistics, every column of every shard merged (tools and tests; no route reads this). Zeros for an empty week. */
  readRollup(week: IsoWeek): Promise<WeekRollup> {
    return this.read(week);
  }

  /** The totals and the version dimension: the versions route and the trends. */
  readVersions(week: IsoWeek): Promise<WeekRollup> {
    return this.read(week, { dimensions: ["version"] });
  }

  /** The totals and the OS dimension. */
  readOs(week: IsoWeek): Promise<WeekRollup> {
    return this.read(week, { dimensions: ["os"] });
  }

  /** The totals and the features. */
  readFeatures(week: IsoWeek): Promise<WeekRollup> {
    return this.read(week, { dimensions: [], features: true });
  }

  /** The week's totals alone. */
  readTotals(week: IsoWeek): Promise<WeekRollup> {
    return this.read(week, { dimensions: [] });
  }

  /** Only the totals and the version dimension (for trends). */
  async readSummary(week: IsoWeek): Promise<WeekSummary> {
    return weekSummaryOf(await this.readVersions(week));
  }

  /**
   * One dimension of one week, from a query that selects only that dimension, so it reads
   * ROLLUP_SHARDS entities whatever the number of hierarchies. NotFoundError for a name no
   * dimension has.
   */
  async readDimension(week: string, name: string): Promise<DimensionRollup> {
    if (dimensionNamed(name) === undefined) throw new NotFoundError(`No dimension is called ${JSON.stringify(name)}`);
    return dimensionRollupOf(await this.read(week as IsoWeek, { dimensions: [name] }), name);
  }

  /**
   * Every declared dimension of one week, keyed by name (the publisher), from one read of
   * every column: a week's rows are read once however many dimensions there are, so a
   * publish costs a fixed number of requests (16 pages of 256 shard rows) rather than one
   * read per dimension. What it holds is the sum of every dimension, each row reserved at
   * its decoded cost as any read's: no more than the rows themselves weigh decoded.
   */
  async readDimensions(week: string): Promise<Map<string, DimensionRollup>> {
    const rollup = await this.read(week as IsoWeek);
    return new Map(dimensions.map((d) => [d.name, dimensionRollupOf(rollup, d.name)]));
  }

  listWeeks(): Promise<IsoWeek[]> {
    return this.source.listWeeks();
  }
}
