import type { HttpRequest, HttpResponseInit, InvocationContext, Timer } from "@azure/functions";
import type { Services } from "../shared/services";

/** The parts of a request the handlers read: satisfied by the host's HttpRequest and by the local runtime's. */
export type HttpRequestLike = Pick<HttpRequest, "method" | "url" | "headers" | "query" | "params" | "body">;

/** Which key a route takes (contract section 2); `none` for health. */
export type KeyRole = "ingest" | "query" | "none";

export type HttpHandler = (request: HttpRequestLike, context: InvocationContext) => Promise<HttpResponseInit>;

/** The host passes JSON messages as parsed values and anything else as a string. */
export type QueueHandler = (message: unknown, context: InvocationContext) => Promise<void>;

/** The part of the host's timer argument the handlers read. */
export type TimerInfo = Pick<Timer, "isPastDue">;

export type TimerHandler = (timer: TimerInfo, context: InvocationContext) => Promise<void>;

/**
 * A trigger's declaration is plain data (its name, route, key, queue or schedule), readable
 * without building any service: the OpenAPI description and the key setup read it. `bind`
 * gives its handler what it needs from the services the composition root built once, so
 * the handler itself takes its dependencies as a parameter.
 */
interface Declared<H> {
  name: string;
  bind: (services: Services) => H;
}

export interface HttpTrigger extends Declared<HttpHandler> {
  kind: "http";
  /** Route template below the `api` prefix, in the host's `{name}` syntax. */
  route: string;
  methods: ("GET" | "POST")[];
  key: KeyRole;
}

export interface QueueTrigger extends Declared<QueueHandler> {
  kind: "queue";
  queueName: string;
}

export interface TimerTrigger extends Declared<TimerHandler> {
  kind: "timer";
  /** NCRONTAB, seconds first (six fields), in UTC, as the host takes it. */
  schedule: string;
}

/**
 * One trigger of the app. The list in functions/triggers.ts feeds both the Functions host
 * registration (functions/index.ts) and the local runtime (local/), so they cannot differ.
 */
export type Trigger = HttpTrigger | QueueTrigger | TimerTrigger;

/** A trigger with its handler bound, as a host (the Functions host or local/) runs it. */
export type Bound<T extends Trigger> = Omit<T, "bind"> & { handler: ReturnType<T["bind"]> };

/** Binds a trigger to the services: what both hosts do once per trigger at start. */
export function bindTrigger<T extends Trigger>(trigger: T, services: Services): Bound<T> {
  const { bind, ...declaration } = trigger;
  return { ...declaration, handler: bind(services) as ReturnType<T["bind"]> };
}
