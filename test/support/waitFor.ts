import { setTimeout as pause } from "node:timers/promises";

/**
 * Polls `probe` until it gives something other than `undefined` or `false`, and returns
 * that; throws naming `what` once `timeoutMs` has passed. Storage and child hosts settle
 * in their own time, so tests wait for a state rather than sleep a fixed while.
 */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(50);
  }
}
