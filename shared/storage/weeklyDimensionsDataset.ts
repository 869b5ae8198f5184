import type { ContainerClient } from "@azure/storage-blob";
import { isRecord } from "../isRecord";
import { parseIsoWeek, type IsoWeek } from "../isoWeek";
import {
  MANIFEST_PATH,
  weekFilePath,
  type DatasetFileState,
  type DatasetManifest,
  type DatasetManifestEntry,
  type DatasetManifestState,
  type DatasetWriteResponse,
  type PublishedDatasetStore,
} from "../publishing/publishedDatasetStore";
import type { PublishedRow, PublishedSummary } from "../publishing/publishedRows";
import { isStorageError, translateStorageError } from "./storageErrors";
import { encodeWeeklyDimensionsParquet } from "./weeklyDimensionsParquet";

/** `If-Match` the ETag read, or `If-None-Match: *` when there was no blob: the write happens only if nothing changed since the read. */
const unchangedSince = (etag: string | undefined) => (etag === undefined ? { ifNoneMatch: "*" } : { ifMatch: etag });

/** 412 for a changed ETag, 409 for a blob created since `If-None-Match: *` found none. */
const changedSince = (error: unknown) => isStorageError(error, 412, "ConditionNotMet") || isStorageError(error, 409, "BlobAlreadyExists");

function entryFrom(value: unknown): DatasetManifestEntry | undefined {
  if (!isRecord(value)) return undefined;
  const week = typeof value["week"] === "string" ? parseIsoWeek(value["week"]) : undefined;
  const asOf = typeof value["asOf"] === "string" ? new Date(value["asOf"]) : undefined;
  const { hierarchies, path } = value;
  if (week === undefined || asOf === undefined || Number.isNaN(asOf.getTime()) || typeof hierarchies !== "number" || typeof path !== "string") return undefined;
  return { week, asOf, hierarchies, path };
}

/**
 * The manifest as written, keeping only entries of the right shape: a hand-edited or broken
 * manifest costs those entries until their weeks publish again, never every publish after it.
 */
function decodeManifest(text: string): DatasetManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { weeks: [] };
  }
  const weeks = isRecord(parsed) && Array.isArray(parsed["weeks"]) ? parsed["weeks"] : [];
  return { weeks: weeks.map(entryFrom).filter((e): e is DatasetManifestEntry => e !== undefined) };
}

function encodeManifest(manifest: DatasetManifest): string {
  const weeks = manifest.weeks.map((w) => ({ week: w.week, asOf: w.asOf.toISOString(), hierarchies: w.hierarchies, path: w.path }));
  return `${JSON.stringify({ weeks }, null, 2)}\n`;
}

/**
 * The weekly Parquet dataset in the `datasets` container (contract section 4.3): encodes a
 * week's rows as Parquet, keeps the `asOf` a file shows in its blob metadata (so a publish
 * reads it with one HEAD), and writes every blob with one Put Blob under an ETag condition.
 * It computes nothing: publishing decides what to write (shared/publishing/publishDataset.ts).
 */
export class WeeklyDimensionsDataset implements PublishedDatasetStore {
  constructor(private readonly container: ContainerClient) {}

  async readWeekFile(week: IsoWeek): Promise<DatasetFileState> {
    try {
      const properties = await this.container.getBlockBlobClient(weekFilePath(week)).getProperties();
      const asOf = properties.metadata?.["asof"];
      return { asOf: asOf === undefined ? undefined : new Date(asOf), etag: properties.etag };
    } catch (error) {
      if (isStorageError(error, 404)) return { asOf: undefined, etag: undefined };
      translateStorageError(error, "reading a week's dataset file");
    }
  }

  async writeWeekFile(week: IsoWeek, rows: readonly PublishedRow[], summary: PublishedSummary, etag: string | undefined): Promise<DatasetWriteResponse> {
    const file = await encodeWeeklyDimensionsParquet(week, rows, summary);
    return this.put(weekFilePath(week), file, "application/vnd.apache.parquet", etag, "writing a week's dataset file", {
      asof: summary.asOf.toISOString(),
      hierarchies: String(summary.hierarchies),
      minhierarchies: String(summary.minHierarchies),
    });
  }

  async readManifest(): Promise<DatasetManifestState> {
    try {
      const blob = this.container.getBlockBlobClient(MANIFEST_PATH);
      const response = await blob.download();
      const chunks: Buffer[] = [];
      for await (const chunk of response.readableStreamBody ?? []) chunks.push(Buffer.from(chunk as Buffer));
      return { manifest: decodeManifest(Buffer.concat(chunks).toString("utf8")), etag: response.etag };
    } catch (error) {
      if (isStorageError(error, 404)) return { manifest: { weeks: [] }, etag: undefined };
      translateStorageError(error, "reading the dataset manifest");
    }
  }

  async writeManifest(manifest: DatasetManifest, etag: string | undefined): Promise<DatasetWriteResponse> {
    return this.put(MANIFEST_PATH, Buffer.from(encodeManifest(manifest)), "application/json; charset=utf-8", etag, "writing the dataset manifest");
  }

  /** One Put Blob of the whole content: Azure shows readers the old blob or the new one, never part of it. */
  private async put(path: string, content: Uint8Array, contentType: string, etag: string | undefined, what: string, metadata?: Record<string, string>): Promise<DatasetWriteResponse> {
    try {
      await this.container.getBlockBlobClient(path).upload(content, content.byteLength, {
        conditions: unchangedSince(etag),
        blobHTTPHeaders: { blobContentType: contentType, blobCacheControl: "no-cache" },
        ...(metadata === undefined ? {} : { metadata }),
      });
      return "written";
    } catch (error) {
      if (changedSince(error)) return "conflict";
      translateStorageError(error, what);
    }
  }
}
