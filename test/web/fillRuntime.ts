/**
 * Fills a running local runtime with a small fleet for the dashboard test, over HTTP as
 * SCPs send it, and waits until aggregation has taken all of it in. The one place that
 * decides what the dashboard is tested against: the fleet simulator (issue 10) can take
 * its place here without the test changing.
 */
import { limits } from "../../shared/config";
import { isoWeekOf, weeksBetween, type IsoWeek } from "../../shared/isoWeek";
import { fleetDocument, seededRandom } from "../../bench/fleet";
import { randomBase64Sha256 } from "../support/usageDocuments";

export interface RuntimeKeys {
  ingest: string;
  query: string;
}

export interface FillRuntimeOptions {
  hierarchies?: number;
  weeks?: number;
  seed?: number;
  /** How long aggregation may take before the fill gives up. */
  timeoutMs?: number;
}

/** What was sent: the weeks, oldest first, and how many hierarchies each holds. */
export interface FilledFleet {
  weeks: IsoWeek[];
  hierarchies: number;
}

const DAY_MS = 86_400_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `hierarchies` hierarchies' documents for each of the `weeks` whole weeks before the
 * current one (so no collectedAt is in the future) through POST /api/v1/batch, then polls
 * GET /api/v1/stats/trend until every week counts all of them. Full-level documents get a
 * spread of compliance figures, so that their histogram has a shape.
 */
export async function fillRuntime(url: string, keys: RuntimeKeys, options: FillRuntimeOptions = {}): Promise<FilledFleet> {
  const { hierarchies = 40, weeks: weekCount = 6, seed = 11, timeoutMs = 120_000 } = options;
  const random = seededRandom(seed);
  const last = isoWeekOf(new Date(Date.now() - 7 * DAY_MS));
  const first = isoWeekOf(new Date(Date.now() - 7 * weekCount * DAY_MS));
  const weeks = weeksBetween(first, last);
  const lines: string[] = [];
  for (let h = 0; h < hierarchies; h++) {
    const hierarchyId = randomBase64Sha256();
    for (const week of weeks) {
      const document = fleetDocument(random, hierarchyId, week);
      if (document.compliance !== undefined) {
        document.compliance.softwareUpdateCompliancePercent = Math.round(400 + random() * 600) / 10;
        document.compliance.scanSuccessPercent = Math.round(800 + random() * 200) / 10;
      }
      lines.push(JSON.stringify({ docType: "usage", docVersion: 1, docId: document.docId, document }));
    }
  }
  for (let start = 0; start < lines.length; start += limits.maxBatchLines) {
    const response = await fetch(`${url}/api/v1/batch`, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", "x-functions-key": keys.ingest },
      body: lines.slice(start, start + limits.maxBatchLines).join("\n"),
    });
    const answer = (await response.json()) as { accepted?: number; rejected?: number };
    if (response.status !== 200 || answer.rejected !== 0) throw new Error(`the batch was answered ${response.status} ${JSON.stringify(answer).slice(0, 500)}`);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}/api/v1/stats/trend?from=${first}&to=${last}`, { headers: { "x-functions-key": keys.query } });
    const trend = (await response.json()) as { weeks: { hierarchies: number }[] };
    if (trend.weeks.every((w) => w.hierarchies === hierarchies)) return { weeks, hierarchies };
    if (Date.now() > deadline) throw new Error(`aggregation did not finish within ${timeoutMs} ms: ${JSON.stringify(trend.weeks.map((w) => w.hierarchies))}`);
    await pause(250);
  }
}
