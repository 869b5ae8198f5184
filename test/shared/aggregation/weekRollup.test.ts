import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import {
  addContribution,
  contributionOf,
  emptyRollup,
  mergeRollups,
  OTHER_NAME,
  removeContribution,
  type Placement,
  type RollupBudget,
} from "../../../shared/aggregation/weekRollup";
import { rollupRowBudget } from "../../../shared/storage/weeklyStatsTable";
import { osOf, plainRollup, reservedOf, spentOf, versionsOf } from "../../support/rollupViews";
import { arbitraryUsageDocument, escapedName, makeUsageDocument, makeWorstCaseUsageDocument } from "../../../devkit/usageDocuments";

const spent = spentOf;
const reserved = (budget: RollupBudget) => reservedOf(emptyRollup(), budget);
const plain = plainRollup;

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
  assert.deepEqual(osOf(rollup).get("Windows 7"), { clients: 0, named: 1 });
});

test("a full row folds new names into (other): totals stay exact, and removal takes them back from there", () => {
  fc.assert(
    fc.property(fc.array(arbitraryUsageDocument, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 3 }), (docs, cap) => {
      // Every name costs 1, and room for the three (other) entries is kept: at most `cap` names in all.
      const capacity: RollupBudget = { bytes: cap + reserved({ bytes: 0, entryBytes: () => 1 }), entryBytes: () => 1 };
      const rollup = emptyRollup();
      const placed: [ReturnType<typeof contributionOf>, Placement][] = docs.map((doc) => {
        const c = contributionOf(doc);
        return [c, addContribution(rollup, c, capacity)];
      });
      // At most `cap` real names plus (other) per map.
      assert.ok(osOf(rollup).size <= cap + 1 && versionsOf(rollup).size <= cap + 1 && rollup.features.size <= cap + 1);
      const sum = (m: Map<string, { clients: number }>) => [...m.values()].reduce((s, v) => s + v.clients, 0);
      assert.equal(sum(osOf(rollup)), docs.reduce((s, d) => s + Object.values(d.clients.byOs).reduce((a, b) => a + b, 0), 0));
      assert.equal(sum(versionsOf(rollup)), rollup.clients);
      for (const [c, placement] of placed.reverse()) removeContribution(rollup, c, placement);
      assert.deepEqual(plain(rollup), plain(emptyRollup()));
    }),
    { numRuns: 100 },
  );
});

test("names a row already knows are never folded, even when it is full", () => {
  const rollup = emptyRollup();
  // Room for one OS name (and the OS map's (other)); versions and features cost nothing.
  const capacity: RollupBudget = { bytes: 2, entryBytes: (map) => (map === "os" ? 1 : 0) };
  const a = contributionOf(makeUsageDocument({ clients: { total: 3, byClientBuild: { "5.00.9132.1000": 3 }, byOs: { A: 3 } } }));
  const b = contributionOf(makeUsageDocument({ clients: { total: 5, byClientBuild: { "5.00.9132.1000": 5 }, byOs: { A: 1, B: 4 } } }));
  assert.deepEqual(addContribution(rollup, a, capacity).values.get("os"), undefined);
  assert.deepEqual(addContribution(rollup, b, capacity).values.get("os"), ["B"]);
  assert.deepEqual(osOf(rollup).get("A"), { clients: 4, named: 2 });
  assert.deepEqual(osOf(rollup).get(OTHER_NAME), { clients: 4, named: 1 });
});

test("with the table's budget, worst-case names fill a row up to its bytes and no further; the rest count under (other), exactly", () => {
  const rollup = emptyRollup();
  const docs = [0, 1, 2, 3].map((variant) => makeWorstCaseUsageDocument(variant));
  const placed = docs.map((doc) => [contributionOf(doc), addContribution(rollup, contributionOf(doc), rollupRowBudget)] as const);
  const used = spent(rollup, rollupRowBudget);
  assert.ok(used <= rollupRowBudget.bytes - reserved(rollupRowBudget), `${used} bytes spent of ${rollupRowBudget.bytes}`);
  // Full: not even one more feature name (the cheapest name these documents carry) would fit.
  const cheapest = rollupRowBudget.entryBytes("features", Object.keys(docs[0]!.features!)[0]!);
  assert.ok(rollupRowBudget.bytes - reserved(rollupRowBudget) - used < cheapest, "the row was not filled");
  assert.ok(rollupRowBudget.entryBytes("os", escapedName(0)) > cheapest);
  assert.ok((osOf(rollup).get(OTHER_NAME)?.named ?? 0) > 0 && (rollup.features.get(OTHER_NAME)?.named ?? 0) > 0);
  const clients = docs.reduce((sum, d) => sum + d.clients.total, 0);
  assert.equal([...osOf(rollup).values()].reduce((sum, o) => sum + o.clients, 0), clients);
  assert.equal([...rollup.features.values()].reduce((sum, f) => sum + f.enabledHierarchies, 0), 4 * 500);
  for (const [c, placement] of placed) removeContribution(rollup, c, placement);
  assert.deepEqual(plain(rollup), plain(emptyRollup()));
});

test("an entry costs what it can grow to: its JSON-escaped name and every count at 16 digits", () => {
  // ["<name>",n,n] and a comma, in UTF-16: a six-escape name of 128 characters is 770 characters with its quotes.
  assert.equal(rollupRowBudget.entryBytes("os", escapedName(0)), (770 + 3 * 18 + 3) * 2);
  assert.equal(rollupRowBudget.entryBytes("os", "Windows 11"), (12 + 3 * 18 + 3) * 2);
  assert.equal(rollupRowBudget.entryBytes("features", "cmPivot"), (9 + 3 * 18 + 3) * 2);
  assert.equal(rollupRowBudget.entryBytes("version", "2409"), (6 + 3 * 18 + 3) * 2);
});

test("property: under any byte budget, entries never cost more than it, totals stay exact, and removal in any order is exact", () => {
  fc.assert(
    fc.property(fc.array(arbitraryUsageDocument, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 4000 }), fc.integer(), (docs, bytes, seed) => {
      const budget: RollupBudget = { bytes, entryBytes: (map, name) => rollupRowBudget.entryBytes(map, name) };
      const rollup = emptyRollup();
      const placed = docs.map((doc) => {
        const c = contributionOf(doc);
        return { c, placement: addContribution(rollup, c, budget), k: 0 };
      });
      assert.ok(spent(rollup, budget) <= Math.max(0, bytes - reserved(budget)));
      const sum = (m: Map<string, { clients: number }>) => [...m.values()].reduce((s, v) => s + v.clients, 0);
      assert.equal(sum(osOf(rollup)), docs.reduce((s, d) => s + Object.values(d.clients.byOs).reduce((a, b) => a + b, 0), 0));
      assert.equal(sum(versionsOf(rollup)), rollup.clients);
      placed.forEach((p, i) => (p.k = (i * 7919 + seed) % 101));
      for (const { c, placement } of placed.sort((a, b) => a.k - b.k)) removeContribution(rollup, c, placement);
      assert.deepEqual(plain(rollup), plain(emptyRollup()));
    }),
    { numRuns: 100 },
  );
});
