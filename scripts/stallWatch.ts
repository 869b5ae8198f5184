/**
 * Watches, during a load run, whether the runtime's event loop and Azurite each keep
 * answering: every `intervalMs` one request that costs the runtime no storage (an unknown
 * route) and one that costs Azurite almost nothing (the blob service's properties). A stall
 * of every upload at once shows up here as one of the two going quiet, which says whose it
 * was.
 */
import type { BlobServiceClient } from "@azure/storage-blob";

export interface StallProbe {
  name: string;
  /** Resolves when the process answered (any status). */
  ping(signal: AbortSignal): Promise<void>;
}

export interface Stall {
  probe: string;
  /** When the slow probe was sent, and how long its answer took (or until it was given up). */
  at: Date;
  ms: number;
}

export interface StallReport {
  /** Per probe: the longest answer, in milliseconds. */
  longest: Map<string, number>;
  /** Probes slower than the threshold, oldest first. */
  stalls: Stall[];
}

/** The runtime's event loop alone: a route nobody serves is answered without storage. */
export function runtimeProbe(url: string): StallProbe {
  return {
    name: "runtime",
    async ping(signal) {
      const response = await fetch(`${url}/api/stall-watch`, { signal });
      await response.arrayBuffer();
    },
  };
}

/** Azurite's event loop: a request it answers from memory. */
export function azuriteProbe(blobs: BlobServiceClient): StallProbe {
  return {
    name: "azurite",
    async ping(signal) {
      await blobs.getProperties({ abortSignal: signal });
    },
  };
}

/**
 * Starts probing; `stop()` ends it and returns what it saw. One probe of each kind in flight
 * at a time, so a stalled process is not buried under probes: a probe that has not come back
 * is measured when it does (or at `giveUpMs`).
 */
export function watchStalls(probes: readonly StallProbe[], options: { intervalMs?: number; thresholdMs?: number; giveUpMs?: number } = {}): { stop(): Promise<StallReport> } {
  const intervalMs = options.intervalMs ?? 500;
  const thresholdMs = options.thresholdMs ?? 2_000;
  const giveUpMs = options.giveUpMs ?? 120_000;
  const report: StallReport = { longest: new Map(probes.map((p) => [p.name, 0])), stalls: [] };
  let stopped = false;
  const loops = probes.map(async (probe) => {
    while (!stopped) {
      const at = new Date();
      const started = performance.now();
      try {
        await probe.ping(AbortSignal.timeout(giveUpMs));
      } catch {
        // A refused or aborted probe still measures how long the process kept it waiting.
      }
      const ms = performance.now() - started;
      report.longest.set(probe.name, Math.max(report.longest.get(probe.name) ?? 0, ms));
      if (ms > thresholdMs) report.stalls.push({ probe: probe.name, at, ms });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - ms)));
    }
  });
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      report.stalls.sort((a, b) => a.at.getTime() - b.at.getTime());
      return report;
    },
  };
}
