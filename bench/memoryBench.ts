/**
 * (h) Memory: what a burst of the worst requests does to a runtime's RSS, beside its idle
 * RSS (the figure the memory test holds under 600 MiB), what a parsed JSON value costs on
 * the heap (the figure the memory budget reserves per value), and what the scan that counts
 * values before parsing costs beside JSON.parse on a typical document, and what 16 gzip
 * uploads that stall after inflating 31 MiB each do (the budget they hold, until their 408),
 * what a decoded rollup row costs beside its stored size (the factor its reads reserve), and
 * what 16 concurrent reads of a week of 256 full rows do to a runtime.
 * Not a test: it prints figures. `node dist/bench/memoryBench.js week` runs the row, answer and
 * full-week figures alone, `node dist/bench/memoryBench.js stalled` the stalled uploads alone.
 */
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { limits } from "../shared/config";
import { heapLimitFlag } from "../shared/heapLimit";
import { PARSED_BYTES_PER_VALUE } from "../shared/ingestion/parseJsonBody";
import { scanJsonShape } from "../shared/ingestion/scanJsonShape";
import { gzipHead } from "../devkit/gzipHead";
import { measureBurst, worstCaseBurst } from "../devkit/memoryBurst";
import { residentBytes, resetPeakRss } from "../devkit/processMemory";
import { makeUsageDocument } from "../devkit/usageDocuments";
import { aggregationDisabled, noLocalSettings, serviceNodeArguments, startChild, type Child } from "../devkit/children";
import { fmt, median } from "./measure";
import { benchServices } from "./aggregationBench";
import { createInterface } from "node:readline";
import { odata } from "@azure/data-tables";
import { dimensionNamed, dimensions } from "../shared/aggregation/dimensions";
import { ROLLUP_SHARDS } from "../shared/aggregation/hierarchyKey";
import { addRollup, dimensionRollupOf, emptyRollup, OTHER_NAME, type WeekRollup } from "../shared/aggregation/weekRollup";
import { ANSWER_SHARE } from "../shared/aggregation/weekStats";
import type { IsoWeek } from "../shared/isoWeek";
import { toDimensionStats } from "../shared/query/dimensionStats";
import { toOsStats } from "../shared/query/osStats";
import { ensureStorage } from "../shared/storage/ensureStorage";
import { dimensionProperties, rollupFromEntity, rollupToEntity } from "../shared/storage/rollupRowCodec";
import { entitySize } from "../shared/storage/tableLimits";
import { DECODED_ROW_FACTOR, KEPT_PAGE_FACTOR, RECEIVED_PAGE_FACTOR, rollupRowBudget, rowKeys, type WeeklyStatsTable } from "../shared/storage/weeklyStatsTable";

const KEY = "bench-ingest-key";
const MiB = 1024 * 1024;
/** Bytes of each text whose parse is weighed: large enough that the heap's noise does not count. */
const SHAPE_BYTES = 8 * MiB;

function mib(bytes: number): string {
  return `${fmt(bytes / MiB, 0)} MiB`;
}

/** `gc()` without `--expose-gc` on the command line. */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Items joined by commas inside `open`/`close`, as many as fit in `bytes`. */
function filled(open: string, close: string, item: (i: number) => string, bytes: number): string {
  const parts: string[] = [];
  let length = open.length + close.length;
  for (let i = 0; ; i++) {
    const part = item(i);
    if (length + part.length + 1 > bytes) break;
    parts.push(part);
    length += part.length + 1;
  }
  return `${open}${parts.join(",")}${close}`;
}

