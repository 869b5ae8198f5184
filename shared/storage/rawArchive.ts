import type { ContainerClient } from "@azure/storage-blob";
import type { IsoWeek } from "../isoWeek";
import { isStorageError, translateStorageError } from "./storageErrors";

/** What the archive keeps of one accepted document. */
export interface RawDocument {
  docType: string;
  docVersion: number;
  docId: string;
  hierarchyId: string;
  collectedAt: string;
  week: IsoWeek;
  receivedAt: string;
  /** The document as canonical JSON (sorted keys), the bytes that `sha256` hashes. */
  body: string;
  sha256: string;
}

/** `created`, or the hash of the document that already holds this docId. */
export type PutRawResponse = { created: true } | { created: false; existingSha256: string | undefined };

export interface StoredRawDocument {
  name: string;
  body: string;
  sha256: string | undefined;
  receivedAt: string | undefined;
}

/**
 * The blob name for a document: by docType and docId alone, so that the docId is claimed by
 * one atomic create whatever version it is sent as (contract section 2: a docId is one
 * document; the version lives in the blob's tags); lower case, so that one UUID in two
 * spellings cannot claim two blobs.
 */
export function rawBlobName(docType: string, docId: string): string {
  return `${docType}/${docId.toLowerCase()}.json`;
}

/** What a raw blob's name says; `docVersion` only for a name of the old layout, which carried it. */
export interface RawBlobNameParts {
  docType: string;
  docId: string;
  docVersion?: number;
}

// `usage/<docId>.json`, or the layout before it, `usage/v<version>/<docId>.json`, which
// archives written then still hold (docs/raw-archive.md, "Earlier layout").
const RAW_NAME = /^([a-z]+)\/(?:v(\d+)\/)?([0-9a-fA-F-]{36})\.json$/;

/** Reads a raw blob name of either layout; `undefined` for a name that is not a document's. */
export function parseRawBlobName(name: string): RawBlobNameParts | undefined {
  const match = RAW_NAME.exec(name);
  if (match === null) return undefined;
  const parts: RawBlobNameParts = { docType: match[1]!, docId: match[3]! };
  if (match[2] !== undefined) parts.docVersion = Number(match[2]);
  return parts;
}

/**
 * The raw archive: one immutable JSON blob per accepted docId. Blob index tags (`week`,
 * `collectedDate`, `hierarchyId`) make it listable by date and by hierarchy without a
 * second index to keep in step; docs/raw-archive.md describes the layout.
 */
export class RawArchive {
  constructor(private readonly container: ContainerClient) {}

  /**
   * Creates the blob only if the docId is new (If-None-Match: *), so that of any number of
   * concurrent submissions exactly one creates it. One write and no read for a new document.
   */
  async put(doc: RawDocument): Promise<PutRawResponse> {
    const name = rawBlobName(doc.docType, doc.docId);
    const blob = this.container.getBlockBlobClient(name);
    try {
      await blob.upload(doc.body, Buffer.byteLength(doc.body), {
        conditions: { ifNoneMatch: "*" },
        blobHTTPHeaders: { blobContentType: "application/json; charset=utf-8" },
        metadata: { sha256: doc.sha256, receivedat: doc.receivedAt },
        tags: {
          docType: doc.docType,
          docVersion: String(doc.docVersion),
          week: doc.week,
          collectedDate: doc.collectedAt.slice(0, 10),
          hierarchyId: doc.hierarchyId,
        },
      });
      return { created: true };
    } catch (error) {
      // If-None-Match: * on an existing blob; any other 409/412 (a lease, an immutability
      // policy) is not "taken" and must not be answered as a duplicate.
      const taken = isStorageError(error, 409, "BlobAlreadyExists") || isStorageError(error, 412, "ConditionNotMet");
      if (!taken) translateStorageError(error, "storing the raw document");
    }
    try {
      const properties = await blob.getProperties();
      return { created: false, existingSha256: properties.metadata?.["sha256"] };
    } catch (error) {
      translateStorageError(error, "reading the stored document's hash");
    }
  }

  /** Reads one archived document; `undefined` when there is no such blob. */
  async read(name: string): Promise<StoredRawDocument | undefined> {
    try {
      // One GET returns both the bytes and the metadata.
      const response = await this.container.getBlockBlobClient(name).download();
      const chunks: Buffer[] = [];
      for await (const chunk of response.readableStreamBody ?? []) chunks.push(Buffer.from(chunk as Buffer));
      const metadata = response.metadata ?? {};
      return { name, body: Buffer.concat(chunks).toString("utf8"), sha256: metadata["sha256"], receivedAt: metadata["receivedat"] };
    } catch (error) {
      // Not ContainerNotFound: that is storage not set up, not a document that is missing.
      if (isStorageError(error, 404, "BlobNotFound")) return undefined;
      translateStorageError(error, "reading a raw document");
    }
  }

  /** True when the archive holds the named document. One HEAD request. */
  async exists(name: string): Promise<boolean> {
    try {
      return await this.container.getBlockBlobClient(name).exists();
    } catch (error) {
      translateStorageError(error, "looking up a raw document");
    }
  }

  /** Deletes an archived document (a deletion request; a lifecycle rule does this at 365 days). */
  async remove(name: string): Promise<void> {
    try {
      await this.container.getBlockBlobClient(name).deleteIfExists();
    } catch (error) {
      translateStorageError(error, "deleting a raw document");
    }
  }

  /** Names of the archived documents collected in weeks `from`..`to` (inclusive), via blob index tags. */
  async *listByWeek(from: IsoWeek, to: IsoWeek): AsyncIterable<string> {
    const query = `@container='${this.container.containerName}' AND week >= '${from}' AND week <= '${to}'`;
    try {
      for await (const item of this.container.findBlobsByTags(query)) yield item.name;
    } catch (error) {
      translateStorageError(error, "listing the raw archive");
    }
  }
}
