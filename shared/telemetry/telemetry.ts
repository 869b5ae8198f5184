import type { TokenCredential } from "@azure/identity";
import type { TelemetryClient } from "applicationinsights";
import { monitoringSettings } from "../config";
import type { QueueHealth } from "../monitoring/measureQueueHealth";
import { KeyRedactingLogRecordProcessor, KeyRedactingSpanProcessor } from "./keyRedactingProcessors";
import { StorageUrlRedactingSpanProcessor } from "./storageUrlRedactingProcessor";
import { toLoggedPath } from "./loggedPath";
import { allOutcomes, type Outcome, type OutcomeRecord } from "./outcomes";

/** Where a structured log line goes: the invocation's logger in a function, the console elsewhere. */
export type LogLine = (line: string) => void;

/**
 * Records outcomes: always as one structured JSON log line, and through Application Insights
 * (`UsageSubmission` custom events, with the outcome as a dimension) when a connection
 * string is configured.
 */
export class Telemetry {
  private readonly counts = new Map<Outcome, number>(allOutcomes.map((o) => [o, 0]));

  constructor(private readonly client: TelemetryClient | undefined) {}

  recordOutcome(given: OutcomeRecord, log: LogLine = console.log): void {
    // Error paths may name what the client invented: only what the schema declares is kept.
    const record = given.errorPaths === undefined ? given : { ...given, errorPaths: [...new Set(given.errorPaths.map(toLoggedPath))] };
    this.counts.set(record.outcome, (this.counts.get(record.outcome) ?? 0) + 1);
    log(JSON.stringify({ event: "submission", ...record }));
    if (this.client !== undefined) {
      const properties: Record<string, string> = {};
      for (const [key, value] of Object.entries(record)) {
        if (value !== undefined && key !== "durationMs") properties[key] = Array.isArray(value) ? value.join(",") : String(value);
      }
      this.client.trackEvent({ name: "UsageSubmission", properties, measurements: { durationMs: record.durationMs ?? 0 } });
    }
  }

  /**
   * Records a reading of the queues: one `{"event":"queueHealth",...}` log line, and each
   * figure as an Application Insights custom metric (named in `monitoringSettings`), which
   * the alert rules query.
   */
  recordQueueHealth(health: QueueHealth, log: LogLine = console.log): void {
    log(JSON.stringify({ event: "queueHealth", ...health }));
    for (const [field, name] of Object.entries(monitoringSettings.queueHealthMetrics)) {
      this.client?.trackMetric({ name, value: health[field as keyof QueueHealth] });
    }
  }

  /** Records how long a claim check waited from its insertion to the end of its aggregation. */
  recordAggregationLag(seconds: number): void {
    this.client?.trackMetric({ name: monitoringSettings.aggregationLagMetric, value: seconds });
  }

  /** Outcomes counted by this process since it started. */
  outcomeCounts(): Record<Outcome, number> {
    return Object.fromEntries(this.counts) as Record<Outcome, number>;
  }

  /**
   * Sends what is buffered now. The SDK exports metrics once a minute, each as that minute's
   * aggregate; an invocation that may be the instance's last before it is frozen (the
   * queueHealth timer) ends with this.
   */
  async flush(): Promise<void> {
    await this.client?.flush();
  }

  /** Flushes and stops the exporters, so that a process can exit promptly. */
  async shutdown(): Promise<void> {
    await this.client?.shutdown();
  }
}

/**
 * Builds the process's telemetry. The Application Insights SDK is loaded only when a
 * connection string is set: it is large and starts exporters on load. `credential` is for
 * a resource with local auth disabled (as infra/ deploys it), which refuses unsigned telemetry.
 */
export function createTelemetry(connectionString: string | undefined, credential?: TokenCredential): Telemetry {
  if (connectionString === undefined) return new Telemetry(undefined);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const appInsights = require("applicationinsights") as typeof import("applicationinsights");
  const setup = appInsights.setup(connectionString);
  if (credential !== undefined) appInsights.defaultClient.config.aadTokenCredential = credential;
  setup
    .setAutoCollectConsole(false)
    // The Functions host records every request itself; a worker's copy would be a second one,
    // with a URL that carries the caller's `?code=` key (the host calls the worker with it).
    .setAutoCollectRequests(false)
    // Live Metrics holds a connection open to a global endpoint; the outcome events and the
    // Functions host's own telemetry are what operators use here.
    .setSendLiveMetrics(false)
    // A function instance may be frozen or recycled at any time; an on-disk retry cache
    // only delays exit and is not read again by the next instance.
    .setUseDiskRetryCaching(false)
    // Whatever else records a URL or a message (an outgoing call, an exception), a key in it is
    // redacted; a storage call is recorded by its URL template, without hierarchy keys or docIds.
    .setAzureMonitorOptions({
      spanProcessors: [new KeyRedactingSpanProcessor(), new StorageUrlRedactingSpanProcessor()],
      logRecordProcessors: [new KeyRedactingLogRecordProcessor()],
    })
    .start();
  return new Telemetry(appInsights.defaultClient);
}
