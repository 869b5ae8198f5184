/**
 * What validation costs next to the JSON.parse every request pays anyway.
 *
 * For a typical document (~3 KB) and the largest one the schema allows (~300 KB), of usage
 * version 1 and of version 2, times side by side in one run:
 * - `JSON.parse(text)` alone, and
 * - `JSON.parse(text)` + consent + schema + semantic rules (`validateUsageV1`, `validateUsageV2`),
 * and reports median microseconds per operation and their ratio (target: <= 1.5x; issue 18
 * asks <= 1.3x of version 2, which each v2 line shows as well).
 *
 * Each iteration parses afresh, as a request does: validating one parsed object over and
 * over would flatter the validator (V8 caches a reused object's key enumeration).
 * The two are timed in alternating batches, so that GC pauses and a busy neighbour hit
 * both alike, and the median of the batches is reported. Not a test: `bench/run.ts`
 * calls it and prints the lines.
 */
import { validateUsageV1 } from "../shared/validation/validateUsageV1";
import { validateUsageV2 } from "../shared/validation/validateUsageV2";
import type { ValidationResult } from "../shared/validation/validationResult";
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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs `operation` `iterations` times and returns the mean microseconds per run. */
function timeBatch(operation: () => void, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let index = 0; index < iterations; index += 1) operation();
  return Number(process.hrtime.bigint() - start) / iterations / 1000;
}

function measure(label: string, text: string, validate: Validate, options: Required<ValidationBenchOptions>): ValidationBenchCase {
  const { docId, schemaVersion } = JSON.parse(text) as { docId: string; schemaVersion: number };
  const expected = { docId, docVersion: schemaVersion };
  // A sink the optimiser cannot see through, so neither loop is optimised away.
  let sink = 0;
  const parseOnly = (): void => {
    sink += (JSON.parse(text) as { schemaVersion: number }).schemaVersion;
  };
  const parseAndValidate = (): void => {
    const result = validate(JSON.parse(text), expected, testNow);
    if (!result.ok) throw new Error(`benchmark document is invalid: ${JSON.stringify(result.errors)}`);
    sink += result.document.schemaVersion;
  };

  // Warm up both paths until V8 has optimised them, then size batches to `batchMillis`.
  const warmUpUntil = Date.now() + 300;
  while (Date.now() < warmUpUntil) {
    parseOnly();
    parseAndValidate();
  }
  const iterations = Math.max(1, Math.round((options.batchMillis * 1000) / timeBatch(parseAndValidate, 20)));

  const parseTimes: number[] = [];
  const validateTimes: number[] = [];
  for (let batch = 0; batch < options.batches; batch += 1) {
    // Alternate which goes first, so neither always follows the other's garbage.
    if (batch % 2 === 0) {
      parseTimes.push(timeBatch(parseOnly, iterations));
      validateTimes.push(timeBatch(parseAndValidate, iterations));
    } else {
      validateTimes.push(timeBatch(parseAndValidate, iterations));
      parseTimes.push(timeBatch(parseOnly, iterations));
    }
  }
  if (sink === 0) throw new Error("unreachable: every document has a schemaVersion of 1 or more");

  const parseMicros = median(parseTimes);
  const parseAndValidateMicros = median(validateTimes);
  return { document: label, bytes: Buffer.byteLength(text), parseMicros, parseAndValidateMicros, ratio: parseAndValidateMicros / parseMicros };
}

function describe(benchCase: ValidationBenchCase): string {
  const size = benchCase.bytes >= 10_240 ? `${(benchCase.bytes / 1024).toFixed(0)} KiB` : `${(benchCase.bytes / 1024).toFixed(1)} KiB`;
  const verdict = benchCase.ratio <= targetRatio ? "ok" : "ABOVE TARGET";
  return (
    `${benchCase.document} (${size}): JSON.parse ${benchCase.parseMicros.toFixed(1)} µs, ` +
    `parse+consent+schema+semantic ${benchCase.parseAndValidateMicros.toFixed(1)} µs, ` +
    `ratio ${benchCase.ratio.toFixed(2)}x (target <= ${targetRatio}x: ${verdict}` +
    (benchCase.document.startsWith("v2 ") ? `; v2 goal <= ${version2GoalRatio}x: ${benchCase.ratio <= version2GoalRatio ? "ok" : "ABOVE GOAL"})` : ")")
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
  for (const [label, document, validate] of [
    ["typical document", makeUsageDocument({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" }), validateUsageV1],
    ["largest document", makeLargestUsageDocument(), validateUsageV1],
    ["v2 typical document", makeUsageV2Document({ docId: "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5c" }), validateUsageV2],
    ["v2 largest document", makeLargestUsageV2Document(), validateUsageV2],
  ] as const) {
    cases.push(measure(label, JSON.stringify(document), validate, settings));
    // Let timers and I/O run between cases; the caller may be printing progress.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { name: "usage v1 and v2 validation vs JSON.parse", lines: cases.map(describe), cases };
}

if (require.main === module) {
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
