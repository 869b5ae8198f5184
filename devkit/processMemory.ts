/**
 * A child process's resident memory as Linux reports it, for the memory tests and bench (h).
 */
import { readFileSync, writeFileSync } from "node:fs";

/** The process's current (VmRSS) or peak (VmHWM) resident memory in bytes, from /proc. */
export function residentBytes(pid: number, field: "VmRSS" | "VmHWM"): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (match === null) throw new Error(`/proc/${pid}/status has no ${field}`);
  return Number(match[1]) * 1024;
}

/** Resets the process's peak RSS (VmHWM) to its current RSS; false where Linux does not allow it. */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}