/** The shapes of JSON that cost the most heap per value that we know of, and a cheap one. */
const shapes: [name: string, text: () => string][] = [
  ['[{"k0":1.5},{"k1":1.5},…] (a hidden class each)', () => filled("[", "]", (i) => `{"k${i}":1.5}`, SHAPE_BYTES)],
  ["[{},{},…]", () => filled("[", "]", () => "{}", SHAPE_BYTES)],
  ['{"k0":{},"k1":{},…}', () => filled("{", "}", (i) => `"k${i}":{}`, SHAPE_BYTES)],
  ["[[[…]]] (nesting)", () => "[".repeat(SHAPE_BYTES / 2) + "]".repeat(SHAPE_BYTES / 2)],
  ['{"k0":0,"k1":0,…}', () => filled("{", "}", (i) => `"k${i}":0`, SHAPE_BYTES)],
  ["[0,0,…]", () => filled("[", "]", () => "0", SHAPE_BYTES)],
];

/**
 * Heap bytes JSON.parse keeps for `text`, weighed with process.memoryUsage between full
 * collections. A function of its own, so that the parsed value is garbage once it returns.
 */
function heapOfParse(text: string, gc: () => void): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const parsed: unknown = JSON.parse(text);
  gc();
  const heap = process.memoryUsage().heapUsed - before;
  if (parsed === undefined) throw new Error("unreachable: the text is JSON");
  return heap;
}

/** Heap bytes per JSON value of each shape. */
function weighShapes(): string[] {
  const gc = collector();
  const lines: string[] = [];
  let worst = 0;
  for (const [name, make] of shapes) {
    const text = make();
    const { values } = scanJsonShape(Buffer.from(text), { maxValues: Number.MAX_SAFE_INTEGER, maxDepth: Number.MAX_SAFE_INTEGER });
    const heap = heapOfParse(text, gc);
    worst = Math.max(worst, heap / values);
    lines.push(`      ${name}: ${fmt(heap / values, 1)} B a value (${values} values, ${mib(heap)})`);
  }
  return [
    `    heap per parsed value, JSON.parse of ${mib(SHAPE_BYTES)} texts (reserved: ${PARSED_BYTES_PER_VALUE} B a value; worst measured ${fmt(worst, 1)} B):`,
    ...lines,
  ];
}

/** Median microseconds per call of `scan` and of `parse`, timed in alternating batches. */
function compareScanWithParse(): string {
  const text = JSON.stringify(makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" }));
  const bytes = Buffer.from(text);
  const bounds = { maxValues: limits.maxJsonValues, maxDepth: limits.maxJsonDepth };
  let sink = 0;
  const scan = (): void => {
    sink += scanJsonShape(bytes, bounds).values;
  };
  const parse = (): void => {
    sink += (JSON.parse(text) as { schemaVersion: number }).schemaVersion;
  };
  const perCall = (operation: () => void, iterations: number): number => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) operation();
    return Number(process.hrtime.bigint() - started) / iterations / 1000;
  };
  const warmUpUntil = Date.now() + 300;
  while (Date.now() < warmUpUntil) {
    scan();
    parse();
  }
  const scans: number[] = [];
  const parses: number[] = [];
  for (let batch = 0; batch < 31; batch++) {
    scans.push(perCall(scan, 2000));
    parses.push(perCall(parse, 2000));
  }
  if (sink === 0) throw new Error("unreachable: the document has values");
  const scanMicros = median(scans);
  const parseMicros = median(parses);
  return (
    `    value scan before parsing, typical document (${fmt(bytes.length / 1024, 1)} KiB): scan ${fmt(scanMicros, 1)} µs, ` +
    `JSON.parse ${fmt(parseMicros, 1)} µs (scan/parse ${fmt(scanMicros / parseMicros, 2)}x)`
  );
}

