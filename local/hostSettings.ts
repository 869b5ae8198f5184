import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * The parts of host.json the local runtime honours, so that it behaves like the Functions
 * host.
 */
export interface HostSettings {
  routePrefix: string;
  queues: {
    batchSize: number;
    newBatchThreshold: number;
    maxDequeueCount: number;
    visibilityTimeoutMs: number;
    maxPollingIntervalMs: number;
  };
}

/** The project folder: the nearest folder above `from` that holds package.json. */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Parses a .NET TimeSpan as host.json writes it (`hh:mm:ss` with optional fraction). */
export function parseTimeSpan(text: string): number {
  const match = /^(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(text);
  if (match === null) throw new Error(`not a TimeSpan: ${text}`);
  const [, h, m, s, fraction = "0"] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000 + Math.round(Number(`0.${fraction}`) * 1000);
}

interface HostJson {
  extensions?: {
    http?: { routePrefix?: string };
    queues?: {
      batchSize?: number;
      newBatchThreshold?: number;
      maxDequeueCount?: number;
      visibilityTimeout?: string;
      maxPollingInterval?: string;
    };
  };
}

/** Reads host.json, with the host's own defaults where it says nothing. */
export function readHostSettings(root: string = projectRoot()): HostSettings {
  const host = JSON.parse(readFileSync(join(root, "host.json"), "utf8")) as HostJson;
  const queues = host.extensions?.queues ?? {};
  const batchSize = queues.batchSize ?? 16;
  return {
    routePrefix: host.extensions?.http?.routePrefix ?? "api",
    queues: {
      batchSize,
      // The host's default is batchSize / 2 per core; the local runtime counts as one core.
      newBatchThreshold: queues.newBatchThreshold ?? Math.floor(batchSize / 2),
      maxDequeueCount: queues.maxDequeueCount ?? 5,
      visibilityTimeoutMs: parseTimeSpan(queues.visibilityTimeout ?? "00:00:00"),
      maxPollingIntervalMs: parseTimeSpan(queues.maxPollingInterval ?? "00:01:00"),
    },
  };
}
