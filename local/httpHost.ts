import { randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ReadableStream } from "node:stream/web";
import { InvocationContext, type HttpResponseInit } from "@azure/functions";
import type { HttpRequestLike, HttpTrigger, KeyRole } from "../functions/trigger";
import { InvalidParameterError, NotFoundError, UnauthorizedError } from "../shared/errors";
import { problemResponse } from "../shared/http/problem";

export type LocalLog = (level: string, message: string) => void;

export interface HttpHostOptions {
  triggers: readonly HttpTrigger[];
  routePrefix: string;
  keys: Record<Exclude<KeyRole, "none">, string>;
  port: number;
  host?: string;
  log: LocalLog;
}

interface CompiledRoute {
  trigger: HttpTrigger;
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

/**
 * The request body as a web stream that is pulled, never pushed: when a handler stops
 * reading at a limit, nothing is enqueued after the stream is cancelled (Readable.toWeb
 * does, and that throws out of the event loop).
 */
function requestBody(req: IncomingMessage): ReadableStream<Uint8Array> {
  return ReadableStream.from(req as AsyncIterable<Uint8Array>);
}

async function send(res: ServerResponse, req: IncomingMessage, response: HttpResponseInit): Promise<void> {
  const headers = new Headers(response.headers);
  let body: Buffer | undefined;
  if (response.jsonBody !== undefined) {
    body = Buffer.from(JSON.stringify(response.jsonBody));
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  } else if (typeof response.body === "string") body = Buffer.from(response.body);
  else if (response.body instanceof Uint8Array) body = Buffer.from(response.body);
  else if (response.body !== undefined && response.body !== null) throw new Error("the local runtime sends string and byte bodies only");
  // A body we refused unread (413, 415, …) is not drained: the connection closes instead.
  if (!req.complete) headers.set("connection", "close");
  res.writeHead(response.status ?? 200, Object.fromEntries(headers));
  await new Promise<void>((resolve) => res.end(body, resolve));
  if (!req.complete) req.socket.destroySoon();
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
    this.server = createServer((req, res) => {
      const started = performance.now();
      this.handle(req, res)
        .catch((error: unknown) => {
          options.log("error", `local runtime failed on ${req.method} ${req.url}: ${String(error)}`);
          if (!res.headersSent) res.writeHead(500).end();
          else res.destroy();
        })
        .finally(() => options.log("info", `${req.method} ${req.url?.split("?")[0]} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`));
    });
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A fixed base: the Host header is the client's to garble, and routing needs only the path.
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = (req.method ?? "GET").toUpperCase();
    for (const route of this.routes) {
      const match = route.pattern.exec(url.pathname);
      // Like the Functions host, a route that does not take this method is simply not matched.
      if (match === null || !route.trigger.methods.includes(method as "GET" | "POST")) continue;
      const { trigger } = route;
      if (trigger.key !== "none") {
        const given = req.headers["x-functions-key"];
        const key = (Array.isArray(given) ? given[0] : given) ?? url.searchParams.get("code");
        if (!keyMatches(this.options.keys[trigger.key], key ?? null)) {
          await send(res, req, problemResponse(new UnauthorizedError(`A valid ${trigger.key} key is required in x-functions-key`)));
          return;
        }
      }
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
      } catch {
        // A malformed %-escape: the host answers 400 before any function runs.
        await send(res, req, problemResponse(new InvalidParameterError("The URL has a malformed percent-encoding")));
        return;
      }
      const request: HttpRequestLike = {
        method,
        url: url.toString(),
        headers: toHeaders(req),
        query: url.searchParams,
        params,
        body: method === "GET" || method === "HEAD" ? null : requestBody(req),
      };
      const context = new InvocationContext({
        invocationId: randomUUID(),
        functionName: trigger.name,
        logHandler: (level, ...args) => this.options.log(level, args.map(String).join(" ")),
      });
      await send(res, req, await trigger.handler(request, context));
      return;
    }
    await send(res, req, problemResponse(new NotFoundError(`No function answers ${method} ${url.pathname}`)));
  }
}
