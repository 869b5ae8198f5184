import { randomUUID } from "node:crypto";
import { makeUsageDocument } from "../../devkit/usageDocuments";

/**
 * A typical valid document with a new docId, as the plain JSON object a route receives,
 * so that a test may override any field with a wrong type on purpose.
 */
export function freshDocument(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...(makeUsageDocument() as unknown as Record<string, unknown>), docId: randomUUID(), ...overrides };
}
