import { storageNames } from "../config";

/** The service endpoints of an Azure Storage account, in any cloud: `<account>.blob.core.windows.net`. */
const STORAGE_HOST = /\.(?:blob|table|queue|dfs|file)\.core\.[a-z0-9.-]+$/i;
const OWN_NAMES = new Set(Object.values(storageNames).map((name) => name.toLowerCase()));
// A table entity's URL quotes its keys (`(PartitionKey='…')`), so a quote does not end a URL here.
const URL_IN_TEXT = /\bhttps?:\/\/[^\s"<>`]+/gi;

/** `HierarchyWeeks(PartitionKey='…',RowKey='…')` names the table `HierarchyWeeks`. */
function resourceName(segment: string): string {
  const open = segment.indexOf("(");
  return open === -1 ? segment : segment.slice(0, open);
}

function isOwnName(segment: string): boolean {
  let name = resourceName(segment);
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape is no name of ours.
  }
  return OWN_NAMES.has(name.toLowerCase());
}

/**
 * The path of a storage request kept down to the container, table or queue it addresses, the
 * rest replaced by a placeholder: `/raw/*` for a blob, `/HierarchyWeeks(*)` for an entity
 * or a query. On an account's own host that is the first segment; on an emulator's
 * path-style URL (`/devstoreaccount1/raw/…`) the first segment that names one of ours.
 * Undefined for a path that is not a storage request's.
 */
export function redactStoragePath(path: string, onStorageHost = false): string | undefined {
  const segments = path.split("?")[0]!.split("/").slice(1);
  const index = onStorageHost ? 0 : segments.findIndex(isOwnName);
  const addressed = segments[index];
  if (addressed === undefined) return undefined;
  const name = resourceName(addressed);
  return `/${[...segments.slice(0, index), name].join("/")}${name === addressed ? "" : "(*)"}${segments.length > index + 1 ? "/*" : ""}`;
}

/** Whether `url` is a request to Azure Storage or to an emulator addressing one of our containers, tables or queues. */
export function isStorageUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return STORAGE_HOST.test(parsed.hostname) || redactStoragePath(parsed.pathname) !== undefined;
  } catch {
    return false;
  }
}

/**
 * Rewrites every storage URL in `text` to its template: no query (a table query's
 * `$filter=PartitionKey eq '<hierarchy key>'`), and nothing below the container, table or
 * queue (blob names carry docIds, entity paths hierarchy keys). Contract section 2: hierarchy
 * ids and docIds never reach telemetry as part of a storage URL or query. Other URLs are
 * left as they are.
 */
export function redactStorageUrls(text: string): string {
  return text.replace(URL_IN_TEXT, (url) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return url;
    }
    const path = redactStoragePath(parsed.pathname, STORAGE_HOST.test(parsed.hostname));
    return path === undefined ? url : `${parsed.origin}${path}`;
  });
}
