/**
 * A week's rebuild lock: while it stands and has not expired, live aggregation defers the
 * week's messages. The rule of when a lock stops holding is the domain's; storage keeps the
 * row and its ETag.
 */
import { rebuildLockSettings } from "../config";

/** The `rebuild-lock` row of a week that a rebuild holds (or held, if it has expired). */
export interface RebuildLock {
  /** Who took it: one rebuild run (`reaggregate@<host>#<random>`), for an operator who finds it. */
  holder: string;
  /** When it was taken (ISO 8601). */
  since: string;
  /** Until when it holds unless renewed (ISO 8601); absent on locks written before locks expired. */
  expiresAt: string | undefined;
}

/** What aggregation saw of a week's rebuild lock. */
export interface LockSighting {
  /** Who took it. */
  holder: string;
  /** Whole seconds since it was taken. */
  ageSeconds: number;
  /** Not renewed in time (its rebuild died or stalled): the week counts as if it had no lock. */
  expired: boolean;
}

/**
 * When a rebuild lock expires (epoch ms; NaN when its times do not parse). A lock without
 * `expiresAt` (written before locks expired) holds for one lease from when it was taken, so
 * that leftovers of old rebuilds expire too.
 */
export function lockExpiresAt(lock: RebuildLock): number {
  return lock.expiresAt === undefined ? Date.parse(lock.since) + rebuildLockSettings.leaseSeconds * 1000 : Date.parse(lock.expiresAt);
}

/** A rebuild lock as it stands at `now` (epoch ms): its age, and whether it has expired. */
export function sightLock(lock: RebuildLock, now: number): LockSighting {
  const since = Date.parse(lock.since);
  const expiresAt = lockExpiresAt(lock);
  const ageSeconds = Number.isFinite(since) ? Math.max(0, Math.floor((now - since) / 1000)) : 0;
  // A lock whose times do not parse is expired: it must not hold a week forever either.
  return { holder: lock.holder, ageSeconds, expired: !(now < expiresAt) };
}
