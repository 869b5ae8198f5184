import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { aggregationDisabled, noLocalSettings, startChild, type Child } from "../../devkit/children";
import { startAzurite, type EmbeddedAzurite } from "../../local/azurite";
import { measureBurst, worstCaseBurst } from "../../devkit/memoryBurst";
import { makeUsageDocument } from "../../devkit/usageDocuments";

const INGEST_KEY = "memory-test-ingest-key";
const MiB = 1024 * 1024;
/** Contract section 2 holds request data to 512 MiB; this leaves room for the runtime's own overhead. */
const MAX_PEAK_GROWTH_BYTES = 600 * MiB;

async function submitValid(url: string): Promise<number> {
  const docId = randomUUID();
  const response = await fetch(`${url}/api/v1/submit/usage/1/${docId}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-functions-key": INGEST_KEY },
    body: JSON.stringify({ ...makeUsageDocument(), docId }),
  });
  await response.arrayBuffer();
  return response.status;
}

// Linux only (it reads /proc), and in its own process, so that the RSS measured is the
// runtime's alone: neither this test's Azurite nor its request bodies count.
describe("memory: a burst of worst-case requests to the local runtime in its own process", { skip: process.platform !== "linux" }, () => {
  let azurite: EmbeddedAzurite | undefined;
  let runtime: Child | undefined;
  before(async () => {
    azurite = await startAzurite();
    runtime = await startChild(
      "local/start.js",
      [...noLocalSettings],
      { ...aggregationDisabled, AzureWebJobsStorage: azurite.connectionString, PORT: "0", INGEST_KEY },
      /listening on (http:\/\/\S+)/,
    );
  });
  after(async () => {
    await runtime?.stop();
    await azurite?.close();
  });

  test("8 concurrent requests are each refused (400, 413 or 503; a batch's every line invalid), peak RSS growth stays under 600 MiB, and the runtime serves on", async (t) => {
    assert.ok(runtime !== undefined);
    const url = runtime.match[1]!;
    // One ordinary request first, so that the idle figure includes the code every request loads.
    assert.equal(await submitValid(url), 202);
    const burst = await measureBurst(url, runtime.process.pid!, INGEST_KEY, worstCaseBurst());
    const growth = `${(burst.growthBytes / MiB).toFixed(0)} MiB above ${(burst.idleRssBytes / MiB).toFixed(0)} MiB idle`;
    t.diagnostic(`peak RSS ${growth}; answers ${burst.answers.map((a) => `${a.status}${a.lineStatuses === undefined ? "" : ` [${a.lineStatuses.join(",")}]`}`).join(", ")}`);
    for (const answer of burst.answers) {
      // A batch judged line by line answers 200; every line of these must be refused.
      if (answer.lineStatuses !== undefined) assert.ok(answer.lineStatuses.every((s) => s === "invalid"), `${answer.name}: lines ${answer.lineStatuses.join(", ")}`);
      else assert.ok([400, 413, 503].includes(answer.status), `${answer.name}: answered ${answer.status}`);
      if (answer.status === 503) assert.match(answer.retryAfter ?? "", /^\d+$/, `${answer.name}: 503 without Retry-After`);
    }
    assert.ok(burst.growthBytes < MAX_PEAK_GROWTH_BYTES, `peak RSS rose ${growth} (bound ${MAX_PEAK_GROWTH_BYTES / MiB} MiB)`);
    const health = await fetch(`${url}/api/health`);
    await health.arrayBuffer();
    assert.equal(health.status, 200);
    assert.equal(await submitValid(url), 202);
  });
});
