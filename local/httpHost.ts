import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ReadableStream } from "node:stream/web";
import { InvocationContext, type HttpResponseInit } from "@azure/functions";
import type { Bound, HttpRequestLike, HttpTrigger, KeyRole } from "../functions/triggerTypes";
import { InvalidParameterError, NotFoundError } from "../shared/errors";
import { limits } from "../shared/config";
import { problemResponse } from "../shared/http/problem";
import { receivedBy } from "../shared/http/readBody";

export type LocalLog = (level: string, message: string) => void;

export interface HttpHostOptions {
  triggers: readonly Bound<HttpTrigger>[];
  routePrefix: string;
  keys: Record<Exclude<KeyRole, "none">, string>;
  port: number;
  host?: string;
  log: LocalLog;
  /** How long a request's body may take to arrive, from the request's start; defaults to `limits.bodyDeadlineMs`. */
  bodyDeadlineMs?: number;
}

interface CompiledRoute {
  trigger: Bound<HttpTrigger>;
  pattern: RegExp;
  names: string[];
}

/** Turns a host route template (`v1/submit/{docType}`) into a regular expression with named segments. */
export function compileRoute(prefix: string, template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const escaped = `${prefix}/${template}`
    .split("/")
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param !== null) {
        names.push(param[1]!);
        return "([^/]+)";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { pattern: new RegExp(`^/${escaped}/?$`, "i"), names };
}

function keyMatches(expected: string, given: string | null): boolean {
  if (given === null) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/*
 * A body the handler refused unread (413, 415, 401…) is read on and discarded while the
 * response goes out, up to this much: closing a socket with unread data in it makes the kernel reset
 * the connection, and a client still uploading then often sees the reset instead of the
 * response (and retries forever). Twice the largest limit (a 32 MiB batch) covers a client
 * that is somewhat over a limit; beyond it, or when the client stalls, the connection is
 * cut rather than read without end.
 */
const MAX_DISCARDED_BYTES = 2 * limits.maxBatchBytes;
const DISCARD_IDLE_MS = 5_000;

/** One request's exchange: `100 Continue` is owed when the client sent `Expect: 100-continue`. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  continuePending: boolean;
  /** What the runtime's log lines name the request by: the trigger that answers it, once known. */
  routeName: string;
  /** When the body must have arrived in full (`performance.now()` time): the request's start plus the body deadline. */
  bodyDeadline: number;
}

const NO_ROUTE = "(no route)";
/** What the Functions host sends for a missing or wrong function key: status only, no body, no content type. */
const UNAUTHORIZED: HttpResponseInit = { status: 401, headers: { "content-length": "0" } };
const MALFORMED_TARGET = "(malformed target)";

/**
 * The request target as a URL, or undefined when it is not one. A fixed base: the Host header
 * is the client's to garble, and routing needs only the path.
 */
function parseTarget(target: string | undefined): URL | undefined {
  try {
    return new URL(target ?? "/", "http://localhost");
  } catch {
    return undefined;
  }
}

/**
 * The request body as a web stream that is pulled, never pushed: when a handler stops
 * reading at a limit, nothing is enqueued after the stream is cancelled (Readable.toWeb
 * does, and that throws out of the event loop). Cancelling leaves the request alone
 * (`destroyOnReturn: false`: destroying it would destroy the socket before the response is
 * out); `send` then discards what is left. `100 Continue` is sent on the first read, so a
 * request refused before its body is read is refused before the client sends it. A body not
 * in by the exchange's deadline errors the stream with `RequestTimeoutError` (408).
 */
function requestBody(exchange: Exchange): ReadableStream<Uint8Array> {
  return ReadableStream.from(
    (async function* () {
      if (exchange.continuePending) {
        exchange.continuePending = false;
        exchange.res.writeContinue();
      }
      // Counted from the request's start, not from the first read: a client waiting for
      // `100 Continue` or a handler slow to start reading spends the same 60 s.
      yield* receivedBy(exchange.req.iterator({ destroyOnReturn: false }) as AsyncIterableIterator<Uint8Array>, exchange.bodyDeadline);
    })(),
  );
}

/** Reads and drops what is left of a request body, within `MAX_DISCARDED_BYTES` and `DISCARD_IDLE_MS`. */
function discardRest(req: IncomingMessage): void {
  let discarded = 0;
  const cut = (): void => {
    req.socket.destroy();
  };
  const idle = setTimeout(cut, DISCARD_IDLE_MS);
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.byteLength;
    if (discarded > MAX_DISCARDED_BYTES) cut();
    else idle.refresh();
  });
  req.once("close", () => clearTimeout(idle));
  req.resume();
}

