import { limits } from "../shared/config";
import { heapLimitFlag } from "../shared/heapLimit";

const MiB = 1024 * 1024;
const oldSpaceFlag = /(^|\s)--max[-_]old[-_]space[-_]size=\d+/;

/**
 * The start-up line that says which V8 heap limit this process runs with, and, when nothing
 * gave one (on the command line or in NODE_OPTIONS), that `npm start` would: run as
 * `node dist/local/start.js`, the heap may grow well past the memory budget before it is
 * collected. Any `--max-old-space-size` counts as given, so that a limit chosen on purpose is
 * not questioned.
 */
export function describeHeapLimit(execArgv: readonly string[], nodeOptions: string | undefined, heapSizeLimitBytes: number): string {
  const limit = `V8 heap limit ${Math.round(heapSizeLimitBytes / MiB)} MiB`;
  const given = execArgv.find((arg) => oldSpaceFlag.test(arg)) ?? (nodeOptions !== undefined && oldSpaceFlag.test(nodeOptions) ? "NODE_OPTIONS" : undefined);
  if (given !== undefined) return `${limit} (${given})`;
  return (
    `${limit}, V8's default: nothing gave ${heapLimitFlag} (npm start does), so the heap may grow well past ` +
    `the ${limits.maxInFlightBytes / MiB} MiB memory budget before it is collected`
  );
}
