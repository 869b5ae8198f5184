import type { HttpRequest, HttpResponseInit, InvocationContext, Timer } from "@azure/functions";

/** The parts of a request the handlers read: satisfied by the host's HttpRequest and by the local runtime's. */
export type HttpRequestLike = Pick<HttpRequest, "method" | "url" | "headers" | "query" | "params" | "body">;

/** Which key a route takes (contract section 2); `none` for health. */
export type KeyRole = "ingest" | "query" | "none";

export interface HttpTrigger {
  kind: "http";
  name: string;
  /** Route template below the `api` prefix, in the host's `{name}` syntax. */
  route: string;
  methods: ("GET" | "POST")[];
  key: KeyRole;
  handler: (request: HttpRequestLike, context: InvocationContext) => Promise<HttpResponseInit>;
}

export interface QueueTrigger {
  kind: "queue";
  name: string;
  queueName: string;
  /** The host passes JSON messages as parsed values and anything else as a string. */
  handler: (message: unknown, context: InvocationContext) => Promise<void>;
}

/** The part of the host's timer argument the handlers read. */
export type TimerInfo = Pick<Timer, "isPastDue">;

export interface TimerTrigger {
  kind: "timer";
  name: string;
  /** NCRONTAB, seconds first (six fields), in UTC, as the host takes it. */
  schedule: string;
  handler: (timer: TimerInfo, context: InvocationContext) => Promise<void>;
}

/**
 * One trigger of the app. The list in functions/triggers.ts feeds both the Functions host
 * registration (functions/index.ts) and the local runtime (local/), so they cannot differ.
 */
export type Trigger = HttpTrigger | QueueTrigger | TimerTrigger;
