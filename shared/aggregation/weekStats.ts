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
import { setTimeout as pause } from "node:timers/promises";
import { MemoryBudgetExceededError, NotFoundError } from "../errors";
import type { IsoWeek } from "../isoWeek";
import type { DimensionRollup, DimensionRollupReader } from "./dimensionRollup";
import { dimensionNamed, dimensions } from "./dimensions";
import { dimensionRollupOf, mergeRollups, weekSummaryOf, type WeekRollup, type WeekSummary } from "./weekRollup";

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
   * Every shard's rollup row of a week in one range query, decoded and not merged; none for a
   * week without data. `only` absent: every column. Before each request the source reserves
   * what its answer may cost at most, and gives back what the rows turned out not to cost;
   * a reservation that throws stops the read.
   */
  readShards(week: IsoWeek, only?: ShardSelection, reservation?: ReadReservation): Promise<WeekRollup[]>;
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

export class WeekStats implements DimensionRollupReader {
  constructor(
    private readonly source: RollupShardSource,
    private readonly budget: ReadBudget = unboundedReads,
  ) {}

  private async read(week: IsoWeek, only?: ShardSelection): Promise<WeekRollup> {
    const lease = this.budget.lease();
    try {
      const reservation: ReadReservation = { reserve: (bytes) => reserveWaiting(lease, bytes), giveBack: (bytes) => lease.giveBack(bytes) };
      return mergeRollups(await this.source.readShards(week, only, reservation));
    } finally {
      lease.release();
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
   * Every declared dimension of one week, keyed by name: one selecting read per dimension,
   * one after the other, so that at most one dimension's rows are held at a time.
   */
  async readDimensions(week: string): Promise<Map<string, DimensionRollup>> {
    const rollups = new Map<string, DimensionRollup>();
    for (const d of dimensions) rollups.set(d.name, await this.readDimension(week, d.name));
    return rollups;
  }

  listWeeks(): Promise<IsoWeek[]> {
    return this.source.listWeeks();
  }
}