/** The burst of worst-case requests against the local runtime in its own process, storage in another. */
async function burstFigures(): Promise<string[]> {
  if (process.platform !== "linux") return ["    burst: skipped (RSS is read from /proc, Linux only)"];
  const azurite = await startChild("local/azuriteServer.js", ["--in-memory", "--ports", "0"], {}, /"connectionString":"([^"]+)"/);
  let runtime: Child | undefined;
  try {
    runtime = await startChild(
      "local/start.js",
      [...noLocalSettings],
      { ...aggregationDisabled, AzureWebJobsStorage: azurite.match[1]!, PORT: "0", INGEST_KEY: KEY },
      /listening on (http:\/\/\S+)/,
      serviceNodeArguments,
    );
    const url = runtime.match[1]!;
    const docId = "0b6c1e0a-7d4f-4e3a-9c2b-5a1d3e4f6a7b";
    const warmUp = await fetch(`${url}/api/v1/submit/usage/1/${docId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-functions-key": KEY },
      body: JSON.stringify({ ...makeUsageDocument(), docId }),
    });
    await warmUp.arrayBuffer();
    const requests = worstCaseBurst();
    const burst = await measureBurst(url, runtime.process.pid!, KEY, requests);
    const answers = burst.answers.map((a) => (a.lineStatuses === undefined ? String(a.status) : `${a.status} (lines ${a.lineStatuses.join(",")})`));
    return [
      `    burst of ${requests.length} concurrent worst-case requests (${fmt(requests.reduce((sum, r) => sum + r.body.length, 0) / MiB, 1)} MiB sent), runtime and Azurite in their own processes:`,
      `      idle RSS ${mib(burst.idleRssBytes)}, peak RSS ${mib(burst.peakRssBytes)}: growth ${mib(burst.growthBytes)} ` +
        `(test bound 600 MiB; budget ${mib(limits.maxInFlightBytes)})${burst.peakReset ? "" : " [peak not reset: includes start-up]"}`,
      `      answers ${answers.join(", ")} in ${fmt(burst.seconds, 1)} s`,
    ];
  } finally {
    await runtime?.stop();
    await azurite.stop();
  }
}

/** How many stalled uploads the issue found to starve an instance, and what each inflates before it stalls. */
const STALLED_UPLOADS = 16;
const STALLED_INFLATED_BYTES = 31 * MiB;

/** A gzip batch upload that sends `head` and then nothing; resolves with its status and the seconds it took to get one. */
function stalledUpload(url: string, head: Buffer): { answered: Promise<{ status: number; seconds: number }>; abort(): void } {
  const started = performance.now();
  const req = request(`${url}/api/v1/batch`, {
    method: "POST",
    headers: { "content-type": "application/x-ndjson", "content-encoding": "gzip", "x-functions-key": KEY },
  });
  const answered = new Promise<{ status: number; seconds: number }>((resolve) => {
    req.on("response", (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, seconds: (performance.now() - started) / 1000 });
    });
    // A connection cut without an answer counts as status 0.
    req.on("error", () => resolve({ status: 0, seconds: (performance.now() - started) / 1000 }));
  });
  req.flushHeaders();
  req.write(head);
  return { answered, abort: () => req.destroy() };
}

/** Status of a GET /api/health and of a typical submission, sent while the stalled uploads hold their memory. */
async function probes(url: string): Promise<{ health: number; submit: number }> {
  const health = await fetch(`${url}/api/health`);
  await health.arrayBuffer();
  const docId = randomUUID();
  const submit = await fetch(`${url}/api/v1/submit/usage/1/${docId}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-functions-key": KEY },
    body: JSON.stringify({ ...makeUsageDocument(), docId }),
  });
  await submit.arrayBuffer();
  return { health: health.status, submit: submit.status };
}

/**
 * 16 gzip batches that inflate 31 MiB each and then stall (496 of the 512 MiB budget), with a
 * health probe and a normal upload while they hold it, and again after their 408s. Takes the
 * body deadline itself (60 s): the runtime runs with the limits SCPs meet.
 */
