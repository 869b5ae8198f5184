import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { limits } from "../shared/config";
import { requireMediaType } from "../shared/http/contentType";
import { jsonResponse } from "../shared/http/problem";
import { readBody } from "../shared/http/readBody";
import { parseJsonBody } from "../shared/ingestion/parseJsonBody";
import { requireDocId, requireDocumentType, submitDocument } from "../shared/ingestion/submitDocument";
import { failSubmission, recordOutcome, safeDocId, submissionRouteDeps, type SubmissionRouteDeps } from "./httpEdge";
import type { HttpRequestLike, HttpTrigger } from "./triggerTypes";

/** POST /api/v1/submit/{docType}/{docVersion}/{docId}: one weekly document from an SCP. */
export async function submitUsage(request: HttpRequestLike, context: InvocationContext, deps: SubmissionRouteDeps): Promise<HttpResponseInit> {
  const started = performance.now();
  const { docType = "", docVersion = "", docId = "" } = request.params;
  const fields = { route: "submit" as const, docType, docVersion, docId: safeDocId(docId) };
  // What this request's body costs in memory is reserved as it is read and parsed, and given
  // back only once the request is answered.
  const memory = deps.memoryBudget.lease();
  try {
    // Cheap checks first, so that a request we will refuse is refused before its body is read.
    requireDocumentType(docType, docVersion);
    requireDocId(docId);
    requireMediaType(request.headers.get("content-type"), ["application/json"]);
    const bytes = await readBody(request.body, {
      maxWireBytes: limits.maxWireBytes,
      maxDecodedBytes: limits.maxDocumentBytes,
      contentEncoding: request.headers.get("content-encoding"),
      contentLength: request.headers.get("content-length"),
      memory,
    });
    const document = parseJsonBody(bytes, { memory });
    const response = await submitDocument({ docType, docVersion, docId, document }, deps.ingestion);
    const status = response.status === "accepted" ? 202 : 200;
    recordOutcome(deps.telemetry, context, started, { ...fields, outcome: response.status, status, bytes: bytes.length });
    return jsonResponse(status, response);
  } catch (error) {
    return failSubmission(deps.telemetry, context, started, error, fields);
  } finally {
    memory.release();
  }
}

export const submitUsageTrigger: HttpTrigger = {
  kind: "http",
  name: "submitUsage",
  route: "v1/submit/{docType}/{docVersion}/{docId}",
  methods: ["POST"],
  key: "ingest",
  bind: (services) => {
    const deps = submissionRouteDeps(services);
    return (request, context) => submitUsage(request, context, deps);
  },
};
