/**
 * What validation costs next to the JSON.parse every request pays anyway.
 *
 * For a typical document (~3 KB) and the largest one the schema allows (~300 KB), of usage
 * version 1 and of version 2, times side by side in one run:
 * - `JSON.parse(text)` alone,
 * - `JSON.parse(text)` + consent + schema + semantic rules (`validateUsageV1`, `validateUsageV2`),
 * - `JSON.parse(text)` + a walk that reads every key and value and checks nothing: the floor
 *   of any validator of the parsed value, which must list every object's keys (every object
 *   rejects undeclared ones) and read every value,
 * and reports median microseconds per operation and their ratios (target: <= 1.5x; issue 18
 * asks <= 1.3x of version 2, which each v2 line shows as well).
 *
 * Each iteration parses afresh, as a request does: validating one parsed object over and
 * over would flatter the validator (V8 caches a reused object's key enumeration).
 * Each pair is timed in alternating batches, so that GC pauses and a busy neighbour hit
 * both alike, and the median of the batches is reported. Each pair runs in a worker of its
 * own (a fresh V8 isolate): in one thread the figures jumped from run to run (what ran before,
 * the other version's documents or the walk's generic property reads, shaped what V8 did with
 * the code they share). Not a test: `bench/run.ts` calls it and prints the lines.
 */
import { once } from "node:events";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { validateUsageV1 } from "../shared/validation/validateUsageV1";
import { validateUsageV2 } from "../shared/validation/validateUsageV2";
import type { ValidationResult } from "../shared/validation/validationResult";
import { median } from "./measure";
import { makeLargestUsageDocument, makeLargestUsageV2Document, makeUsageDocument, makeUsageV2Document, testNow } from "../devkit/usageDocuments";

type Validate = (value: unknown, expected: { docId: string; docVersion: number }, now: Date) => ValidationResult<{ schemaVersion: number }>;

/** What `benchValidation` returns: a title and printable lines, plus the numbers. */
export interface ValidationBenchResult {
  name: string;
  lines: string[];
  cases: ValidationBenchCase[];
}

export interface ValidationBenchCase {
  document: string;
  bytes: number;
  parseMicros: number;
  parseAndValidateMicros: number;
  /** parseAndValidateMicros / parseMicros. */
  ratio: number;
  /** JSON.parse and the walk that checks nothing (`touchEveryNode`), in a worker of its own. */
  parseAndWalkMicros: number;
  /** parseAndWalkMicros over JSON.parse timed beside it in that worker. */
  floorRatio: number;
}

export interface ValidationBenchOptions {
  /** Timed batches per measurement (default 31); the median is reported. */
  batches?: number;
  /** Roughly how long one batch should take, in milliseconds (default 20). */
  batchMillis?: number;
}

/** The ratio we hold the validator to. */
export const targetRatio = 1.5;

/** What issue 18 asks of version 2's validation. */
export const version2GoalRatio = 1.3;

/**
 * Reads every key and value of a parsed document and checks nothing: what a validator of the
 * parsed value cannot avoid. (Recursive: the benchmark's documents are a few levels deep.)
 */
function touchEveryNode(value: unknown): number {
  if (typeof value !== "object" || value === null) return typeof value === "string" ? value.length : 1;
  let touched = 0;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) touched += touchEveryNode(item);
    return touched;
  }
  const keys = Object.keys(value);
  for (const key of keys) touched += key.length + touchEveryNode((value as Record<string, unknown>)[key]);
  return touched;
}

/** Runs `operation` `iterations` times and returns the mean microseconds per run. */
function timeBatch(operation: () => void, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let index = 0; index < iterations; index += 1) operation();
  return Number(process.hrtime.bigint() - start) / iterations / 1000;
}

/**
 * Times `operations` in rotating batches after a warm-up and returns each one's median
 * microseconds per run. Batches are sized so that the last operation's take `batchMillis`.
 */
function timeSideBySide(operations: readonly (() => void)[], options: Required<ValidationBenchOptions>): number[] {
  // Warm up every path until V8 has optimised it.
  const warmUpUntil = Date.now() + 300;
  while (Date.now() < warmUpUntil) for (const operation of operations) operation();
  const slowest = operations[operations.length - 1] as () => void;
  const iterations = Math.max(1, Math.round((options.batchMillis * 1000) / timeBatch(slowest, 20)));

  const times: number[][] = operations.map(() => []);
  for (let batch = 0; batch < options.batches; batch += 1) {
    // Rotate which goes first, so that none always follows another's garbage.
    for (let step = 0; step < operations.length; step += 1) {
      const index = (batch + step) % operations.length;
      times[index]?.push(timeBatch(operations[index] as () => void, iterations));
    }
  }
  return times.map(median);
}

/** What a measuring worker is asked: one document, and which pair to time. */
interface PairRequest {
  pair: "validation" | "floor";
  text: string;
  options: Required<ValidationBenchOptions>;
}
/** Median microseconds of JSON.parse alone, and of JSON.parse and the pair's second step. */
type PairAnswer = [parseMicros: number, parseAndMoreMicros: number];

