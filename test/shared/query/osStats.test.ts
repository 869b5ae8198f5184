import assert from "node:assert/strict";
import { test } from "node:test";
import { addContribution, contributionOf, emptyRollup, type WeekRollup } from "../../../shared/aggregation/weekRollup";
import { toOsStats, toOsStatsCsv } from "../../../shared/query/osStats";
import { setValue } from "../../support/rollupViews";
import { clientsForTotal, makeUsageDocument } from "../../../devkit/usageDocuments";

function rollupWith(os: [string, number][]): WeekRollup {
  const rollup = emptyRollup();
  for (const [name, clients] of os) {
    setValue(rollup, "os", name, { clients, hierarchies: 1 });
    rollup.clients += clients;
  }
  return rollup;
}

test("most clients first, ties by code unit order of the name", () => {
  const cases: { name: string; os: [string, number][]; order: string[] }[] = [
    { name: "distinct counts", os: [["b", 1], ["a", 3], ["c", 2]], order: ["a", "c", "b"] },
    { name: "ties by name", os: [["Windows 11", 5], ["Windows 10", 5], ["Server", 5]], order: ["Server", "Windows 10", "Windows 11"] },
    // Code units, not locale: upper case (0x41-0x5A) before `_` (0x5F) before lower case.
    { name: "case and punctuation", os: [["b", 1], ["_", 1], ["B", 1], ["a", 1]], order: ["B", "_", "a", "b"] },
    { name: "non-ASCII after ASCII", os: [["Ünix", 1], ["Zeta", 1], ["éOS", 1]], order: ["Zeta", "Ünix", "éOS"] },
    { name: "zero clients still listed, last", os: [["idle", 0], ["busy", 7]], order: ["busy", "idle"] },
  ];
  for (const c of cases) {
    assert.deepEqual(toOsStats("2026-W47", rollupWith(c.os)).os.map((o) => o.name), c.order, c.name);
  }
});

test("__proto__, constructor and hasOwnProperty are names like any other", () => {
  const byOs = Object.fromEntries([
    ["__proto__", 10],
    ["constructor", 20],
    ["hasOwnProperty", 30],
    ["Windows 11", 40],
  ]);
  const doc = makeUsageDocument({ clients: { ...clientsForTotal(100), byOs } });
  const rollup = emptyRollup();
  addContribution(rollup, contributionOf(doc));
  const stats = toOsStats("2026-W47", rollup);
  assert.deepEqual(stats.os, [
    { name: "Windows 11", clients: 40 },
    { name: "hasOwnProperty", clients: 30 },
    { name: "constructor", clients: 20 },
    { name: "__proto__", clients: 10 },
  ]);
  // The JSON a client reads carries them as values, and nothing reached a prototype.
  const parsed = JSON.parse(JSON.stringify(stats)) as { os: { name: string }[] };
  assert.deepEqual(parsed.os.map((o) => o.name), ["Windows 11", "hasOwnProperty", "constructor", "__proto__"]);
  assert.equal(Object.getPrototypeOf(stats.os[3]), Object.prototype);
  assert.deepEqual(toOsStatsCsv(stats).rows, [["Windows 11", 40], ["hasOwnProperty", 30], ["constructor", 20], ["__proto__", 10]]);
});

test("an empty week gives zero clients and no OS", () => {
  assert.deepEqual(toOsStats("2026-W47", emptyRollup()), { week: "2026-W47", clients: 0, os: [] });
});

test("two snapshots add up per OS; an OS named by one snapshot only is still listed", () => {
  const rollup = emptyRollup();
  addContribution(rollup, contributionOf(makeUsageDocument({ clients: { ...clientsForTotal(30), byOs: { A: 20, B: 10 } } })));
  addContribution(rollup, contributionOf(makeUsageDocument({ clients: { ...clientsForTotal(5), byOs: { A: 5, C: 0 } } })));
  assert.deepEqual(toOsStats("2026-W47", rollup), {
    week: "2026-W47",
    clients: 35,
    os: [
      { name: "A", clients: 25 },
      { name: "B", clients: 10 },
      { name: "C", clients: 0 },
    ],
  });
});
