/**
 * The port through which aggregation puts a document's message back on its queue, to be
 * delivered again later (IngestQueue implements it).
 */

/** What aggregation needs of a queue message: which stored document it names, and the hash it was accepted with. */
export interface DocumentClaim {
  readonly blobName: string;
  readonly sha256: string;
}

export interface Requeue<C extends DocumentClaim = DocumentClaim> {
  /** Sends the claim again, visible after `delaySeconds`. */
  send(claim: C, delaySeconds?: number): Promise<void>;
}