async function stalledGzipFigures(): Promise<string[]> {
  if (process.platform !== "linux") return ["    stalled gzip uploads: skipped (RSS is read from /proc, Linux only)"];
  const azurite = await startChild("local/azuriteServer.js", ["--in-memory", "--ports", "0"], {}, /"connectionString":"([^"]+)"/);
  let runtime: Child | undefined;
  const uploads: ReturnType<typeof stalledUpload>[] = [];
  try {
    runtime = await startChild(
      "local/start.js",
      [...noLocalSettings],
      { ...aggregationDisabled, AzureWebJobsStorage: azurite.match[1]!, PORT: "0", INGEST_KEY: KEY, RATE_LIMIT_PER_HOUR: "1000" },
      /listening on (http:\/\/\S+)/,
      serviceNodeArguments,
    );
    const url = runtime.match[1]!;
    const pid = runtime.process.pid!;
    await probes(url); // warm-up: the first request loads the validators
    const head = await gzipHead(STALLED_INFLATED_BYTES);
    const peakReset = resetPeakRss(pid);
    const idle = residentBytes(pid, "VmRSS");
    for (let i = 0; i < STALLED_UPLOADS; i++) uploads.push(stalledUpload(url, head));
    // Inflating 31 MiB of spaces takes well under a second; the probes then meet the budget they hold.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const held = residentBytes(pid, "VmRSS");
    const during = await probes(url);
    const answers = await Promise.all(uploads.map((u) => u.answered));
    const after = await probes(url);
    const peak = residentBytes(pid, "VmHWM");
    const statuses = [...new Set(answers.map((a) => a.status))].join(",");
    const seconds = answers.map((a) => a.seconds);
    return [
      `    ${STALLED_UPLOADS} stalled gzip batches, each ${fmt(head.length / 1024, 0)} KiB on the wire inflating to ${mib(STALLED_INFLATED_BYTES)}, then silent (runtime and Azurite in their own processes):`,
      `      idle RSS ${mib(idle)}, RSS while they stall ${mib(held)}, peak RSS ${mib(peak)}${peakReset ? "" : " [peak not reset: includes start-up]"}`,
      `      while they stall: health ${during.health}, a typical submission ${during.submit}; after their answers: health ${after.health}, submission ${after.submit}`,
      `      stalled uploads answered ${statuses} after ${fmt(Math.min(...seconds), 1)}-${fmt(Math.max(...seconds), 1)} s (deadline ${limits.bodyDeadlineMs / 1000} s)`,
    ];
  } finally {
    for (const upload of uploads) upload.abort();
    await runtime?.stop();
    await azurite.stop();
  }
}

const QUERY_KEY = "bench-query-key";
const WEEK: IsoWeek = "2026-W50";
/** Hierarchies that name a row's OS names, as if each of its snapshots named this many. */
const OS_NAMES_PER_HIERARCHY = 500;
/** Clients counted under each OS name. */
const CLIENTS_PER_NAME = 2000;

/**
 * A rollup row filled to its budget with short OS names of its own (prefixed by `shard`, so
 * that the shards of a week share none and the merge keeps them all): the names are admitted
 * as aggregation admits them (rollupRowBudget's cost of each, room kept for `(other)` in every
 * list), without aggregating documents, so that a week of them is made in seconds.
 */
function fullOsRollup(shard: number): WeekRollup {
  const rollup = emptyRollup();
  let left = rollupRowBudget.bytes - rollupRowBudget.entryBytes("features", OTHER_NAME);
  for (const d of dimensions) left -= rollupRowBudget.entryBytes(d.name, OTHER_NAME);
  const os = rollup.dimensions.get("os");
  if (os === undefined || os.kind === "distribution") throw new Error("unreachable: os is a clients dimension");
  for (let i = 0; ; i++) {
    const name = `${shard.toString(36)}.${i.toString(36)}`;
    const cost = rollupRowBudget.entryBytes("os", name);
    if (cost > left) break;
    left -= cost;
    os.values.set(name, { hierarchies: 1, clients: CLIENTS_PER_NAME, count: 0 });
  }
  const hierarchies = Math.ceil(os.values.size / OS_NAMES_PER_HIERARCHY);
  const clients = os.values.size * CLIENTS_PER_NAME;
  Object.assign(rollup, { hierarchies, clients });
  Object.assign(os, { hierarchies, clients });
  return rollup;
}

/** Decodes of one row kept alive at once: enough heap that the collector's noise does not count. */
const DECODES = 24;

/** Heap growth while what `make` returns is kept alive, between full collections. */
function heapKept(gc: () => void, make: () => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = make();
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  if (kept === undefined) throw new Error("unreachable: something is kept");
  return grown;
}

