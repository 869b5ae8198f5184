import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  addContribution,
  compareSnapshots,
  contributionOf,
  emptyRollup,
  mergeRollups,
  OTHER_NAME,
  removeContribution,
  type Placement,
  type WeekRollup,
} from "../../../shared/aggregation/weekRollup";
import { arbitraryUsageDocument, makeUsageDocument } from "../../support/usageDocuments";

const plain = (r: WeekRollup) => ({
  hierarchies: r.hierarchies,
  clients: r.clients,
  featureHierarchies: r.featureHierarchies,
  versions: [...r.versions].sort(),
  os: [...r.os].sort(),
  features: [...r.features].sort(),
});

test("snapshot order: later collectedAt wins, to the nanosecond; ties go to the greater docId", () => {
  const at = (collectedAt: string, docId = "00000000-0000-4000-8000-000000000000") => ({ collectedAt, docId });
  const cases: [ReturnType<typeof at>, ReturnType<typeof at>, number][] = [
    [at("2026-11-18T03:00:00Z"), at("2026-11-18T03:00:01Z"), -1],
    [at("2026-11-18T03:00:00.000Z"), at("2026-11-18T03:00:00Z"), 0],
    [at("2026-11-18T03:00:00.1234567Z"), at("2026-11-18T03:00:00.1234568Z"), -1],
    [at("2026-11-18T03:00:00.5Z"), at("2026-11-18T03:00:00.49999Z"), 1],
    [at("2026-11-18T03:00:00Z", "b0000000-0000-4000-8000-000000000000"), at("2026-11-18T03:00:00Z", "a0000000-0000-4000-8000-000000000000"), 1],
    [at("2026-11-18T03:00:00Z", "A0000000-0000-4000-8000-000000000000"), at("2026-11-18T03:00:00Z", "a0000000-0000-4000-8000-000000000000"), 0],
  ];
  for (const [a, b, expected] of cases) {
    assert.equal(compareSnapshots(a, b), expected, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    assert.equal(compareSnapshots(b, a), expected === 0 ? 0 : -expected);
  }
});

test("a basic document adds no features, and is not a feature hierarchy", () => {
  const c = contributionOf(makeUsageDocument({ level: "basic" }));
  assert.equal(c.featureLevel, false);
  assert.equal(c.features.size, 0);
});

test("adding then removing any contributions leaves an empty rollup, in any order", () => {
  fc.assert(
    fc.property(fc.array(arbitraryUsageDocument, { minLength: 1, maxLength: 6 }), fc.integer(), (docs, seed) => {
      const rollup = emptyRollup();
      const contributions = docs.map(contributionOf);
      for (const c of contributions) addContribution(rollup, c);
      const order = contributions.map((c, i) => ({ c, k: (i * 7919 + seed) % 101 })).sort((a, b) => a.k - b.k);
      for (const { c } of order) removeContribution(rollup, c);
      assert.deepEqual(plain(rollup), plain(emptyRollup()));
    }),
    { numRuns: 50 },
  );
});

test("merging shards equals applying everything to one rollup", () => {
  fc.assert(
    fc.property(fc.array(arbitraryUsageDocument, { minLength: 1, maxLength: 6 }), (docs) => {
      const whole = emptyRollup();
      const shards = [emptyRollup(), emptyRollup(), emptyRollup()];
      docs.forEach((doc, i) => {
        addContribution(whole, contributionOf(doc));
        addContribution(shards[i % 3]!, contributionOf(doc));
      });
      assert.deepEqual(plain(mergeRollups(shards)), plain(whole));
    }),
    { numRuns: 50 },
  );
});

test("an OS reported with 0 clients stays listed while a snapshot names it", () => {
  const doc = makeUsageDocument();
  const byOs = Object.fromEntries([...Object.entries(doc.clients.byOs), ["Windows 7", 0]]) as Record<string, number>;
  const rollup = emptyRollup();
  addContribution(rollup, contributionOf({ ...doc, clients: { ...doc.clients, byOs } }));
  assert.deepEqual(rollup.os.get("Windows 7"), { clients: 0, named: 1 });
});

test("a full row folds new names into (other): totals stay exact, and removal takes them back from there", () => {
  fc.assert(
    fc.property(fc.array(arbitraryUsageDocument, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 3 }), (docs, cap) => {
      const capacity = { versions: cap, os: cap, features: cap };
      const rollup = emptyRollup();
      const placed: [ReturnType<typeof contributionOf>, Placement][] = docs.map((doc) => {
        const c = contributionOf(doc);
        return [c, addContribution(rollup, c, capacity)];
      });
      // At most `cap` real names plus (other) per map.
      assert.ok(rollup.os.size <= cap + 1 && rollup.versions.size <= cap + 1 && rollup.features.size <= cap + 1);
      const sum = (m: Map<string, { clients: number }>) => [...m.values()].reduce((s, v) => s + v.clients, 0);
      assert.equal(sum(rollup.os), docs.reduce((s, d) => s + Object.values(d.clients.byOs).reduce((a, b) => a + b, 0), 0));
      assert.equal(sum(rollup.versions), rollup.clients);
      for (const [c, placement] of placed.reverse()) removeContribution(rollup, c, placement);
      assert.deepEqual(plain(rollup), plain(emptyRollup()));
    }),
    { numRuns: 100 },
  );
});

test("names a row already knows are never folded, even when it is full", () => {
  const rollup = emptyRollup();
  const capacity = { versions: 1, os: 1, features: 1 };
  const a = contributionOf(makeUsageDocument({ clients: { total: 3, byClientBuild: { "5.00.9132.1000": 3 }, byOs: { A: 3 } } }));
  const b = contributionOf(makeUsageDocument({ clients: { total: 5, byClientBuild: { "5.00.9132.1000": 5 }, byOs: { A: 1, B: 4 } } }));
  assert.deepEqual(addContribution(rollup, a, capacity).os, []);
  assert.deepEqual(addContribution(rollup, b, capacity).os, ["B"]);
  assert.deepEqual(rollup.os.get("A"), { clients: 4, named: 2 });
  assert.deepEqual(rollup.os.get(OTHER_NAME), { clients: 4, named: 1 });
});
