import type { HttpResponseInit, InvocationContext } from "@azure/functions";
import { InvalidParameterError, MemoryBudgetExceededError, NotFoundError, StorageUnavailableError } from "../shared/errors";
import { prefersCsv } from "../shared/http/accept";
import { csvResponse, toCsv, type CsvTable } from "../shared/http/csv";
import { answeringWithin, type WeekStats } from "../shared/aggregation/weekStats";
import { jsonResponse, problemResponse } from "../shared/http/problem";
import type { HttpRequestLike } from "./triggerTypes";
import { logUnexpected } from "./httpEdge";

/** What a query route answers: the JSON body, and its CSV form, built only when asked for. */
export interface QueryAnswer<T> {
  body: T;
  csvTable: (body: T) => CsvTable;
}

/** Where the per-week routes (versions, os, features) read a week's merged statistics, each only the columns it answers from. */
export type WeekRollupSource = Pick<WeekStats, "readVersions" | "readOs" | "readFeatures">;

// The same URL answers JSON or CSV, so a cache must key on Accept too.
const VARY = { Vary: "Accept" };

/**
 * The one try/catch of the query routes: runs the query, answers in the form the Accept
 * header prefers, and turns a typed error into its problem. Queries record no submission
 * outcome; an error we did not expect is logged by name and stack for the operator.
 */
export async function answerQuery<T>(request: HttpRequestLike, context: InvocationContext, run: () => Promise<QueryAnswer<T>>): Promise<HttpResponseInit> {
  try {
    // The reads' budget is held until the answer is serialised: the merged rows and the answer built from them count too.
    return await answeringWithin(async () => {
      const answer = await run();
      return prefersCsv(request.headers.get("accept")) ? csvResponse(200, toCsv(answer.csvTable(answer.body)), VARY) : jsonResponse(200, answer.body, VARY);
    });
  } catch (error) {
    const expected =
      error instanceof InvalidParameterError || error instanceof NotFoundError || error instanceof StorageUnavailableError || error instanceof MemoryBudgetExceededError;
    if (!expected) logUnexpected(context, error);
    return problemResponse(error);
  }
}
