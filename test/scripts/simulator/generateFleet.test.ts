import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { mondayOf, weeksBetween, type IsoWeek } from "../../../shared/isoWeek";
import { findDocumentType } from "../../../shared/validation/documentTypes";
import type { UsageDocument } from "../../../shared/validation/usageDocument";
import { currentBranch, longTermServicing } from "../../../scripts/simulator/fleetCatalog";
import { apportion, generateFleet, type FleetHierarchy, type FleetOptions } from "../../../scripts/simulator/generateFleet";

const weeks = weeksBetween("2026-W20", "2026-W47");
const options: FleetOptions = { seed: "test", hierarchies: 120, weeks, offlineShare: 0.2 };
const fleet = generateFleet(options);
// The receiver refuses a collectedAt more than a day ahead of its clock: validate as the week after the last one.
const now = new Date(mondayOf("2026-W48").getTime());

const sum = (map: Record<string, number>) => Object.values(map).reduce((a, b) => a + b, 0);
const buildOf = (version: string) => [...currentBranch, longTermServicing].find((r) => r.version === version)?.build;

/** The contract's sums and topology rules, written out again rather than trusted to the validator alone. */
function checkDocument(doc: UsageDocument, week: IsoWeek, hierarchy: FleetHierarchy): void {
  const verdict = findDocumentType("usage", doc.schemaVersion)!.validate(JSON.parse(JSON.stringify(doc)), { docId: doc.docId, docVersion: doc.schemaVersion }, now);
  assert.ok(verdict.ok, JSON.stringify(verdict.ok ? [] : verdict.errors));
  assert.equal(sum(doc.clients.byOs), doc.clients.total);
  assert.equal(sum(doc.clients.byClientBuild), doc.clients.total);
  assert.equal(doc.sites.reduce((s, site) => s + site.clientCount, 0), doc.clients.total);
  const cas = doc.sites.filter((s) => s.type === "cas").length;
  const primaries = doc.sites.filter((s) => s.type === "primary").length;
  assert.ok(cas <= 1);
  assert.ok(cas === 1 ? primaries >= 1 && primaries <= 25 : primaries === 1, `${cas} CAS, ${primaries} primaries`);
  assert.equal(new Set(doc.sites.map((s) => s.siteHash)).size, doc.sites.length);
  const at = Date.parse(doc.collectedAt);
  assert.ok(at >= mondayOf(week).getTime() && at < mondayOf(week).getTime() + 7 * 86_400_000, `${doc.collectedAt} in ${week}`);
  assert.equal(doc.hierarchyId, hierarchy.hierarchyId);
  assert.equal(doc.connectionMode, hierarchy.connectionMode);
  assert.equal(doc.features !== undefined, doc.level !== "basic");
  assert.equal(doc.compliance !== undefined, doc.level === "full");
}

test("every generated document is valid, and its sums and topology hold", () => {
  for (const h of fleet) for (const { week, document } of h.documents) checkDocument(document, week, h);
});

test("any seed, size and offline share gives only valid documents", () => {
  fc.assert(
    fc.property(fc.string(), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, hierarchies, count, offlineShare) => {
      const some = weeksBetween("2025-W50", "2026-W08").slice(0, count);
      for (const h of generateFleet({ seed, hierarchies, weeks: some, offlineShare })) for (const d of h.documents) checkDocument(d.document, d.week, h);
    }),
    { numRuns: 40 },
  );
});

test("a hierarchy's release only ever moves forward; its builds match it, and clients and secondaries never run ahead", () => {
  let upgrades = 0;
  for (const h of fleet) {
    const ordered = [...h.documents].sort((a, b) => Date.parse(a.document.collectedAt) - Date.parse(b.document.collectedAt));
    for (let i = 0; i < ordered.length; i++) {
      const doc = ordered[i]!.document;
      assert.equal(doc.product.build, buildOf(doc.product.version), doc.product.version);
      for (const site of doc.sites) {
        if (site.type === "secondary") assert.ok(site.build <= doc.product.build);
        else assert.equal(site.build, doc.product.build, site.type);
      }
      for (const build of Object.keys(doc.clients.byClientBuild)) assert.ok(build <= doc.product.build, `client ${build} under ${doc.product.build}`);
      const before = ordered[i - 1]?.document.product.version;
      if (before === undefined) continue;
      assert.ok(doc.product.version >= before, `${before} then ${doc.product.version}`);
      if (doc.product.version > before) upgrades += 1;
    }
  }
  assert.ok(upgrades > 10, `${upgrades} upgrades in the fleet`);
});

