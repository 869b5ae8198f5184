import type { UsageV1 } from "./usageV1";
import type { UsageV2 } from "./usageV2";

/**
 * The one document model the pipeline after validation works with, whatever version was
 * sent: version 2's shape (version 1 plus optional parts, contract section 3.2) with
 * `schemaVersion` either version. A valid v1 document is a UsageDocument as it stands, so
 * nothing after shared/validation branches on the version: a v1 document simply carries
 * none of the v2 parts, and what reads them finds `undefined`.
 */
export type UsageDocument = Omit<UsageV2, "schemaVersion"> & { schemaVersion: UsageV1["schemaVersion"] | UsageV2["schemaVersion"] };

/** Widens a validated v1 document to the one model; checked by the compiler, free at run time. */
export function fromUsageV1(document: UsageV1): UsageDocument {
  return document;
}