/**
 * Heap growth of decoding a full row DECODES times, the results kept, over DECODES times its
 * stored size; beside it the same with the entity as the SDK hands it over (parsed from its
 * wire JSON), which a read holds until its page is decoded.
 */
function decodeFactor(): string[] {
  const gc = collector();
  const entity = rollupToEntity(WEEK, 0, fullOsRollup(0));
  const size = entitySize(entity);
  const wire = JSON.stringify(entity);
  const decoded = heapKept(gc, () => Array.from({ length: DECODES }, () => rollupFromEntity(entity))) / (DECODES * size);
  const received =
    heapKept(gc, () =>
      Array.from({ length: DECODES }, () => {
        const copy = JSON.parse(wire) as Record<string, unknown>;
        return [copy, rollupFromEntity(copy)];
      }),
    ) /
    (DECODES * size);
  const os = rollupFromEntity(entity).dimensions.get("os");
  const entries = os !== undefined && os.kind !== "distribution" ? os.values.size : 0;
  return [
    `    decoded rollup row: ${fmt(size / 1024, 0)} KiB stored (UTF-16), ${entries} short OS names; ${DECODES} decodes kept alive:`,
    `      decoded ${fmt(decoded, 2)}x its stored size, with the entity as received ${fmt(received, 2)}x (DECODED_ROW_FACTOR = ${DECODED_ROW_FACTOR})`,
  ];
}

/**
 * What one page of a read weighs as the SDK hands it over, over its rows' stored size: the
 * page kept alive (the entities as the SDK deserialised them, and whatever of the response it
 * keeps), plus its wire text twice (the body's bytes and the string made of them, alive while
 * it is parsed): the figures RECEIVED_PAGE_FACTOR and KEPT_PAGE_FACTOR hold.
 */
async function receivedPageFactor(weeklyStats: WeeklyStatsTable): Promise<string[]> {
  const gc = collector();
  const filter = odata`PartitionKey eq ${WEEK} and RowKey ge ${rowKeys.rollup(0)} and RowKey le ${rowKeys.rollup(ROLLUP_SHARDS - 1)}`;
  const select = ["hierarchies", "clients", ...dimensionProperties("os")];
  const pages = weeklyStats.table.listEntities({ queryOptions: { filter, select } }).byPage({ maxPageSize: 16 });
  gc();
  const before = process.memoryUsage().heapUsed;
  const page = await pages.next();
  gc();
  const kept = process.memoryUsage().heapUsed - before;
  if (page.done === true) throw new Error("unreachable: the week has rows");
  const stored = page.value.reduce((sum, e) => sum + entitySize(e), 0);
  // 64-bit counts come back as BigInts; on the wire they are digits in a string.
  const wire = Buffer.byteLength(JSON.stringify({ value: page.value }, (_key, v: unknown) => (typeof v === "bigint" ? String(v) : v)));
  return [
    `    a page of ${page.value.length} such rows as received: ${mib(stored)} stored, kept ${fmt(kept / stored, 2)}x, wire text ${fmt(wire / stored, 2)}x: ` +
      `${fmt((kept + 2 * wire) / stored, 2)}x with the wire text twice (RECEIVED_PAGE_FACTOR = ${RECEIVED_PAGE_FACTOR}, KEPT_PAGE_FACTOR = ${KEPT_PAGE_FACTOR})`,
  ];
}

/** Shards merged for the answer's weighing: enough heap that the collector's noise does not count. */
const MERGED_SHARDS = 32;

/**
 * What the two routes' answers cost beside the merged rollup they are built from, as a share of
 * what the rollup's rows were reserved at (DECODED_ROW_FACTOR times their stored size): the
 * figure ANSWER_SHARE holds. The merged rollup's own heap is shown beside its reservation.
 */
