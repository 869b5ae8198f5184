/**
 * The port aggregation reads accepted documents through (RawArchive implements it).
 */
import type { IsoWeek } from "../isoWeek";

/** A stored document as aggregation reads it. */
export interface ArchivedDocument {
  body: string;
  /** The SHA-256 recorded when it was stored, if any. */
  sha256: string | undefined;
}

export interface RawDocumentSource {
  /** The document stored under `name`; undefined when there is none (never stored, or removed). */
  read(name: string): Promise<ArchivedDocument | undefined>;
  /** Names of the documents collected in weeks `from`..`to`, inclusive. The listing may lag the writes. */
  listByWeek(from: IsoWeek, to: IsoWeek): AsyncIterable<string>;
}
