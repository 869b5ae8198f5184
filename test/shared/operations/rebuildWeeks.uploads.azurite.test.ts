import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { toHierarchyKey } from "../../../shared/aggregation/hierarchyKey";
import { storageNames } from "../../../shared/config";
import type { IsoWeek } from "../../../shared/isoWeek";
import { rebuildWeeks } from "../../../shared/operations/rebuildWeeks";
import type { RawArchive } from "../../../shared/storage/rawArchive";
import type { UsageV1 } from "../../../shared/validation/usageV1";
import { post, startTestRuntime, submitPath, type TestRuntime } from "../../support/testRuntime";
import { base64Sha256Of, makeUsageDocument } from "../../../devkit/usageDocuments";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const WEEK: IsoWeek = "2026-W45";
const MONDAY = Date.parse("2026-11-02T00:00:00Z");

/**
 * The raw archive, its week listing taking `ms` longer once it has listed: a large week's
 * listing takes that long, and on Azure the blob index can lag the writes it lists.
 */
function slowListing(archive: RawArchive, ms: number): RawArchive {
  const slow = Object.create(archive) as RawArchive;
  slow.listByWeek = async function* (from, to) {
    const names: string[] = [];
    for await (const name of archive.listByWeek(from, to)) names.push(name);
    await pause(ms);
    yield* names;
  };
  return slow;
}

describe("a rebuild while uploads go on, through the HTTP submit route and the local runtime on Azurite", () => {
  let t: TestRuntime;
  before(async () => {
    t = await startTestRuntime();
  });
  after(async () => t.close());

  /** Each hierarchy answered 2xx, with the latest document answered 2xx for it: an independent count. */
  const accepted = new Map<string, UsageV1>();
  let seconds = 0;

  async function upload(hierarchyId: string): Promise<void> {
    seconds += 1;
    const doc = makeUsageDocument({ hierarchyId, collectedAt: new Date(MONDAY + 3600_000 + seconds * 1000).toISOString() });
    const { status } = await post(t.url, submitPath(doc.docId), JSON.stringify(doc));
    // A later collectedAt always replaces: the latest 2xx of a hierarchy is the one that must count.
    if (status >= 200 && status < 300) accepted.set(hierarchyId, doc);
  }

  async function queueDrained(): Promise<boolean> {
    const queues = t.runtime.services.clients.queueService;
    const ingest = await queues.getQueueClient(storageNames.ingestQueue).getProperties();
    return (ingest.approximateMessagesCount ?? 0) === 0;
  }

  test("rebuild --force with uploads going on: every hierarchy answered 2xx is in the week exactly once, with its latest document", async () => {
    const services = t.runtime.services;
    const first = Array.from({ length: 30 }, (_, i) => base64Sha256Of(`rebuild uploads ${i}`));
    for (const id of first) await upload(id);
    for (let i = 0; i < 200 && (await services.statsReader.readRollup(WEEK)).hierarchies < first.length; i++) await pause(100);
    assert.equal((await services.statsReader.readRollup(WEEK)).hierarchies, first.length, "the first uploads were not aggregated");

    let rebuilding = true;
    let n = 0;
    // Four SCPs at once: new hierarchies, and later documents of those already counted.
    const uploads = Array.from({ length: 4 }, async () => {
      while (rebuilding || n < 40) {
        const i = n++;
        await upload(i % 2 === 0 ? base64Sha256Of(`rebuild uploads new ${i}`) : first[i % first.length]!);
      }
    });
    await pause(200);
    const [rebuilt] = await rebuildWeeks(WEEK, WEEK, { ...services, rawArchive: slowListing(services.rawArchive, 1500) }, { force: true, holder: "test" });
    rebuilding = false;
    await Promise.all(uploads);
    assert.equal(rebuilt?.status, "rebuilt");

    // Messages deferred by the rebuild's lock come back after their delay (a minute).
    for (let i = 0; i < 1200 && !(await queueDrained()); i++) await pause(100);
    assert.ok(await queueDrained(), "the ingest queue did not drain");

    const snapshots = await services.weeklyStats.listSnapshots(WEEK);
    const counted = new Map(snapshots.map((s) => [s.hierarchyId, s]));
    assert.equal(snapshots.length, counted.size, "a hierarchy has two snapshots");
    const missing = [...accepted.keys()].filter((id) => !counted.has(id));
    assert.deepEqual(missing.length, 0, `${missing.length} of ${accepted.size} hierarchies answered 2xx are missing from the week`);
    for (const [id, doc] of accepted) assert.equal(counted.get(id)?.docId, doc.docId.toLowerCase(), `hierarchy ${toHierarchyKey(id)} counts another document`);
    assert.equal(snapshots.length, accepted.size);
    const rollup = await services.statsReader.readRollup(WEEK);
    assert.equal(rollup.hierarchies, accepted.size);
    assert.equal(rollup.clients, [...accepted.values()].reduce((sum, doc) => sum + doc.clients.total, 0));
  });
});
