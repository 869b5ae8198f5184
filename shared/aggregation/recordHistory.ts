import { ContentionError } from "../errors";
import type { HistoryStore } from "./historyStore";
import type { HierarchyWeek } from "./weekSnapshot";
import { compareSnapshots } from "./compareSnapshots";

// Writers race only when two documents of one hierarchy and week are aggregated at once.
const MAX_ATTEMPTS = 10;

/**
 * Makes a hierarchy's history row for the week the later, in snapshot order, of itself and
 * `next`. A row only ever moves forward, so writers in any order and any number of times
 * converge on the week's snapshot. One write when the week is new to the hierarchy;
 * `hadSnapshot` (aggregation saw the week's snapshot already, so the row almost surely
 * exists) starts with the read instead, saving the create that would only fail.
 *
 * @throws ContentionError when other writers changed the row between every read and write.
 */
export async function recordHistory(store: HistoryStore, next: HierarchyWeek, hadSnapshot = false): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if ((attempt > 0 || !hadSnapshot) && (await store.create(next)) === "created") return;
    const current = await store.read(next.hierarchyKey, next.week);
    if (current === undefined) continue; // removed meanwhile (a rebuild): create again
    if (compareSnapshots(current.row, next) >= 0) return;
    if ((await store.replace(next, current.etag)) === "replaced") return;
  }
  throw new ContentionError(`could not record week ${next.week} of a hierarchy after ${MAX_ATTEMPTS} attempts`);
}