async function send(exchange: Exchange, response: HttpResponseInit): Promise<void> {
  const { req, res } = exchange;
  const headers = new Headers(response.headers);
  let body: Buffer | undefined;
  if (response.jsonBody !== undefined) {
    body = Buffer.from(JSON.stringify(response.jsonBody));
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  } else if (typeof response.body === "string") body = Buffer.from(response.body);
  else if (response.body instanceof Uint8Array) body = Buffer.from(response.body);
  else if (response.body !== undefined && response.body !== null) throw new Error("the local runtime sends string and byte bodies only");
  if (!req.complete) {
    // A client still waiting for `100 Continue` sends no body after a final answer (RFC 9110
    // 10.1.1), so the connection cannot carry another request: say that it closes.
    if (exchange.continuePending) headers.set("connection", "close");
    // Before the response ends: Node would otherwise drop the rest itself, without a bound.
    else discardRest(req);
  }
  res.writeHead(response.status ?? 200, Object.fromEntries(headers));
  await new Promise<void>((resolve) => res.end(body, resolve));
}

/**
 * Serves the HTTP triggers as the Functions host would: the `api` prefix, route templates,
 * function keys in `x-functions-key` or `?code=`, and a streamed request body.
 */
export class HttpHost {
  private readonly routes: CompiledRoute[];
  private readonly server: Server;

  constructor(private readonly options: HttpHostOptions) {
    this.routes = options.triggers.map((trigger) => ({ trigger, ...compileRoute(options.routePrefix, trigger.route) }));
    const serve = (exchange: Exchange): void => {
      const { req, res } = exchange;
      const started = performance.now();
      this.handle(exchange)
        .catch(async (error: unknown) => {
          // No URL here: its path and query (`?code=`) are the client's.
          options.log("error", `local runtime failed on ${req.method ?? "?"} ${exchange.routeName}: ${String(error)}`);
          if (!res.headersSent) await send(exchange, problemResponse(error));
          else res.destroy();
        })
        .catch(() => res.destroy())
        // The trigger's name, not the path: a path is client text (contract section 2).
        .finally(() => options.log("info", `${req.method ?? "?"} ${exchange.routeName} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`));
    };
    const bodyDeadlineMs = options.bodyDeadlineMs ?? limits.bodyDeadlineMs;
    const exchange = (req: IncomingMessage, res: ServerResponse, continuePending: boolean): Exchange => ({
      req,
      res,
      continuePending,
      routeName: NO_ROUTE,
      bodyDeadline: performance.now() + bodyDeadlineMs,
    });
    this.server = createServer((req, res) => serve(exchange(req, res, false)));
    // With a listener here Node leaves `100 Continue` to us: requestBody sends it on the first read.
    this.server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => serve(exchange(req, res, true)));
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.options.port, this.options.host ?? "127.0.0.1", resolve);
    });
    const { port } = this.server.address() as AddressInfo;
    return `http://localhost:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeIdleConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(exchange: Exchange): Promise<void> {
    const { req } = exchange;
    const url = parseTarget(req.url);
    if (url === undefined) {
      // A target no URL parser takes (`//[`): the host answers 400 before any function runs.
      exchange.routeName = MALFORMED_TARGET;
      await send(exchange, problemResponse(new InvalidParameterError("The request target is not a valid URL")));
      return;
    }
    const method = (req.method ?? "GET").toUpperCase();
    for (const route of this.routes) {
      const match = route.pattern.exec(url.pathname);
      // Like the Functions host, a route that does not take this method is simply not matched.
      if (match === null || !route.trigger.methods.includes(method as "GET" | "POST")) continue;
      const { trigger } = route;
      exchange.routeName = trigger.name;
      if (trigger.key !== "none") {
        const given = req.headers["x-functions-key"];
        const key = (Array.isArray(given) ? given[0] : given) ?? url.searchParams.get("code");
        if (!keyMatches(this.options.keys[trigger.key], key ?? null)) {
          // As the host answers it (an ASP.NET UnauthorizedResult): a bare 401, before the function runs.
          await send(exchange, UNAUTHORIZED);
          return;
        }
      }
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      } catch {
        // A malformed %-escape: the host answers 400 before any function runs.
        await send(exchange, problemResponse(new InvalidParameterError("The URL has a malformed percent-encoding")));
        return;
      }
      const request: HttpRequestLike = {
        method,
        url: url.toString(),
        headers: toHeaders(req),
        query: url.searchParams,
        params,
        body: method === "GET" || method === "HEAD" ? null : requestBody(exchange),
      };
      const context = new InvocationContext({
        invocationId: randomUUID(),
        functionName: trigger.name,
        logHandler: (level, ...args) => this.options.log(level, args.map(String).join(" ")),
      });
      await send(exchange, await trigger.handler(request, context));
      return;
    }
    await send(exchange, problemResponse(new NotFoundError(`No function answers ${method} ${url.pathname}`)));
  }
}
