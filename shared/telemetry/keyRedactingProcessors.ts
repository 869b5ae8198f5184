import type { AzureMonitorOpenTelemetryOptions } from "applicationinsights";
import { redactKeys } from "./redactKeys";

// The SDK's own processor types, taken from its options so that no OpenTelemetry package
// has to be a dependency of ours.
type SpanProcessor = NonNullable<AzureMonitorOpenTelemetryOptions["spanProcessors"]>[number];
type LogRecordProcessor = NonNullable<AzureMonitorOpenTelemetryOptions["logRecordProcessors"]>[number];
type EndedSpan = Parameters<SpanProcessor["onEnd"]>[0];
type EmittedLogRecord = Parameters<LogRecordProcessor["onEmit"]>[0];
type Attributes = EndedSpan["attributes"];
type LogBody = EmittedLogRecord["body"];

/** Strings redacted wherever they sit: the SDK's own records carry an object body (`{message, …}`). */
function redactValue(value: LogBody): LogBody {
  if (typeof value === "string") return redactKeys(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactValue(item)]));
  }
  return value;
}

function redactAttributes(attributes: Attributes): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === "string") attributes[key] = redactKeys(value);
    else if (Array.isArray(value)) attributes[key] = value.map((item: unknown) => (typeof item === "string" ? redactKeys(item) : item)) as typeof value;
  }
}

/**
 * Redacts `code=` in every string attribute of a span (`url.full`, `url.query`, `http.url`…)
 * and of its events (an exception's message), whatever recorded it: no URL the SDK exports
 * carries a function key. It runs in `onEnd`, after the instrumentation has set everything
 * and before the exporter's batch processor (registered after it) sees the span.
 */
export class KeyRedactingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnd(span: EndedSpan): void {
    redactAttributes(span.attributes);
    for (const event of span.events) if (event.attributes !== undefined) redactAttributes(event.attributes);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Redacts `code=` in log records (traces, exceptions, custom events) as they are emitted,
 * before the exporter's batch processor (registered after it) takes them.
 */
export class KeyRedactingLogRecordProcessor implements LogRecordProcessor {
  onEmit(record: EmittedLogRecord): void {
    if (record.body !== undefined) record.setBody(redactValue(record.body));
    for (const [key, value] of Object.entries(record.attributes)) record.setAttribute(key, redactValue(value));
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
