import { test } from "node:test";
import assert from "node:assert/strict";
import { renderAnswer } from "../../../scripts/query/answerTables";
import { answerMismatch } from "../../../scripts/query/checkAnswer";
import type { DimensionStats, VersionStats, WeekTrend } from "../../../shared/resultsV1";

test("versions: a line of totals, then each version with its shares of hierarchies and clients", () => {
  const body: VersionStats = {
    week: "2026-W47",
    hierarchies: 3,
    clients: 1190,
    versions: [
      { version: "2409", hierarchies: 2, clients: 1130 },
      { version: "2403", hierarchies: 1, clients: 60 },
    ],
  };
  assert.equal(answerMismatch("versions", body), undefined);
  assert.equal(
    renderAnswer("versions", body),
    [
      "Product versions, 2026-W47: 3 hierarchies, 1,190 clients",
      "version  hierarchies  share  clients  share",
      "-------  -----------  -----  -------  -----",
      "2409               2  66.7%    1,130  95.0%",
      "2403               1  33.3%       60   5.0%",
    ].join("\n"),
  );
});

test("a distribution: its figures, then its buckets with their shares; zeros are a bucket of their own", () => {
  const body: DimensionStats = {
    week: "2026-W47",
    dimension: "sites",
    kind: "distribution",
    hierarchies: 4,
    sum: 7,
    mean: 1.75,
    min: 0,
    max: 4,
    p50: 1,
    p90: 4,
    p99: 4,
    buckets: [
      { lower: 0, upper: 0, hierarchies: 1 },
      { lower: 1, upper: 1.015625, hierarchies: 2 },
      { lower: 4, upper: 4.0625, hierarchies: 1 },
    ],
  };
  assert.equal(answerMismatch("dimension", body), undefined);
  const lines = renderAnswer("dimension", body).split("\n");
  assert.equal(lines[0], "Dimension sites (distribution), 2026-W47: 4 hierarchies");
  assert.ok(lines.includes("mean     1.75"));
  assert.deepEqual(lines.slice(-5), [
    "from      below  hierarchies  share",
    "----  ---------  -----------  -----",
    "   0  (exactly)            1  25.0%",
    "   1       1.02            2  50.0%",
    "   4       4.06            1  25.0%",
  ]);
});

test("the trend uses the route's CSV layout: versions newest first, numbers right-aligned", () => {
  const body: WeekTrend = {
    weeks: [
      { week: "2026-W46", hierarchies: 1, clients: 10, versions: { "2403": 1 } },
      { week: "2026-W47", hierarchies: 12, clients: 12000, versions: { "2403": 2, "2409": 10 } },
    ],
  };
  assert.equal(
    renderAnswer("trend", body),
    [
      "Trend, 2026-W46 to 2026-W47 (version columns: hierarchies)",
      "week      hierarchies  clients  2409  2403",
      "--------  -----------  -------  ----  ----",
      "2026-W46            1       10     0     1",
      "2026-W47           12   12,000    10     2",
    ].join("\n"),
  );
});

test("an answer of another shape is named, not drawn", () => {
  assert.match(answerMismatch("versions", { week: "2026-W47", hierarchies: 1 }) ?? "", /^the answer is not a VersionStats \(\/ must have required property 'clients'\)$/);
  assert.match(answerMismatch("dimension", { kind: "novel" }) ?? "", /not a DimensionStats/);
});
