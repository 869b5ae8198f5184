import assert from "node:assert/strict";
import { test } from "node:test";
import { weeksBetween } from "../../../shared/isoWeek";
import { generateFleet } from "../../../scripts/simulator/generateFleet";
import { documentsOf, planUploads } from "../../../scripts/simulator/planUploads";

const fleet = generateFleet({ seed: "plan", hierarchies: 60, weeks: weeksBetween("2026-W30", "2026-W45"), offlineShare: 0.3 });
const plan = planUploads(fleet, { seed: "plan", duplicateShare: 0.2 });

test("every document is sent; resends carry the same document under its docId", () => {
  const sent = new Map<string, unknown[]>();
  for (const u of plan) for (const d of documentsOf(u)) sent.set(d.docId, [...(sent.get(d.docId) ?? []), d]);
  const all = fleet.flatMap((h) => h.documents.map((d) => d.document));
  assert.equal(sent.size, all.length);
  for (const doc of all) for (const copy of sent.get(doc.docId)!) assert.equal(copy, doc);
  const resent = [...sent.values()].filter((copies) => copies.length > 1).length;
  assert.ok(resent > 0.1 * all.length && resent < 0.3 * all.length, `${resent} of ${all.length} sent again at a share of 0.2`);
});

test("online hierarchies send one document at a time, offline ones in batches of several weeks, out of order", () => {
  const offline = new Set(fleet.filter((h) => h.connectionMode === "offline").map((h) => h.hierarchyId));
  let outOfOrder = 0;
  for (const upload of plan) {
    for (const d of documentsOf(upload)) assert.equal(upload.kind === "batch", offline.has(d.hierarchyId));
    if (upload.kind !== "batch") continue;
    assert.ok(upload.documents.length <= 500);
    const times = upload.documents.map((d) => Date.parse(d.collectedAt));
    if (times.some((t, i) => i > 0 && t < times[i - 1]!)) outOfOrder += 1;
  }
  assert.ok(outOfOrder > 0, "some batch is out of order");
});

test("the plan is the same for the same seed", () => {
  assert.deepEqual(planUploads(fleet, { seed: "plan", duplicateShare: 0.2 }), plan);
});
