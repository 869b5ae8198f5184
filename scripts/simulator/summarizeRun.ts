/**
 * The figures of a run: outcomes by kind, latency percentiles by route, throughput; and the
 * verification's verdict. Plain text, so it reads the same in a terminal and in a log.
 */
import { documentOutcomes, type AttemptRecord, type DocumentOutcome } from "./uploadClient";
import type { SimulationRun } from "./runSimulation";
import type { VerifyReport } from "./verifyStats";

export interface LatencyFigures {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  /** The longest request (the load run's goal: none over 5 s). */
  max: number;
}

export interface RunFigures {
  documents: number;
  /** Documents sent, resends included. */
  sends: number;
  outcomes: Record<DocumentOutcome, number>;
  /** Requests that came back with something to retry: by status, 0 for timeouts and connection errors. */
  retried: Record<string, number>;
  latencyMs: Record<AttemptRecord["route"], LatencyFigures | undefined>;
  seconds: number;
  /** Sends (resends included) per second of wall time. */
  sendsPerSecond: number;
  requestsPerSecond: number;
}

/** Nearest-rank percentile of ascending numbers. */
function percentile(ascending: readonly number[], percent: number): number {
  return ascending[Math.max(1, Math.ceil((percent * ascending.length) / 100)) - 1] ?? 0;
}

function latencyOf(attempts: readonly AttemptRecord[], route: AttemptRecord["route"]): LatencyFigures | undefined {
  const ms = attempts.filter((a) => a.route === route).map((a) => a.ms).sort((a, b) => a - b);
  if (ms.length === 0) return undefined;
  return { requests: ms.length, p50: percentile(ms, 50), p95: percentile(ms, 95), p99: percentile(ms, 99), max: ms[ms.length - 1]! };
}

export function runFigures(run: SimulationRun): RunFigures {
  const outcomes = Object.fromEntries(documentOutcomes.map((o) => [o, 0])) as Record<DocumentOutcome, number>;
  let sends = 0;
  for (const d of run.documents.values()) {
    for (const o of d.outcomes) outcomes[o] += 1;
    sends += d.outcomes.length;
  }
  const retried: Record<string, number> = {};
  for (const a of run.attempts) if (a.status === 0 || a.status === 429 || a.status >= 500) retried[String(a.status)] = (retried[String(a.status)] ?? 0) + 1;
  return {
    documents: run.documents.size,
    sends,
    outcomes,
    retried,
    latencyMs: { submit: latencyOf(run.attempts, "submit"), batch: latencyOf(run.attempts, "batch") },
    seconds: run.seconds,
    sendsPerSecond: run.seconds > 0 ? sends / run.seconds : 0,
    requestsPerSecond: run.seconds > 0 ? run.attempts.length / run.seconds : 0,
  };
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The run's figures as lines of text. */
export function formatFigures(figures: RunFigures): string[] {
  const lines = [
    `${figures.documents} documents, ${figures.sends} sends in ${figures.seconds.toFixed(1)} s: ${figures.sendsPerSecond.toFixed(1)} documents/s (resends included), ${figures.requestsPerSecond.toFixed(1)} requests/s`,
    `outcomes: ${documentOutcomes.map((o) => `${o} ${figures.outcomes[o]}`).join(", ")}`,
    `retried: ${Object.keys(figures.retried).length === 0 ? "none" : Object.entries(figures.retried).map(([s, n]) => `${s === "0" ? "timeout/connection" : s} ${n}`).join(", ")}`,
  ];
  for (const [route, l] of Object.entries(figures.latencyMs)) {
    if (l !== undefined) lines.push(`latency ${route} (${l.requests} requests): p50 ${ms(l.p50)}, p95 ${ms(l.p95)}, p99 ${ms(l.p99)}, max ${ms(l.max)}`);
  }
  return lines;
}

/** The verification's verdict and its first differences. */
export function formatVerification(report: VerifyReport, shown = 20): string[] {
  const lines = [
    `verify: ${report.weeks} weeks, ${report.hierarchies} hierarchies, ${report.checks} figures compared after ${report.waitedSeconds.toFixed(1)} s of waiting for aggregation`,
    `lost: ${report.lost} snapshots; double counted: ${report.doubleCounted.hierarchies} hierarchies, ${report.doubleCounted.clients} clients; differences: ${report.differences.length}`,
  ];
  for (const d of report.differences.slice(0, shown)) lines.push(`  ${d.where}: expected ${JSON.stringify(d.expected)}, got ${JSON.stringify(d.actual)}`);
  if (report.differences.length > shown) lines.push(`  … and ${report.differences.length - shown} more`);
  return lines;
}