function answerShare(): string[] {
  const gc = collector();
  let stored = 0;
  const merged = emptyRollup();
  const mergedHeap = heapKept(gc, () => {
    for (let shard = 0; shard < MERGED_SHARDS; shard++) {
      const entity = rollupToEntity(WEEK, shard, fullOsRollup(shard));
      stored += entitySize(entity);
      addRollup(merged, rollupFromEntity(entity));
    }
    return merged;
  });
  const reserved = stored * DECODED_ROW_FACTOR;
  const osDimension = dimensionNamed("os")!;
  const osAnswer = heapKept(gc, () => {
    const body = toOsStats(WEEK, merged);
    return [body, JSON.stringify(body)];
  });
  const dimensionAnswer = heapKept(gc, () => {
    const rollup = dimensionRollupOf(merged, "os");
    const body = toDimensionStats(WEEK, osDimension, rollup, { minHierarchies: 1 });
    return [rollup, body, JSON.stringify(body)];
  });
  return [
    `    ${MERGED_SHARDS} such rows merged (${mib(stored)} stored, reserved at ${mib(reserved)}): the merged rollup keeps ${fmt(mergedHeap / stored, 2)}x their stored size;`,
    `      answers built from it, kept with their JSON text: stats/os ${fmt(osAnswer / reserved, 2)}, dimensions/os ${fmt(dimensionAnswer / reserved, 2)} of the reservation (ANSWER_SHARE = ${ANSWER_SHARE})`,
  ];
}

/** Concurrent reads of each route over the full week. */
const WEEK_READS = 8;
/** Rows written at once while the week is seeded. */
const SEED_WRITES = 8;

/** A GET's status and Retry-After; a connection cut before the whole body arrived counts as status 0. */
async function timedGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter: string | null; seconds: number }> {
  const started = performance.now();
  try {
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    return { status: res.status, retryAfter: res.headers.get("retry-after"), seconds: (performance.now() - started) / 1000 };
  } catch {
    return { status: 0, retryAfter: null, seconds: (performance.now() - started) / 1000 };
  }
}

