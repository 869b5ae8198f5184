/**
 * The requests that cost the receiver the most memory for the fewest bytes sent (issue 7,
 * finding 4), and how a burst of them is measured on a runtime running in its own process:
 * peak RSS growth from /proc/<pid>/status. The memory test and the bench's memory stage both
 * send this burst, so the figure the bench prints is the one the test holds under its bound.
 */
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { limits } from "../shared/config";
import { residentBytes, resetPeakRss } from "./processMemory";

export interface BurstRequest {
  /** What the request is, for messages. */
  name: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface BurstAnswer {
  name: string;
  status: number;
  retryAfter: string | null;
  /** For a batch answered 200, each line's status. */
  lineStatuses?: string[];
}

export interface BurstMeasurement {
  /** VmRSS of the idle runtime just before the burst. */
  idleRssBytes: number;
  /** VmHWM (peak RSS) over the burst. */
  peakRssBytes: number;
  /** peakRssBytes - idleRssBytes. */
  growthBytes: number;
  /** False when the peak could not be reset before the burst: then it also covers start-up. */
  peakReset: boolean;
  answers: BurstAnswer[];
  seconds: number;
}

/** `open` + items + `close`, the items repeated (comma-separated) to fill `bytes` exactly or nearly. */
function filled(open: string, item: string, close: string, bytes: number): string {
  const count = Math.floor((bytes - open.length - close.length + 1) / (item.length + 1));
  return `${open}${Array.from({ length: count }, () => item).join(",")}${close}`;
}

/** `{"k0":0,"k1":0,…}`: a map of distinct names, each one a new property of one object. */
function manyNames(bytes: number): string {
  const parts: string[] = [];
  let length = 2;
  for (let i = 0; ; i++) {
    const part = `"k${i}":0`;
    if (length + part.length + 1 > bytes) break;
    parts.push(part);
    length += part.length + 1;
  }
  return `{${parts.join(",")}}`;
}

/** `[[[…]]]` nested as deep as `bytes` allows. */
function deeplyNested(bytes: number): string {
  const depth = Math.floor(bytes / 2);
  return "[".repeat(depth) + "]".repeat(depth);
}

function gzipped(name: string, path: string, contentType: string, text: string): BurstRequest {
  return { name, path, headers: { "content-type": contentType, "content-encoding": "gzip" }, body: gzipSync(text, { level: 9 }) };
}

function submitPath(): string {
  return `/api/v1/submit/usage/1/${randomUUID()}`;
}

/** Four NDJSON lines, each an envelope whose document is just under 8 MiB: with its newline, the 32 MiB batch limit. */
function batchOf(document: (bytes: number) => string): string {
  return Array.from({ length: 4 }, () => {
    const docId = randomUUID();
    const open = `{"docType":"usage","docVersion":1,"docId":"${docId}","document":`;
    return `${open}${document(limits.maxDocumentBytes - 1 - open.length - 1)}}`;
  }).join("\n");
}

/**
 * An object with one string that fills `bytes`: few values, so it passes every check before
 * parsing, is parsed, and is kept among rejected documents. One CJK character makes V8 hold
 * the text and the string at two bytes a character.
 */
function longString(bytes: number): string {
  return `{"hierarchyId":"\u4e00${"a".repeat(bytes - 24)}"}`;
}

/**
 * Eight requests, each the worst of its kind and all within the size limits, so that every
 * one reaches decoding and parsing: gzip documents that inflate to 8 MiB of tiny objects, of
 * distinct names, of mixed tiny values, of nesting, and of one long string; 2 MiB of `{}`
 * sent plain; a batch of four 8 MiB lines of `{}` (the 33 KB request that peaked at +740 MiB
 * RSS before the memory budget), and one of four 8 MiB lines of one long string each.
 */
export function worstCaseBurst(): BurstRequest[] {
  const json = "application/json";
  const ndjson = "application/x-ndjson";
  const document = limits.maxDocumentBytes;
  return [
    gzipped("batch of 4 lines of 8 MiB of {}", "/api/v1/batch", ndjson, batchOf((bytes) => filled("[", "{}", "]", bytes))),
    gzipped("batch of 4 lines of an 8 MiB string", "/api/v1/batch", ndjson, batchOf(longString)),
    gzipped("gzip submit of 8 MiB of {}", submitPath(), json, filled("[", "{}", "]", document)),
    gzipped("gzip submit of 8 MiB of distinct names", submitPath(), json, manyNames(document)),
    gzipped("gzip submit of 8 MiB of mixed tiny values", submitPath(), json, filled("[", '0,"",[],{},true,null,-1e9', "]", document)),
    gzipped("gzip submit of 8 MiB of nesting", submitPath(), json, deeplyNested(document)),
    gzipped("gzip submit of an 8 MiB string", submitPath(), json, longString(document)),
    { name: "plain submit of 2 MiB of {}", path: submitPath(), headers: { "content-type": json }, body: Buffer.from(filled("[", "{}", "]", limits.maxWireBytes)) },
  ];
}

/** Sends every request at once, with the ingest key, and collects status and Retry-After. */
export async function sendBurst(url: string, ingestKey: string, requests: readonly BurstRequest[]): Promise<BurstAnswer[]> {
  return Promise.all(
    requests.map(async ({ name, path, headers, body }) => {
      const response = await fetch(`${url}${path}`, { method: "POST", headers: { ...headers, "x-functions-key": ingestKey }, body });
      const text = await response.text();
      const answer: BurstAnswer = { name, status: response.status, retryAfter: response.headers.get("retry-after") };
      if (response.status === 200 && path === "/api/v1/batch") {
        answer.lineStatuses = (JSON.parse(text) as { results: { status: string }[] }).results.map((r) => r.status);
      }
      return answer;
    }),
  );
}

/**
 * Sends the burst to the runtime at `url` (process `pid`, idle) and reads how far its RSS
 * rose above where it stood just before. Linux only: it reads /proc.
 */
export async function measureBurst(url: string, pid: number, ingestKey: string, requests: readonly BurstRequest[]): Promise<BurstMeasurement> {
  const peakReset = resetPeakRss(pid);
  const idleRssBytes = residentBytes(pid, "VmRSS");
  const started = performance.now();
  const answers = await sendBurst(url, ingestKey, requests);
  const seconds = (performance.now() - started) / 1000;
  const peakRssBytes = residentBytes(pid, "VmHWM");
  return { idleRssBytes, peakRssBytes, growthBytes: peakRssBytes - idleRssBytes, peakReset, answers, seconds };
}
