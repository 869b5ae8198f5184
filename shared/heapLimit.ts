import { limits } from "./config";

const MiB = 1024 * 1024;

/**
 * V8's old-space limit for a process that runs this code, in MiB: the memory budget
 * (`limits.maxInFlightBytes`) plus 128 MiB for what the budget does not count (the idle
 * heap, compiled validators, each request's own small objects) and room for the collector
 * to work with the budget full.
 *
 * Why a limit at all: the budget counts reservations, not the heap. With V8's default limit,
 * sized from the machine's memory rather than from the budget, the heap grows to several times what
 * is alive before a full collection, so 8 + 8 concurrent full-week reads, the budget never
 * past 512 MiB, peaked at 1,230 MiB RSS; with this limit, 736 MiB (docs/performance.md,
 * "Memory as deployed"). Lower limits save little (512 gave 699 MiB: garbage fills the heap to
 * whatever the limit is), and lower than the budget plus the idle heap, a full budget would be
 * a crash ("heap out of memory") instead of 503s.
 *
 * Given at process start, since V8 sizes its heap then: in Azure by the
 * `languageWorkers__node__arguments` app setting (infra/modules/functionApp.bicep), locally by
 * `npm start` (package.json); test/infra/heapLimit.test.ts holds both to this constant.
 */
export const heapLimitMib = limits.maxInFlightBytes / MiB + 128;

/** The Node command-line flag that sets `heapLimitMib`. */
export const heapLimitFlag = `--max-old-space-size=${heapLimitMib}`;

