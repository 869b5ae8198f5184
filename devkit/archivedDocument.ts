/**
 * A valid document as ingestion leaves it for aggregation: its canonical bytes archived
 * with RawArchive.put, and the claim check that points at them. The aggregation tests and
 * the aggregation and query benchmarks archive their documents this way.
 */
import { canonicalJson } from "../shared/ingestion/canonicalJson";
import { sha256Hex } from "../shared/sha256Hex";
import { isoWeekOf, type IsoWeek } from "../shared/isoWeek";
import type { ClaimCheck } from "../shared/storage/claimCheck";
import { rawBlobName, type RawArchive } from "../shared/storage/rawArchive";
import type { UsageDocument } from "../shared/validation/usageDocument";

/** A document as aggregation sees it: the claim check pointing at its archived bytes. */
export interface ArchivedDocument {
  doc: UsageDocument;
  week: IsoWeek;
  body: string;
  claim: ClaimCheck;
}

/** The canonical bytes, hash and claim check that ingestion makes of a valid document. */
export function toArchived(doc: UsageDocument): ArchivedDocument {
  const body = canonicalJson(doc);
  const sha256 = sha256Hex(body);
  const docVersion = doc.schemaVersion;
  const claim: ClaimCheck = { v: 1, docType: "usage", docVersion, docId: doc.docId, blobName: rawBlobName("usage", doc.docId), sha256 };
  return { doc, week: isoWeekOf(new Date(doc.collectedAt)), body, claim };
}

/** Archives one document as submitDocument does; false if its docId was already archived. */
export async function putArchived(rawArchive: RawArchive, { doc, week, body, claim }: ArchivedDocument): Promise<boolean> {
  const put = await rawArchive.put({
    docType: "usage",
    docVersion: claim.docVersion,
    docId: doc.docId,
    hierarchyId: doc.hierarchyId,
    collectedAt: doc.collectedAt,
    week,
    receivedAt: new Date().toISOString(),
    body,
    sha256: claim.sha256,
  });
  return put.created;
}
