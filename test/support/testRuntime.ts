import { triggers as allTriggers } from "../../functions/triggers";
import { readConfig, readDisabledFunctions } from "../../shared/config";
import { startAzurite, type EmbeddedAzurite } from "../../local/azurite";
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "../../local/localRuntime";
import { aggregationDisabled, noLocalSettings, startChild } from "../../devkit/children";

export const INGEST_KEY = "test-ingest-key";
export const QUERY_KEY = "test-query-key";

export interface TestRuntime {
  url: string;
  azurite: EmbeddedAzurite;
  runtime: LocalRuntime;
  /** Every line the runtime and the functions logged. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * A real in-memory Azurite on free ports and the local runtime on a free port, as
 * `npm start` runs them. Settings come through readConfig, as in production.
 */
export async function startTestRuntime(
  env: Record<string, string> = {},
  options: Pick<LocalRuntimeOptions, "queueSettings" | "runQueueTriggers" | "triggers"> = {},
): Promise<TestRuntime> {
  const azurite = await startAzurite();
  const logs: string[] = [];
  const settings = { INGEST_KEY, QUERY_KEY, ...env, AzureWebJobsStorage: azurite.connectionString };
  const config = readConfig(settings);
  const disabledFunctions = readDisabledFunctions((options.triggers ?? allTriggers).map((t) => t.name), settings);
  const runtime = await startLocalRuntime({
    config,
    port: 0,
    log: (level, message) => logs.push(`[${level}] ${message}`),
    disabledFunctions,
    queueSettings: { maxPollingIntervalMs: 200, visibilityTimeoutMs: 0, ...options.queueSettings },
    ...(options.runQueueTriggers === undefined ? {} : { runQueueTriggers: options.runQueueTriggers }),
    ...(options.triggers === undefined ? {} : { triggers: options.triggers }),
  });
  return {
    url: runtime.url,
    azurite,
    runtime,
    logs,
    async close() {
      await runtime.close();
      await azurite.close();
    },
  };
}

/** POSTs a body to the runtime with the ingest key unless headers say otherwise. */
export async function post(
  base: string,
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-functions-key": INGEST_KEY, ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** Path of the submit route for a docId. */
export function submitPath(docId: string, docType = "usage", docVersion = "1"): string {
  return `/api/v1/submit/${docType}/${docVersion}/${docId}`;
}

export interface RuntimeProcess {
  url: string;
  stop(): Promise<void>;
}

/**
 * The local runtime as `npm start` runs it, in a process of its own, on the given storage.
 * Its own event loop matters where a test races client against server (a reset connection
 * shows only when the two do not take turns on one loop).
 */
export async function startRuntimeProcess(connectionString: string, env: Record<string, string> = {}): Promise<RuntimeProcess> {
  const child = await startChild(
    "local/start.js",
    [...noLocalSettings],
    { ...aggregationDisabled, INGEST_KEY, QUERY_KEY, ...env, AzureWebJobsStorage: connectionString, PORT: "0" },
    /listening on (http:\/\/\S+)/,
  );
  return { url: child.match[1]!, stop: () => child.stop() };
}