const validatorsByVersion: ReadonlyMap<number, Validate> = new Map<number, Validate>([
  [1, validateUsageV1],
  [2, validateUsageV2],
]);

/** Times one pair in this thread: JSON.parse against JSON.parse + validation, or + touchEveryNode. */
function timePairHere({ pair, text, options }: PairRequest): PairAnswer {
  const { docId, schemaVersion } = JSON.parse(text) as { docId: string; schemaVersion: number };
  const expected = { docId, docVersion: schemaVersion };
  const validate = validatorsByVersion.get(schemaVersion);
  if (validate === undefined) throw new Error(`no validator for usage version ${schemaVersion}`);
  // A sink the optimiser cannot see through, so no loop is optimised away.
  let sink = 0;
  const parseOnly = (): void => {
    sink += (JSON.parse(text) as { schemaVersion: number }).schemaVersion;
  };
  const parseAndValidate = (): void => {
    const result = validate(JSON.parse(text), expected, testNow);
    if (!result.ok) throw new Error(`benchmark document is invalid: ${JSON.stringify(result.errors)}`);
    sink += result.document.schemaVersion;
  };
  const parseAndWalk = (): void => {
    sink += touchEveryNode(JSON.parse(text));
  };
  const answer = timeSideBySide([parseOnly, pair === "validation" ? parseAndValidate : parseAndWalk], options) as PairAnswer;
  if (sink === 0) throw new Error("unreachable: every document has a schemaVersion of 1 or more");
  return answer;
}

/** Times one pair in a fresh worker, so that nothing measured before shapes what V8 does with it. */
async function timePair(request: PairRequest): Promise<PairAnswer> {
  const worker = new Worker(__filename, { workerData: request });
  // `once` rejects when the worker emits "error" (a throw in it) first.
  const [answer] = (await once(worker, "message")) as [PairAnswer];
  await worker.terminate();
  return answer;
}

async function measure(label: string, text: string, options: Required<ValidationBenchOptions>): Promise<ValidationBenchCase> {
  const [parseMicros, parseAndValidateMicros] = await timePair({ pair: "validation", text, options });
  const [floorParseMicros, parseAndWalkMicros] = await timePair({ pair: "floor", text, options });
  return {
    document: label,
    bytes: Buffer.byteLength(text),
    parseMicros,
    parseAndValidateMicros,
    ratio: parseAndValidateMicros / parseMicros,
    parseAndWalkMicros,
    floorRatio: parseAndWalkMicros / floorParseMicros,
  };
}

function describe(benchCase: ValidationBenchCase): string {
  const size = benchCase.bytes >= 10_240 ? `${(benchCase.bytes / 1024).toFixed(0)} KiB` : `${(benchCase.bytes / 1024).toFixed(1)} KiB`;
  const verdict = benchCase.ratio <= targetRatio ? "ok" : "ABOVE TARGET";
  return (
    `${benchCase.document} (${size}): JSON.parse ${benchCase.parseMicros.toFixed(1)} µs, ` +
    `parse+consent+schema+semantic ${benchCase.parseAndValidateMicros.toFixed(1)} µs, ` +
    `ratio ${benchCase.ratio.toFixed(2)}x (target <= ${targetRatio}x: ${verdict}` +
    (benchCase.document.startsWith("v2 ") ? `; v2 goal <= ${version2GoalRatio}x: ${benchCase.ratio <= version2GoalRatio ? "ok" : "ABOVE GOAL"})` : ")") +
    `; floor (every key and value read, nothing checked) ${benchCase.floorRatio.toFixed(2)}x`
  );
}

/**
 * Measures validation against JSON.parse for a typical and the largest document.
 *
 * @returns a title, one printable line per document, and the figures behind them
 */
export async function benchValidation(options: ValidationBenchOptions = {}): Promise<ValidationBenchResult> {
  const settings: Required<ValidationBenchOptions> = { batches: options.batches ?? 31, batchMillis: options.batchMillis ?? 20 };
  const cases: ValidationBenchCase[] = [];
  for (const [label, document] of [
    ["typical document", makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" })],
    ["largest document", makeLargestUsageDocument()],
    ["v2 typical document", makeUsageV2Document({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5c" })],
    ["v2 largest document", makeLargestUsageV2Document()],
  ] as const) {
    cases.push(await measure(label, JSON.stringify(document), settings));
  }
  return { name: "usage v1 and v2 validation vs JSON.parse", lines: cases.map(describe), cases };
}

if (!isMainThread && typeof (workerData as Partial<PairRequest> | null)?.pair === "string") {
  parentPort?.postMessage(timePairHere(workerData as PairRequest));
} else if (require.main === module) {
  benchValidation().then(
    (result) => {
      console.log(result.name);
      for (const line of result.lines) console.log(`  ${line}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