function tally(answers: { status: number; retryAfter: string | null; seconds: number }[]): string {
  const counts = new Map<string, number>();
  for (const a of answers) {
    const key = a.status === 503 ? `503 (Retry-After ${a.retryAfter ?? "missing"})` : a.status === 0 ? "cut" : String(a.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${n} x ${key}`).join(", ");
}

/** Writes the week's ROLLUP_SHARDS full rows straight to the table, SEED_WRITES at a time; their stored bytes. */
async function seedFullWeek(weeklyStats: WeeklyStatsTable): Promise<number> {
  let stored = 0;
  let next = 0;
  const writer = async (): Promise<void> => {
    for (let shard = next++; shard < ROLLUP_SHARDS; shard = next++) {
      const entity = rollupToEntity(WEEK, shard, fullOsRollup(shard));
      stored += entitySize(entity);
      await weeklyStats.table.upsertEntity({ ...entity, partitionKey: WEEK, rowKey: String(entity["rowKey"]) }, "Replace");
    }
  };
  await Promise.all(Array.from({ length: SEED_WRITES }, writer));
  await weeklyStats.markWeek(WEEK);
  return stored;
}

/** What a budgetPeakRuntime child held at most since it was last asked: its budget and process.memoryUsage()'s figures. */
interface RuntimePeaks {
  peak: number;
  inUse: number;
  memory: MemoryFigures;
  /** The same figures when the peaks were last started again. */
  base: MemoryFigures;
}

type MemoryFigures = Record<"rss" | "heapTotal" | "heapUsed" | "external" | "arrayBuffers", number>;

function memoryFigures(line: string, name: "base" | "peak"): MemoryFigures | undefined {
  const usage = new RegExp(`^memory ${name} rss (\\d+) heapTotal (\\d+) heapUsed (\\d+) external (\\d+) arrayBuffers (\\d+)$`).exec(line);
  if (usage === null) return undefined;
  const [rss, heapTotal, heapUsed, external, arrayBuffers] = usage.slice(1).map(Number) as [number, number, number, number, number];
  return { rss, heapTotal, heapUsed, external, arrayBuffers };
}

/** Asks a budgetPeakRuntime child for its peaks since it was last asked (and starts them again). */
function budgetPeak(runtime: Child): Promise<RuntimePeaks> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: runtime.process.stdout! });
    let base: MemoryFigures | undefined;
    let memory: MemoryFigures | undefined;
    lines.on("line", (line) => {
      base ??= memoryFigures(line, "base");
      memory ??= memoryFigures(line, "peak");
      const found = /^budget peak (\d+) in use (\d+)$/.exec(line);
      if (found === null || memory === undefined || base === undefined) return;
      lines.close();
      resolve({ peak: Number(found[1]), inUse: Number(found[2]), memory, base });
    });
    runtime.process.kill("SIGUSR2");
  });
}

/**
 * The runtime's environment for one set of options: `NAME=value` words (such as glibc's
 * MALLOC_ARENA_MAX) are set as variables, the other words are given to Node as NODE_OPTIONS.
 */
function runtimeEnvironment(options: string | undefined): Record<string, string> {
  const words = options?.split(/\s+/).filter((word) => word !== "") ?? [];
  const variables = words.filter((word) => /^[A-Z_]+=/.test(word)).map((word) => word.split("=", 2) as [string, string]);
  const nodeOptions = words.filter((word) => !/^[A-Z_]+=/.test(word)).join(" ");
  return { ...Object.fromEntries(variables), ...(nodeOptions === "" ? {} : { NODE_OPTIONS: nodeOptions }) };
}

/**
 * A week of ROLLUP_SHARDS rollup rows, each at its budget with short OS names of its own,
 * written straight to the table of an Azurite in its own process; then WEEK_READS concurrent
 * GETs of the OS route and as many of the OS dimension route through a runtime in its own
 * process (bench/budgetPeakRuntime.js: local/start.js's runtime, which also reports its
 * budget's peak), with /api/health probed until they have all answered. With `nodeOptions`
 * (such as shared/heapLimit.ts's flag) the runtime's V8 is told them at start, as a host can be.
 */
async function fullWeekFigures(nodeOptions?: string): Promise<string[]> {
  if (process.platform !== "linux") return ["    full-week reads: skipped (RSS is read from /proc, Linux only)"];
  const azurite = await startChild("local/azuriteServer.js", ["--in-memory", "--ports", "0"], {}, /"connectionString":"([^"]+)"/);
  let runtime: Child | undefined;
  try {
    const connectionString = azurite.match[1]!;
    const services = benchServices(connectionString);
    await ensureStorage(services.clients);
    const seeding = performance.now();
    const stored = await seedFullWeek(services.weeklyStats);
    const seeded = (performance.now() - seeding) / 1000;
    const received = await receivedPageFactor(services.weeklyStats);

    runtime = await startChild(
      "bench/budgetPeakRuntime.js",
      [],
      {
        ...aggregationDisabled,
        AzureWebJobsStorage: connectionString,
        PORT: "0",
        INGEST_KEY: KEY,
        QUERY_KEY,
        ...runtimeEnvironment(nodeOptions),
      },
      /listening on (http:\/\/\S+)/,
    );
    const url = runtime.match[1]!;
    const pid = runtime.process.pid!;
    await timedGet(`${url}/api/health`);
    const peakReset = resetPeakRss(pid);
    await budgetPeak(runtime);
    const idle = residentBytes(pid, "VmRSS");
    const headers = { "x-functions-key": QUERY_KEY };
    const started = performance.now();
    const reads = [
      ...Array.from({ length: WEEK_READS }, () => timedGet(`${url}/api/v1/stats/os?week=${WEEK}`, headers)),
      ...Array.from({ length: WEEK_READS }, () => timedGet(`${url}/api/v1/stats/dimensions/os?week=${WEEK}`, headers)),
    ];
    let done = false;
    const all = Promise.all(reads).finally(() => {
      done = true;
    });
    const health: number[] = [];
    while (!done) {
      health.push((await timedGet(`${url}/api/health`)).status);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const answers = await all;
    const seconds = (performance.now() - started) / 1000;
    const after = await timedGet(`${url}/api/v1/stats/os?week=${WEEK}`, headers);
    const peak = residentBytes(pid, "VmHWM");
    const budget = await budgetPeak(runtime);
    const healthCounts = [...new Set(health)].map((status) => `${health.filter((h) => h === status).length} x ${status}`).join(", ");
    return [
      ...received,
      `    full week, runtime with ${nodeOptions ?? "V8's default heap limit"}: ${ROLLUP_SHARDS} rollup rows of short OS names (${mib(stored)} stored, UTF-16; written in ${fmt(seeded, 1)} s), ` +
        `${WEEK_READS} concurrent GET /api/v1/stats/os and ${WEEK_READS} GET /api/v1/stats/dimensions/os (runtime and Azurite in their own processes):`,
      `      idle RSS ${mib(idle)}, peak RSS (VmHWM) ${mib(peak)}${peakReset ? "" : " [peak not reset: includes start-up]"}: ` +
        `${mib(peak - idle)} over idle (budget ${mib(limits.maxInFlightBytes)}); the budget's peak accounted ${mib(budget.peak)}, ${mib(budget.inUse)} in use after`,
      `      sampled peaks (every 20 ms), idle in brackets: rss ${mib(budget.memory.rss)} (${mib(budget.base.rss)}), ` +
        `V8 heap ${mib(budget.memory.heapTotal)} (${mib(budget.base.heapTotal)}), used ${mib(budget.memory.heapUsed)} (${mib(budget.base.heapUsed)}), ` +
        `external ${mib(budget.memory.external)} (${mib(budget.base.external)}), array buffers ${mib(budget.memory.arrayBuffers)} (${mib(budget.base.arrayBuffers)})`,
      `      stats/os: ${tally(answers.slice(0, WEEK_READS))}; dimensions/os: ${tally(answers.slice(WEEK_READS))}; ` +
        `answered after ${fmt(Math.min(...answers.map((a) => a.seconds)), 1)}-${fmt(Math.max(...answers.map((a) => a.seconds)), 1)} s, all in ${fmt(seconds, 1)} s`,
      `      runtime ${runtime.process.exitCode === null && runtime.process.signalCode === null ? "still running" : `exited (${runtime.process.exitCode ?? runtime.process.signalCode})`} after them`,
      `      health while they ran: ${healthCounts}; one more stats/os after them: ${tally([after])}`,
    ];
  } finally {
    await runtime?.stop();
    await azurite.stop();
  }
}

