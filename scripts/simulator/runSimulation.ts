/**
 * One simulator run: generate the fleet, plan its uploads, send them with `concurrency` in
 * flight, and keep what the service answered for every document.
 */
import { SingleBar, Presets } from "cli-progress";
import type { IsoWeek } from "../../shared/isoWeek";
import type { UsageDocument } from "../../shared/validation/usageDocument";
import { generateFleet, type FleetDocument, type FleetHierarchy, type FleetOptions } from "./generateFleet";
import { documentsOf, planUploads, type PlanOptions, type Upload } from "./planUploads";
import { isConfirmed, UploadClient, type AttemptRecord, type DocumentOutcome, type UploadClientOptions } from "./uploadClient";

export interface SimulationOptions extends FleetOptions, PlanOptions {
  /** Uploads in flight at once. */
  concurrency: number;
  client: Omit<UploadClientOptions, "onAttempt">;
  /** Draw a progress bar (only ever on a terminal). */
  progress?: boolean;
}

/** A document and every outcome its sends had, in the order they came back. */
export interface SentDocument {
  week: IsoWeek;
  document: UsageDocument;
  outcomes: DocumentOutcome[];
}

export interface SimulationRun {
  fleet: FleetHierarchy[];
  uploads: Upload[];
  /** By docId. */
  documents: Map<string, SentDocument>;
  attempts: AttemptRecord[];
  /** Wall time of the sending, in seconds. */
  seconds: number;
}

/** Sends the fleet and waits for every answer. */
export async function runSimulation(options: SimulationOptions): Promise<SimulationRun> {
  const fleet = generateFleet(options);
  const uploads = planUploads(fleet, options);
  const documents = new Map<string, SentDocument>();
  for (const h of fleet) for (const d of h.documents) documents.set(d.document.docId, { week: d.week, document: d.document, outcomes: [] });
  const attempts: AttemptRecord[] = [];
  const client = new UploadClient({ ...options.client, onAttempt: (a) => attempts.push(a) });
  const total = uploads.reduce((sum, u) => sum + documentsOf(u).length, 0);
  const bar = options.progress === true && process.stdout.isTTY ? new SingleBar({ format: "{bar} {percentage}% | {value}/{total} documents | {eta_formatted} left", stream: process.stdout }, Presets.shades_classic) : undefined;
  bar?.start(total, 0);

  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < uploads.length; i = next++) {
      const upload = uploads[i]!;
      const results = upload.kind === "single" ? [await client.sendDocument(upload.document)] : await client.sendBatch(upload.documents);
      for (const r of results) documents.get(r.docId)!.outcomes.push(r.outcome);
      bar?.increment(results.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  const seconds = (performance.now() - started) / 1000;
  bar?.stop();
  return { fleet, uploads, documents, attempts, seconds };
}

/** The documents the service answered 2xx for at least once: what it promised to count. */
export function confirmedDocuments(run: Pick<SimulationRun, "documents">): FleetDocument[] {
  return [...run.documents.values()].filter((d) => d.outcomes.some(isConfirmed)).map(({ week, document }) => ({ week, document }));
}
