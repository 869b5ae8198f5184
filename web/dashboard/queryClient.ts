/** The page's one way to call the query API: the key in the `x-functions-key` header, never in the URL. */

/** The API answered 401: the key is missing or wrong. */
export class KeyRefusedError extends Error {
  constructor() {
    super("the query key was refused");
    this.name = "KeyRefusedError";
  }
}

/** Any other answer than 200, with the problem's title when the API sent one. */
export class QueryFailedError extends Error {
  constructor(path: string, status: number, title: string | undefined) {
    super(`${path} answered ${status}${title === undefined ? "" : `: ${title}`}`);
    this.name = "QueryFailedError";
  }
}

export type QueryParameters = Record<string, string | undefined>;

/** A path below /api/v1/ with its parameters; an undefined one is left out, so the server's default applies. */
export function queryPath(path: string, parameters: QueryParameters = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) search.set(name, value);
  const text = search.toString();
  return `/api/v1/${path}${text === "" ? "" : `?${text}`}`;
}

/** GETs `path` (from queryPath) as JSON with `key`. */
export async function getJson<T>(key: string, path: string): Promise<T> {
  const response = await fetch(path, { headers: { "x-functions-key": key, accept: "application/json" }, credentials: "omit", cache: "no-store" });
  if (response.status === 401) throw new KeyRefusedError();
  if (!response.ok) {
    const problem = (await response.json().catch(() => undefined)) as { title?: string } | undefined;
    throw new QueryFailedError(path.split("?")[0] ?? path, response.status, problem?.title);
  }
  return (await response.json()) as T;
}
