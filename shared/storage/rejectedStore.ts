import type { ContainerClient } from "@azure/storage-blob";
import type { DocumentError } from "../errors";
import { isStorageError, translateStorageError } from "./storageErrors";

/** One invalid (but consented) document, kept with its errors so that it can be replayed. */
export interface RejectedDocument {
  docType: string;
  docVersion: number;
  docId: string;
  receivedAt: string;
  errors: DocumentError[];
  /** The parsed document as received. */
  document: unknown;
}

/** Blob name of a rejected document: by docId, the latest rejection replacing earlier ones. */
export function rejectedBlobName(docType: string, docVersion: number, docId: string): string {
  return `${docType}/v${docVersion}/${docId.toLowerCase()}.json`;
}

/** The document's hierarchyId when it reads as one (an invalid document may carry anything there). */
function hierarchyTagOf(document: unknown): string | undefined {
  if (typeof document !== "object" || document === null || !Object.hasOwn(document, "hierarchyId")) return undefined;
  const id = (document as { hierarchyId: unknown }).hierarchyId;
  return typeof id === "string" && /^[A-Za-z0-9+/]{43}=$/.test(id) ? id : undefined;
}

/**
 * JSON of a rejected document. One nested deeper than JSON.stringify's recursion allows
 * (JSON.parse takes far deeper input) is kept with its errors but without the document:
 * no schema will ever accept it, so there is nothing to replay.
 */
function serialize(rejected: RejectedDocument): string {
  try {
    return JSON.stringify(rejected);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return JSON.stringify({ ...rejected, document: null, documentOmitted: "nested too deeply to serialize" });
  }
}

/**
 * Rejected documents, kept for replay once a schema is fixed. Consent violations never get
 * here (the caller checks consent first). Tagged with `receivedDate` for replay by date.
 */
export class RejectedStore {
  constructor(private readonly container: ContainerClient) {}

  /** Keeps (or replaces) the rejected document for its docId. One write. */
  async keep(rejected: RejectedDocument): Promise<void> {
    const body = serialize(rejected);
    const name = rejectedBlobName(rejected.docType, rejected.docVersion, rejected.docId);
    const hierarchyId = hierarchyTagOf(rejected.document);
    try {
      await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
        blobHTTPHeaders: { blobContentType: "application/json; charset=utf-8" },
        tags: {
          docType: rejected.docType,
          docVersion: String(rejected.docVersion),
          receivedDate: rejected.receivedAt.slice(0, 10),
          // So that a deletion request finds a hierarchy's rejected documents too.
          ...(hierarchyId === undefined ? {} : { hierarchyId }),
        },
      });
    } catch (error) {
      translateStorageError(error, "keeping a rejected document");
    }
  }

  /** Reads a kept rejected document, `undefined` if there is none. */
  async read(name: string): Promise<RejectedDocument | undefined> {
    try {
      const buffer = await this.container.getBlockBlobClient(name).downloadToBuffer();
      return JSON.parse(buffer.toString("utf8")) as RejectedDocument;
    } catch (error) {
      if (isStorageError(error, 404, "BlobNotFound")) return undefined;
      translateStorageError(error, "reading a rejected document");
    }
  }

  /**
   * Deletes a kept rejected document (a replay stored it in `raw`, or it must not be kept).
   * One write. `false` when it was already gone.
   */
  async remove(name: string): Promise<boolean> {
    try {
      return (await this.container.getBlockBlobClient(name).deleteIfExists()).succeeded;
    } catch (error) {
      translateStorageError(error, "removing a rejected document");
    }
  }

  /** Names of the documents rejected on days `from`..`to` (YYYY-MM-DD, inclusive). */
  async *listByReceivedDate(from: string, to: string): AsyncIterable<string> {
    const query = `@container='${this.container.containerName}' AND receivedDate >= '${from}' AND receivedDate <= '${to}'`;
    try {
      for await (const item of this.container.findBlobsByTags(query)) yield item.name;
    } catch (error) {
      translateStorageError(error, "listing rejected documents");
    }
  }
}
