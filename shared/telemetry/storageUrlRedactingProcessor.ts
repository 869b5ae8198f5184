import type { AzureMonitorOpenTelemetryOptions } from "applicationinsights";
import { isStorageUrl, redactStoragePath, redactStorageUrls } from "./redactStorageUrls";

// The SDK's own processor type, taken from its options so that no OpenTelemetry package has
// to be a dependency of ours (as in keyRedactingProcessors.ts).
type SpanProcessor = NonNullable<AzureMonitorOpenTelemetryOptions["spanProcessors"]>[number];
type EndedSpan = Parameters<SpanProcessor["onEnd"]>[0];
type Attributes = EndedSpan["attributes"];

/** Attributes that hold a full URL, in the old and the new HTTP semantic conventions. */
const URL_ATTRIBUTES = ["url.full", "http.url"];
/** Attributes that hold a path (and perhaps its query) without the rest of the URL. */
const PATH_ATTRIBUTES = ["url.path", "http.target"];

function redactStrings(attributes: Attributes): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === "string") attributes[key] = redactStorageUrls(value);
    else if (Array.isArray(value)) attributes[key] = value.map((item: unknown) => (typeof item === "string" ? redactStorageUrls(item) : item)) as typeof value;
  }
}

/**
 * Makes storage dependency spans carry URL templates (`GET /devstoreaccount1/HierarchyWeeks(*)`)
 * instead of the URLs called: the Azure SDK records entity paths (hierarchy keys), blob names
 * (docIds) and table queries, and Application Insights names each dependency by its URL. Every
 * storage URL in any string attribute or event is rewritten; a storage span's path attributes
 * too, and its query is dropped. Registered before the exporter, like KeyRedactingSpanProcessor.
 */
export class StorageUrlRedactingSpanProcessor implements SpanProcessor {
  onStart(): void {}

  onEnd(span: EndedSpan): void {
    const { attributes } = span;
    const isStorage = URL_ATTRIBUTES.some((key) => {
      const value = attributes[key];
      return typeof value === "string" && isStorageUrl(value);
    });
    redactStrings(attributes);
    for (const event of span.events) if (event.attributes !== undefined) redactStrings(event.attributes);
    if (!isStorage) return;
    delete attributes["url.query"];
    for (const key of PATH_ATTRIBUTES) {
      const value = attributes[key];
      if (typeof value === "string") attributes[key] = redactStoragePath(value) ?? redactStoragePath(value, true) ?? "/";
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
