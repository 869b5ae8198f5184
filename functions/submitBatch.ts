import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { limits } from "../shared/config";
import { requireMediaType } from "../shared/http/contentType";
import { jsonResponse } from "../shared/http/problem";
import { readBody } from "../shared/http/readBody";
import { batchParseCost } from "../shared/ingestion/batchParseCost";
import { submitBatchLines } from "../shared/ingestion/submitBatchLines";
import { failSubmission, recordOutcome, safeDocId, submissionRouteDeps, type SubmissionRouteDeps } from "./httpEdge";
import type { HttpRequestLike, HttpTrigger } from "./triggerTypes";

const STATUS_OF_LINE = { accepted: 202, duplicate: 200, conflict: 409, invalid: 400, rate_limited: 429 } as const;

/** POST /api/v1/batch: an offline upload, NDJSON envelopes judged line by line. */
export async function submitBatch(request: HttpRequestLike, context: InvocationContext, deps: SubmissionRouteDeps): Promise<HttpResponseInit> {
  const started = performance.now();
  const fields = { route: "batch" as const };
  const memory = deps.memoryBudget.lease();
  try {
    requireMediaType(request.headers.get("content-type"), ["application/x-ndjson", "application/ndjson"]);
    // The contract caps a batch at 32 MiB decompressed; the wire may carry as much uncompressed.
    const bytes = await readBody(request.body, {
      maxWireBytes: limits.maxBatchBytes,
      maxDecodedBytes: limits.maxBatchBytes,
      contentEncoding: request.headers.get("content-encoding"),
      contentLength: request.headers.get("content-length"),
      memory,
    });
    // All of it before the first line is judged: once a line is stored, only storage being
    // unavailable may fail the batch.
    memory.reserve(batchParseCost(bytes));
    const response = await submitBatchLines(bytes, deps.ingestion, (line, outcome) => {
      recordOutcome(deps.telemetry, context, started, {
        ...fields,
        outcome,
        status: STATUS_OF_LINE[line.status],
        batchLine: line.line,
        docId: safeDocId(line.docId),
        ...(line.errors === undefined ? {} : { errorPaths: line.errors.map((e) => e.path) }),
      });
    });
    return jsonResponse(200, response);
  } catch (error) {
    return failSubmission(deps.telemetry, context, started, error, fields);
  } finally {
    memory.release();
  }
}

export const submitBatchTrigger: HttpTrigger = {
  kind: "http",
  name: "submitBatch",
  route: "v1/batch",
  methods: ["POST"],
  key: "ingest",
  bind: (services) => {
    const deps = submissionRouteDeps(services);
    return (request, context) => submitBatch(request, context, deps);
  },
};
