import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { MemoryBudgetExceededError, StorageUnavailableError, ValidationError } from "../shared/errors";
import { problemResponse } from "../shared/http/problem";
import type { MemoryBudget } from "../shared/http/memoryBudget";
import type { IngestionDeps } from "../shared/ingestion/submitDocument";
import { isUuid } from "../shared/isUuid";
import type { Services } from "../shared/services";
import { outcomeOf, type OutcomeRecord } from "../shared/telemetry/outcomes";
import { redactKeys } from "../shared/telemetry/redactKeys";
import type { Telemetry } from "../shared/telemetry/telemetry";

/** What the two submission routes need: where a document goes, the memory a request leases, where outcomes are recorded. */
export interface SubmissionRouteDeps {
  ingestion: IngestionDeps;
  memoryBudget: MemoryBudget;
  telemetry: Pick<Telemetry, "recordOutcome">;
}

/** The submission routes' part of the services. */
export function submissionRouteDeps(services: Services): SubmissionRouteDeps {
  const { rawArchive, rejectedStore, ingestQueue, rateLimiter } = services;
  return { ingestion: { rawArchive, rejectedStore, ingestQueue, rateLimiter }, memoryBudget: services.memoryBudget, telemetry: services.telemetry };
}

/** The path's docId if it is a UUID: only then is it safe to echo and to log. */
export function safeDocId(docId: string | undefined): string | undefined {
  return docId !== undefined && isUuid(docId) ? docId : undefined;
}

type RecordFields = Omit<OutcomeRecord, "outcome" | "status" | "durationMs">;

/**
 * Logs an error nobody expected by name and stack, for the operator; clients get a plain 503.
 * A URL in its message keeps no key.
 */
export function logUnexpected(context: InvocationContext, error: unknown): void {
  context.error(redactKeys(`unexpected ${error instanceof Error ? `${error.name}: ${error.stack ?? error.message}` : String(error)}`));
}

/** Records a submission's outcome through the invocation's logger. */
export function recordOutcome(
  telemetry: SubmissionRouteDeps["telemetry"],
  context: InvocationContext,
  started: number,
  record: Omit<OutcomeRecord, "durationMs">,
): void {
  const durationMs = Math.round((performance.now() - started) * 10) / 10;
  telemetry.recordOutcome({ ...record, durationMs }, (line) => context.log(line));
}

/**
 * The one catch of a submission route: records the outcome the error stands for and answers
 * with its problem. An error we did not expect is logged by name and stack for the operator.
 */
export function failSubmission(
  telemetry: SubmissionRouteDeps["telemetry"],
  context: InvocationContext,
  started: number,
  error: unknown,
  fields: RecordFields,
): HttpResponseInit {
  const response = problemResponse(error, fields.docId);
  const outcome = outcomeOf(error);
  const errorPaths = error instanceof ValidationError ? error.errors.map((e) => e.path) : undefined;
  // Storage outages and a full memory budget are expected 503s, not bugs: no stack is logged.
  const expected = outcome !== "unavailable" || error instanceof StorageUnavailableError || error instanceof MemoryBudgetExceededError;
  if (!expected) logUnexpected(context, error);
  recordOutcome(telemetry, context, started, {
    ...fields,
    outcome,
    status: response.status ?? 500,
    ...(errorPaths === undefined ? {} : { errorPaths }),
    ...(expected ? {} : { errorName: error instanceof Error ? error.name : typeof error }),
  });
  return response;
}
