import { createGunzip, type Gunzip } from "node:zlib";
import { limits } from "../config";
import { ensureErrorType, PayloadTooLargeError, RequestTimeoutError, UnsupportedMediaTypeError, ValidationError } from "../errors";
import type { MemoryLease } from "./memoryBudget";

export interface ReadBodyOptions {
  /** Bytes allowed on the wire (compressed, when gzip). */
  maxWireBytes: number;
  /** Bytes allowed after decompression. */
  maxDecodedBytes: number;
  /** The request's Content-Encoding header, if any. */
  contentEncoding: string | null;
  /** The request's Content-Length header, if any: lets an oversized body fail before a byte is read. */
  contentLength: string | null;
  /**
   * The request's lease on the instance's memory budget: every byte read, every byte
   * inflated, and the copy that joins them are reserved from it before they are kept.
   */
  memory: MemoryLease;
  /**
   * How long the body may take to arrive in full, from this call: past it, reading stops
   * with `RequestTimeoutError` (408). Defaults to `limits.bodyDeadlineMs`; tests shorten it.
   */
  bodyDeadlineMs?: number;
}

type BodySource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null;

function readableOf(body: BodySource): AsyncIterable<Uint8Array> {
  if (body === null) return (async function* () {})();
  // Web streams are async iterable in Node 20 at run time; the DOM lib types say otherwise.
  return body as AsyncIterable<Uint8Array>;
}

function sizeLabel(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`;
}

/**
 * Yields what `source` yields until `deadline` (a `performance.now()` time), then fails with
 * `RequestTimeoutError` (408), also while a chunk is still awaited: a sender that stalls
 * must not keep its request, and what it holds of the memory budget, alive. Both hosts use
 * it: readBody over whatever body a handler is given, and the local runtime from the
 * request's start.
 */
export async function* receivedBy<T>(source: AsyncIterable<T>, deadline: number): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    const seconds = Math.round((deadline - performance.now()) / 100) / 10;
    timer = setTimeout(() => reject(new RequestTimeoutError(`The request body did not arrive in full within ${seconds} s`)), Math.max(0, deadline - performance.now()));
  });
  // Rejected only for a race that is lost; a body that ends first leaves it unobserved.
  expired.catch(() => {});
  let ended = false;
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), expired]);
      if (next.done === true) {
        ended = true;
        return;
      }
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
    // Not awaited: for a stalled sender the read still pending would never let it settle.
    if (!ended) Promise.resolve(iterator.return?.()).catch(() => {});
  }
}

/** Accepts `gzip` or no encoding (`identity`); anything else is a 415. */
export function parseContentEncoding(header: string | null): "gzip" | "identity" {
  const value = (header ?? "").trim().toLowerCase();
  if (value === "" || value === "identity") return "identity";
  if (value === "gzip" || value === "x-gzip") return "gzip";
  throw new UnsupportedMediaTypeError(`Content-Encoding "${header ?? ""}" is not supported; send gzip or no encoding`);
}

/**
 * Reads a request body into memory within both limits. Gzip is inflated as a stream and
 * stopped as soon as the output passes `maxDecodedBytes`, so a gzip bomb costs at most the
 * limit in memory and the time to inflate that much, never its full size. What is kept is
 * reserved from `options.memory` as it comes; when the instance cannot take more, reading
 * stops with `MemoryBudgetExceededError` (503), and a body still arriving at its deadline
 * with `RequestTimeoutError` (408). The caller releases the lease either way.
 */
export async function readBody(body: BodySource, options: ReadBodyOptions): Promise<Buffer> {
  const encoding = parseContentEncoding(options.contentEncoding);
  // Made only when thrown: building an Error captures a stack, which every request would pay.
  const wireLimit = () =>
    new PayloadTooLargeError(`The request body is over the ${sizeLabel(options.maxWireBytes)} limit on the wire`, `wire:${options.maxWireBytes}`);
  const decodedLimit = () =>
    new PayloadTooLargeError(`The decompressed body is over the ${sizeLabel(options.maxDecodedBytes)} limit`, `decompressed:${options.maxDecodedBytes}`);
  if (options.contentLength !== null && /^\d+$/.test(options.contentLength.trim())) {
    if (Number(options.contentLength) > options.maxWireBytes) throw wireLimit();
  }
  const source = receivedBy(readableOf(body), performance.now() + (options.bodyDeadlineMs ?? limits.bodyDeadlineMs));
  const { memory } = options;
  if (encoding === "identity") {
    const limit = Math.min(options.maxWireBytes, options.maxDecodedBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of source) {
      total += chunk.byteLength;
      if (total > limit) throw limit === options.maxWireBytes ? wireLimit() : decodedLimit();
      memory.reserve(chunk.byteLength);
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
    memory.reserve(total); // Buffer.concat copies
    return Buffer.concat(chunks, total);
  }
  return gunzipLimited(source, { maxWire: options.maxWireBytes, wireLimit, maxDecoded: options.maxDecodedBytes, decodedLimit, memory });
}

interface GunzipLimitedOptions {
  maxWire: number;
  wireLimit: () => Error;
  maxDecoded: number;
  decodedLimit: () => Error;
  memory: MemoryLease;
}

async function gunzipLimited(source: AsyncIterable<Uint8Array>, options: GunzipLimitedOptions): Promise<Buffer> {
  const { maxWire, wireLimit, maxDecoded, decodedLimit, memory } = options;
  const gunzip = createGunzip();
  const out: Buffer[] = [];
  let decoded = 0;
  let failure: Error | undefined;
  gunzip.on("data", (chunk: Buffer) => {
    decoded += chunk.byteLength;
    if (decoded > maxDecoded) {
      failure ??= decodedLimit();
      gunzip.destroy();
      return;
    }
    try {
      memory.reserve(chunk.byteLength);
    } catch (error) {
      failure ??= ensureErrorType(error);
      gunzip.destroy();
      return;
    }
    out.push(chunk);
  });
  const finished = new Promise<void>((resolve) => {
    gunzip.on("end", resolve);
    gunzip.on("close", resolve);
    gunzip.on("error", (error) => {
      failure ??= new ValidationError(`The gzip body could not be decompressed: ${error.message}`);
      resolve();
    });
  });
  let wire = 0;
  try {
    for await (const chunk of source) {
      wire += chunk.byteLength;
      if (wire > maxWire) {
        failure ??= wireLimit();
        break;
      }
      if (failure !== undefined || gunzip.destroyed) break;
      // The compressed chunk lives until the inflater has taken it.
      memory.reserve(chunk.byteLength);
      // Respect back-pressure so that inflation never runs far ahead of the limit check.
      if (!gunzip.write(chunk)) await drainedOrClosed(gunzip);
    }
  } catch (error) {
    // A full budget, a deadline passed or a broken source: the inflater must not outlive it.
    failure ??= ensureErrorType(error);
  }
  if (failure === undefined && !gunzip.destroyed) gunzip.end();
  else gunzip.destroy();
  await finished;
  if (failure !== undefined) throw failure;
  memory.reserve(decoded); // Buffer.concat copies
  return Buffer.concat(out, decoded);
}

/** Waits for `drain` or `close`, whichever comes first, and leaves no listener behind. */
function drainedOrClosed(stream: Gunzip): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}
