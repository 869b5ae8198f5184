import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyRollup, type WeekRollup } from "../../../shared/aggregation/weekRollup";
import { toVersionStats, toVersionStatsCsv } from "../../../shared/query/versionStats";
import { setValue } from "../../support/rollupViews";

function rollupWith(versions: [string, number, number][]): WeekRollup {
  const rollup = emptyRollup();
  for (const [version, hierarchies, clients] of versions) {
    setValue(rollup, "version", version, { hierarchies, clients });
    rollup.hierarchies += hierarchies;
    rollup.clients += clients;
  }
  return rollup;
}

test("versions come newest first, whatever order the rollup holds them in", () => {
  const cases: { name: string; versions: [string, number, number][]; order: string[] }[] = [
    { name: "already newest first", versions: [["2409", 1, 10], ["2403", 2, 20]], order: ["2409", "2403"] },
    { name: "oldest first", versions: [["2103", 1, 1], ["2207", 1, 1], ["2409", 1, 1]], order: ["2409", "2207", "2103"] },
    { name: "across a century-free YYMM boundary", versions: [["2412", 1, 1], ["2501", 1, 1], ["2410", 1, 1]], order: ["2501", "2412", "2410"] },
    // Newest first even when an older version has more hierarchies: versions are not ranked by count.
    { name: "counts do not reorder", versions: [["2303", 90, 9000], ["2409", 1, 5]], order: ["2409", "2303"] },
    { name: "one version", versions: [["2409", 3, 30]], order: ["2409"] },
  ];
  for (const c of cases) {
    const stats = toVersionStats("2026-W47", rollupWith(c.versions));
    assert.deepEqual(stats.versions.map((v) => v.version), c.order, c.name);
  }
});

test("totals and per-version counts are carried over", () => {
  const stats = toVersionStats("2026-W47", rollupWith([["2403", 2, 150], ["2409", 3, 700]]));
  assert.deepEqual(stats, {
    week: "2026-W47",
    hierarchies: 5,
    clients: 850,
    versions: [
      { version: "2409", hierarchies: 3, clients: 700 },
      { version: "2403", hierarchies: 2, clients: 150 },
    ],
  });
});

test("an empty week gives zeros and no versions", () => {
  assert.deepEqual(toVersionStats("2026-W01", emptyRollup()), { week: "2026-W01", hierarchies: 0, clients: 0, versions: [] });
  assert.deepEqual(toVersionStatsCsv(toVersionStats("2026-W01", emptyRollup())), { header: ["version", "hierarchies", "clients"], rows: [] });
});

test("a version with no hierarchy left is not listed", () => {
  const rollup = rollupWith([["2409", 1, 10]]);
  setValue(rollup, "version", "2403", { hierarchies: 0, clients: 0 });
  assert.deepEqual(toVersionStats("2026-W47", rollup).versions.map((v) => v.version), ["2409"]);
});

test("CSV rows follow the JSON order", () => {
  const table = toVersionStatsCsv(toVersionStats("2026-W47", rollupWith([["2403", 2, 150], ["2409", 3, 700]])));
  assert.deepEqual(table.rows, [["2409", 3, 700], ["2403", 2, 150]]);
});
