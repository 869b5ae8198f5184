/**
 * Where the query key lives: the tab's session storage, so it is entered once per tab,
 * gone when the tab closes, and never part of a URL (where it would reach history, logs
 * and Referer headers).
 */
const STORAGE_KEY = "configmgr-usage.queryKey";

export function readKey(): string | undefined {
  return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