test("the same seed gives the same documents, docIds included; a hierarchy's documents do not depend on how many follow it", () => {
  assert.deepEqual(generateFleet(options), fleet);
  assert.deepEqual(generateFleet({ ...options, hierarchies: 7 }), fleet.slice(0, 7));
  const other = new Set(generateFleet({ ...options, seed: "other" }).flatMap((h) => h.documents.map((d) => d.document.docId)));
  assert.ok(fleet.every((h) => h.documents.every((d) => !other.has(d.document.docId))), "another seed, other docIds");
});

test("the fleet looks like one: both topologies, enhanced the commonest level, heavy-tailed sizes, the offline share", () => {
  const last = fleet.map((h) => h.documents[h.documents.length - 1]!.document);
  const casCount = last.filter((d) => d.sites.some((s) => s.type === "cas")).length;
  assert.ok(casCount > 5 && casCount < 60, `${casCount} CAS hierarchies of 120`);
  const levels = new Map<string, number>();
  for (const d of last) levels.set(d.level, (levels.get(d.level) ?? 0) + 1);
  assert.equal([...levels].sort((a, b) => b[1] - a[1])[0]![0], "enhanced");
  assert.ok(levels.has("basic") && levels.has("full"));
  const totals = last.map((d) => d.clients.total).sort((a, b) => a - b);
  assert.ok(totals[totals.length - 1]! > 10 * totals[Math.floor(totals.length / 2)]!, "the largest hierarchy dwarfs the median one");
  const offline = fleet.filter((h) => h.connectionMode === "offline").length;
  assert.ok(offline > 8 && offline < 45, `${offline} offline of 120 at a share of 0.2`);
  assert.ok(fleet.some((h) => new Set(h.documents.map((d) => d.week)).size < h.documents.length), "some week has a second document");
  assert.ok(last.some((d) => d.clients.byOfficeVersion !== undefined) && last.some((d) => d.clients.entraJoined !== undefined));
});

test("apportion splits a total exactly, in proportion", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 30 }), (total, weights) => {
      const parts = apportion(total, weights);
      assert.equal(parts.reduce((a, b) => a + b, 0), total);
      assert.ok(parts.every((p) => Number.isInteger(p) && p >= 0));
    }),
  );
  assert.deepEqual(apportion(10, [1, 1, 2]), [3, 2, 5]);
});

test("the fleet sends v1 before 2409 and v2 from 2409 on, so that it upgrades into version 2 over the weeks", () => {
  const documents = fleet.flatMap((h) => h.documents.map((d) => d.document));
  for (const doc of documents) assert.equal(doc.schemaVersion, doc.product.version >= "2409" ? 2 : 1, `${doc.product.version} as v${doc.schemaVersion}`);
  assert.ok(documents.some((d) => d.schemaVersion === 1) && documents.some((d) => d.schemaVersion === 2), "both versions are sent");
  const movers = fleet.filter((h) => h.documents[0]?.document.schemaVersion === 1 && h.documents.some((d) => d.document.schemaVersion === 2));
  assert.ok(movers.length > 0, "some hierarchy moves from v1 to v2");
  const v2 = documents.filter((d) => d.schemaVersion === 2);
  for (const part of ["setup", "cloud", "coManagement", "updates", "osd"] as const) assert.ok(v2.some((d) => d[part] !== undefined), `some v2 document has ${part}`);
  assert.ok(v2.every((d) => d.clients.byWindowsBuild !== undefined && d.clients.byArchitecture !== undefined));
});
