import { judgeSubmission, type Submission } from "./judgeSubmission";
import { storeVerdict, type IngestionDeps, type SubmitResponse } from "./storeVerdict";

// What the HTTP edge and the services import from here: the edge's cheap checks before a
// body is read, and the types of a submission and of what it needs.
export { requireDocId, requireDocumentType, type Submission } from "./judgeSubmission";
export type { IngestionDeps, SubmitResponse } from "./storeVerdict";

export interface SubmitDocumentOptions {
  /**
   * Whether the rate limits apply (default `true`). Replay turns them off: a replay is the
   * operator's decision, and one hierarchy's backlog of rejected documents must not be
   * throttled as a runaway SCP would be.
   */
  rateLimit?: boolean;
}

/**
 * Submits one document: judges it (`judgeSubmission`), then stores what the verdict allows
 * (`storeVerdict`), with the rate limits in between. Returns the 2xx outcome; every other
 * outcome is a typed error (see shared/errors.ts).
 *
 * Order matters: nothing is written and no budget is spent before the judgement, so a
 * consent violation leaves no trace, and only a document that passes validation spends
 * the budget of the hierarchy it names.
 */
export async function submitDocument(submission: Submission, deps: IngestionDeps, options: SubmitDocumentOptions = {}): Promise<SubmitResponse> {
  const now = deps.now?.() ?? new Date();
  const verdict = judgeSubmission(submission, { now });
  return storeVerdict(verdict, deps, { now, rateLimit: options.rateLimit ?? true });
}
