/** Runs `task(i)` for i in 0..count-1 with `concurrency` in flight; returns operations per second. */
export async function throughput(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) await task(i);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return count / seconds;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A value rounded for a report line. */
export function fmt(value: number, digits = 1): string {
  return value.toFixed(digits);
}

/** The p-th percentile (0..100) by nearest rank: a value that was actually measured. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

/** Seconds since `started` (a performance.now() reading), for "took" lines. */
export function secondsSince(started: number): number {
  return (performance.now() - started) / 1000;
}

/**
 * Records the storage requests Azurite serves between start() and stop(), each as
 * `table GET WeeklyStats(…)`; pass `observe` as startAzurite's `onRequest`.
 */
export function requestCounter(): { start(): void; stop(): string[]; observe: (service: string, method: string, url: string) => void } {
  let counting = false;
  let seen: string[] = [];
  return {
    start() {
      seen = [];
      counting = true;
    },
    stop() {
      counting = false;
      return seen;
    },
    observe(service, method, url) {
      if (!counting) return;
      // `/devstoreaccount1/WeeklyStats()?$filter=…` → `WeeklyStats()`; blob names shortened.
      const path = decodeURIComponent(url.split("?")[0] ?? "").split("/").slice(2).join("/");
      const what = service === "blob" ? path.replace(/\/v1\/.*$/, "/v1/{docId}.json") : path.replace(/\(.*\)$/, "(…)");
      seen.push(`${service} ${method} ${what}`);
    },
  };
}

/**
 * The median of `a[i] / b[i]`: the ratio of two paths timed back to back in rounds. A burst
 * of load from a neighbour lands on one round pair rather than on one path's median.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, i) => value / b[i]!));
}
