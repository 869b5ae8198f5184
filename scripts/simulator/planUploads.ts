/**
 * The order a fleet's documents reach the service, week by week as SCPs upload them:
 * online hierarchies send each document on its own in the week it was collected; offline
 * ones carry several weeks and upload them at once through the batch route, out of order
 * and sometimes together with other offline hierarchies. Some documents are sent again
 * (an SCP that never saw its answer, a folder uploaded twice) under the same docId.
 */
import type { UsageDocument } from "../../shared/validation/usageDocument";
import type { FleetHierarchy } from "./generateFleet";
import { seededRandom } from "./seededRandom";

export type Upload = { kind: "single"; document: UsageDocument; resend: boolean } | { kind: "batch"; documents: UsageDocument[]; resend: boolean };

export interface PlanOptions {
  seed: string | number;
  /** Share of documents sent a second time (0..1). */
  duplicateShare: number;
}

// The contract's limit is 500 lines; offline uploads of a few hierarchies stay well under it.
const MAX_BATCH_LINES = 500;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every upload of the fleet, in the order they are sent. */
export function planUploads(fleet: readonly FleetHierarchy[], options: PlanOptions): Upload[] {
  const random = seededRandom(options.seed, "upload plan");
  const weeksOf = (h: FleetHierarchy) => [...new Set(h.documents.map((d) => d.week))];
  const weekCount = Math.max(0, ...fleet.map((h) => weeksOf(h).length));
  const steps: Upload[][] = Array.from({ length: weekCount }, () => []);
  const offlineResends: UsageDocument[][] = Array.from({ length: weekCount }, () => []);
  const laterStep = (step: number) => Math.min(steps.length - 1, step + random.int(0, 3));

  for (const hierarchy of fleet) {
    const weeks = weeksOf(hierarchy);
    if (hierarchy.connectionMode === "online") {
      for (const { week, document } of hierarchy.documents) {
        const step = weeks.indexOf(week);
        steps[step]!.push({ kind: "single", document, resend: false });
        if (random.chance(options.duplicateShare)) steps[laterStep(step)]!.push({ kind: "single", document, resend: true });
      }
      continue;
    }
    // An offline site carries its data across every few weeks; the last trip takes what is left.
    const every = random.int(2, 6);
    let carried: UsageDocument[] = [];
    weeks.forEach((week, step) => {
      carried.push(...hierarchy.documents.filter((d) => d.week === week).map((d) => d.document));
      if ((step + 1) % every !== 0 && step !== weeks.length - 1) return;
      const trip = random.shuffle(carried);
      steps[step]!.push({ kind: "batch", documents: trip, resend: false });
      for (const document of trip) if (random.chance(options.duplicateShare)) offlineResends[laterStep(step)]!.push(document);
      carried = [];
    });
  }
  return steps.flatMap((uploads, step) => {
    const resends = chunks(random.shuffle(offlineResends[step]!), MAX_BATCH_LINES).map((documents): Upload => ({ kind: "batch", documents, resend: true }));
    return random.shuffle([...mergeBatches(random, uploads), ...resends]);
  });
}

/** Offline trips of the same week go up together in twos and threes, as one upload from the connected machine would. */
function mergeBatches(random: ReturnType<typeof seededRandom>, uploads: readonly Upload[]): Upload[] {
  const out: Upload[] = [];
  let open: UsageDocument[] | undefined;
  for (const upload of uploads) {
    if (upload.kind === "single") {
      out.push(upload);
      continue;
    }
    if (open !== undefined && open.length + upload.documents.length <= MAX_BATCH_LINES && random.chance(0.5)) {
      open.push(...upload.documents);
      continue;
    }
    open = [...upload.documents];
    out.push({ kind: "batch", documents: open, resend: false });
  }
  return out;
}

/** Documents an upload carries. */
export function documentsOf(upload: Upload): UsageDocument[] {
  return upload.kind === "single" ? [upload.document] : upload.documents;
}