/**
 * The decoded row's factor, the answer's share and the full-week reads, with V8's default heap
 * limit and with the flag deployed instances and `npm start` get (shared/heapLimit.ts), or
 * with each set of Node options given instead.
 */
async function weekReadFigures(nodeOptionSets: readonly (string | undefined)[] = [undefined, heapLimitFlag]): Promise<string[]> {
  const figures = [...decodeFactor(), ...answerShare()];
  for (const nodeOptions of nodeOptionSets) figures.push(...(await fullWeekFigures(nodeOptions)));
  return figures;
}

/** (h) The memory figures: the burst's peak RSS beside idle RSS, stalled uploads, heap per parsed value, the scan's cost, full-week reads. */
export async function benchMemory(): Promise<string[]> {
  return ["(h) memory:", ...(await burstFigures()), ...(await stalledGzipFigures()), ...weighShapes(), compareScanWithParse(), ...(await weekReadFigures())];
}

if (require.main === module) {
  const only = process.argv.includes("week") ? "week" : process.argv.includes("stalled") ? "stalled" : undefined;
  if (only !== undefined) {
    // `week "<node options>" ...` compares the runtime under each set of options instead.
    const optionSets = process.argv.slice(process.argv.indexOf("week") + 1);
    (only === "week" ? weekReadFigures(optionSets.length > 0 ? optionSets : undefined) : stalledGzipFigures()).then(
      (lines) => {
        for (const line of [`(h) memory, ${only === "week" ? "full-week reads" : "stalled gzip uploads"} only:`, ...lines]) console.log(line);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  }
}
