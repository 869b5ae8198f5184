/**
 * What `npm run simulate` and `npm run load` do once their settings are known: run the
 * fleet, print its figures and, with --verify, the verification's; the exit code says
 * whether everything the service confirmed is counted exactly once.
 */
import { confirmedDocuments, runSimulation, type SimulationRun } from "./runSimulation";
import type { SimulatorSettings } from "./simulatorArgs";
import { formatFigures, formatVerification, runFigures, type RunFigures } from "./summarizeRun";
import { verifyStats, type VerifyReport } from "./verifyStats";

export interface SimulateResult {
  run: SimulationRun;
  figures: RunFigures;
  verification: VerifyReport | undefined;
  /** 0 when every send was answered and, with --verify, nothing differs. */
  exitCode: number;
}

export async function simulateCommand(settings: SimulatorSettings, print: (line: string) => void): Promise<SimulateResult> {
  const weeks = settings.weeks;
  print(`Simulating ${settings.hierarchies} hierarchies over ${weeks.length} weeks (${weeks[0]} to ${weeks[weeks.length - 1]}), seed ${settings.seed}, against ${settings.url}`);
  const run = await runSimulation({
    seed: settings.seed,
    hierarchies: settings.hierarchies,
    weeks,
    offlineShare: settings.offlineShare,
    duplicateShare: settings.duplicateShare,
    concurrency: settings.concurrency,
    progress: settings.progress,
    client: { url: settings.url, ingestKey: settings.ingestKey },
  });
  const figures = runFigures(run);
  for (const line of formatFigures(figures)) print(line);
  const unanswered = figures.outcomes.failed + figures.outcomes.rate_limited + figures.outcomes.conflict + figures.outcomes.invalid;
  let verification: VerifyReport | undefined;
  if (settings.verify) {
    verification = await verifyStats(confirmedDocuments(run), {
      url: settings.url,
      queryKey: settings.queryKey,
      waitMs: settings.waitMs,
      onWait: (behind) => print(`waiting for aggregation: ${behind} weeks not caught up yet`),
    });
    for (const line of formatVerification(verification)) print(line);
  }
  const exitCode = unanswered > 0 || (verification !== undefined && verification.differences.length > 0) ? 1 : 0;
  return { run, figures, verification, exitCode };
}
