/**
 * A week's statistics as the query routes and the publisher read them: the shards' rollup
 * rows that storage decodes, merged here. Storage only encodes and decodes rows; the
 * arithmetic of putting shards together is the domain's.
 */
import { NotFoundError } from "../errors";
import type { IsoWeek } from "../isoWeek";
import type { DimensionRollup, DimensionRollupReader } from "./dimensionRollup";
import { dimensionNamed, dimensions } from "./dimensions";
import { dimensionRollupOf, mergeRollups, weekSummaryOf, type WeekRollup, type WeekSummary } from "./weekRollup";

/** Which parts of each shard's row to read: the totals and these dimensions only (the rest stays on the server). */
export interface ShardSelection {
  dimensions: readonly string[];
}

/** Where a week's rollup rows come from (WeeklyStatsTable). */
export interface RollupShardSource {
  /** Every shard's rollup row of a week in one range query, decoded and not merged; none for a week without data. */
  readShards(week: IsoWeek, only?: ShardSelection): Promise<WeekRollup[]>;
  /** Every week that has data, oldest first. */
  listWeeks(): Promise<IsoWeek[]>;
}

export class WeekStats implements DimensionRollupReader {
  constructor(private readonly source: RollupShardSource) {}

  /** The week's statistics, every shard merged. Zeros for an empty week. */
  async readRollup(week: IsoWeek): Promise<WeekRollup> {
    return mergeRollups(await this.source.readShards(week));
  }

  /** Only the totals and the version dimension (for trends). */
  async readSummary(week: IsoWeek): Promise<WeekSummary> {
    return weekSummaryOf(mergeRollups(await this.source.readShards(week, { dimensions: ["version"] })));
  }

  /**
   * One dimension of one week, from a query that selects only that dimension, so it reads
   * ROLLUP_SHARDS entities whatever the number of hierarchies. NotFoundError for a name no
   * dimension has.
   */
  async readDimension(week: string, name: string): Promise<DimensionRollup> {
    if (dimensionNamed(name) === undefined) throw new NotFoundError(`No dimension is called ${JSON.stringify(name)}`);
    return dimensionRollupOf(mergeRollups(await this.source.readShards(week as IsoWeek, { dimensions: [name] })), name);
  }

  /** Every declared dimension of one week, keyed by name. */
  async readDimensions(week: string): Promise<Map<string, DimensionRollup>> {
    const merged = await this.readRollup(week as IsoWeek);
    return new Map(dimensions.map((d) => [d.name, dimensionRollupOf(merged, d.name)]));
  }

  listWeeks(): Promise<IsoWeek[]> {
    return this.source.listWeeks();
  }
}
