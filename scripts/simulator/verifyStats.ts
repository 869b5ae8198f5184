/**
 * `--verify`: after a run, wait for aggregation, then ask every query route what it counted
 * and compare it with what the reference model (referenceModel.ts, as route bodies in
 * expectedStats.ts) expects from the documents the service confirmed: categorical counts
 * exactly, distribution figures as the contract bounds them (sum and mean to rounding, min,
 * max and percentiles within 1%, buckets that hold exactly the expected values).
 */
import { setTimeout as pause } from "node:timers/promises";
import type { IsoWeek } from "../../shared/isoWeek";
import type { UsageDocument } from "../../shared/validation/usageDocument";
import { expectedDimension, expectedFeatures, expectedOs, expectedVersions, type DistributionExpectation } from "./expectedStats";
import { dimensionRules, nearestRank, sinceVersionOf, snapshotsOf, type Snapshots } from "./referenceModel";
import type { FleetDocument } from "./generateFleet";

export interface VerifyOptions {
  url: string;
  queryKey: string;
  /** How long to wait for aggregation to catch up before comparing anyway (default 5 minutes). */
  waitMs?: number;
  pollMs?: number;
  /** Told, every 10 s or so while it waits, how many weeks aggregation has not caught up with. */
  onWait?: (weeksBehind: number) => void;
}

/** One place where the service and the expectation disagree. */
export interface Difference {
  where: string;
  expected: unknown;
  actual: unknown;
}

export interface VerifyReport {
  weeks: number;
  hierarchies: number;
  /** Figures compared. */
  checks: number;
  differences: Difference[];
  /** Expected snapshots the service does not show (or shows with another document). */
  lost: number;
  /** Snapshots and clients the service counts beyond the expectation, over all weeks. */
  doubleCounted: { hierarchies: number; clients: number };
  /** Seconds from the start of verification until every week's totals matched (or the wait ran out). */
  waitedSeconds: number;
}

type Json = Record<string, unknown>;

async function getJson(options: VerifyOptions, path: string): Promise<{ status: number; body: Json }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(`${options.url}${path}`, { headers: { "x-functions-key": options.queryKey, accept: "application/json" } });
      if (response.status < 500 || attempt >= 5) {
        const text = await response.text();
        return { status: response.status, body: text === "" ? {} : (JSON.parse(text) as Json) };
      }
    } catch (error) {
      if (attempt >= 5) throw error;
    }
    await pause(500 * attempt);
  }
}

/** Records what is compared, and every disagreement. */
class Comparison {
  checks = 0;
  readonly differences: Difference[] = [];

  equal(where: string, expected: unknown, actual: unknown): void {
    this.checks += 1;
    if (expected !== actual) this.differences.push({ where, expected, actual });
  }

  /** Lists whose items are keyed by `key`: each item field by field, then the order. */
  list(where: string, key: string, expected: readonly Json[], actual: unknown): void {
    if (!Array.isArray(actual)) {
      this.equal(where, "a list", actual);
      return;
    }
    const got = new Map((actual as Json[]).map((item) => [String(item[key]), item]));
    for (const item of expected) {
      const name = String(item[key]);
      const other = got.get(name);
      if (other === undefined) {
        this.equal(`${where}[${name}]`, item, undefined);
        continue;
      }
      for (const [field, value] of Object.entries(item)) this.equal(`${where}[${name}].${field}`, value, other[field]);
    }
    const wanted = new Set(expected.map((item) => String(item[key])));
    for (const [name, item] of got) if (!wanted.has(name)) this.equal(`${where}[${name}]`, undefined, item);
    this.equal(`${where} order`, expected.map((i) => String(i[key])).join(" > "), (actual as Json[]).map((i) => String(i[key])).join(" > "));
  }

  /** Within `relative` of the exact value; 0 must be exactly 0 and null exactly null. */
  near(where: string, expected: number | null, actual: unknown, relative: number): void {
    this.checks += 1;
    const ok =
      expected === null || typeof actual !== "number" ? actual === expected : expected === 0 ? actual === 0 : Math.abs(actual - expected) <= relative * Math.abs(expected);
    if (!ok) this.differences.push({ where, expected, actual });
  }
}

const ROUNDING = 1e-9;
const CONTRACT_TOLERANCE = 0.01;

function compareDistribution(c: Comparison, where: string, expected: DistributionExpectation, actual: Json): void {
  const n = expected.numbers;
  c.equal(`${where}.hierarchies`, expected.hierarchies, actual["hierarchies"]);
  const sum = n.length === 0 ? null : n.reduce((s, x) => s + x, 0);
  c.near(`${where}.sum`, sum, actual["sum"], ROUNDING);
  c.near(`${where}.mean`, sum === null ? null : sum / n.length, actual["mean"], ROUNDING);
  c.near(`${where}.min`, n[0] ?? null, actual["min"], CONTRACT_TOLERANCE);
  c.near(`${where}.max`, n[n.length - 1] ?? null, actual["max"], CONTRACT_TOLERANCE);
  for (const p of [50, 90, 99]) c.near(`${where}.p${p}`, nearestRank(n, p), actual[`p${p}`], CONTRACT_TOLERANCE);
  const buckets = Array.isArray(actual["buckets"]) ? (actual["buckets"] as { lower: number; upper: number; hierarchies: number }[]) : [];
  c.equal(`${where}.buckets total`, expected.hierarchies, buckets.reduce((s, b) => s + b.hierarchies, 0));
  let previousUpper = -Infinity;
  for (const b of buckets) {
    const zero = b.lower === 0 && b.upper === 0;
    const label = `${where}.buckets[${b.lower}, ${b.upper})`;
    c.equal(`${label} shape`, true, b.hierarchies > 0 && b.lower >= previousUpper && (zero || (b.lower < b.upper && b.upper <= 1.02 * b.lower)));
    c.equal(`${label}.hierarchies`, n.filter((x) => (zero ? x === 0 : x >= b.lower && x < b.upper)).length, b.hierarchies);
    previousUpper = b.upper;
  }
}

const weekParam = (week: IsoWeek) => encodeURIComponent(week);
const toBase64Url = (id: string) => id.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/**
 * Polls the trend route (one request, each week's totals only) until every week's totals are
 * what is expected, or the wait runs out. Not each week's versions route: on Azurite that
 * reads whole rollup rows, and polling it for every week every second starved aggregation.
 */
async function waitForAggregation(options: VerifyOptions, snapshots: Snapshots): Promise<number> {
  const started = Date.now();
  const deadline = started + (options.waitMs ?? 300_000);
  const weeks = [...snapshots.keys()].sort();
  const range = `from=${weekParam(weeks[0]!)}&to=${weekParam(weeks[weeks.length - 1]!)}`;
  let pending = weeks;
  let lastTold = started;
  while (pending.length > 0 && Date.now() < deadline) {
    const { body } = await getJson(options, `/api/v1/stats/trend?${range}`);
    const totals = new Map(((body["weeks"] ?? []) as Json[]).map((w) => [String(w["week"]), w]));
    pending = pending.filter((week) => {
      const expected = expectedVersions(week, snapshots.get(week)!);
      const actual = totals.get(week);
      return actual?.["hierarchies"] !== expected.hierarchies || actual["clients"] !== expected.clients;
    });
    if (pending.length > 0 && Date.now() - lastTold >= 10_000) {
      options.onWait?.(pending.length);
      lastTold = Date.now();
    }
    if (pending.length > 0) await pause(options.pollMs ?? 2000);
  }
  return (Date.now() - started) / 1000;
}

/**
 * Compares every week's versions, OS, features and every dimension, and every hierarchy's
 * weekly snapshots, with the expectation from `confirmed` (the documents answered 2xx).
 */
export async function verifyStats(confirmed: readonly FleetDocument[], options: VerifyOptions): Promise<VerifyReport> {
  const snapshots = snapshotsOf(confirmed);
  const waitedSeconds = await waitForAggregation(options, snapshots);
  const c = new Comparison();
  const doubleCounted = { hierarchies: 0, clients: 0 };

  const listed = await getJson(options, "/api/v1/stats/dimensions");
  const served = ((listed.body["dimensions"] ?? []) as Json[]).map((d) => String(d["name"]));
  c.equal("/stats/dimensions names", dimensionRules.map((r) => r.name).sort().join(","), [...served].sort().join(","));
  const sinceVersions = ((listed.body["dimensions"] ?? []) as Json[]).map((d) => `${String(d["name"])}:${String(d["sinceVersion"])}`).sort();
  c.equal("/stats/dimensions sinceVersion", served.map((name) => `${name}:${sinceVersionOf(name)}`).sort().join(","), sinceVersions.join(","));

  for (const [week, byHierarchy] of [...snapshots].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const versions = expectedVersions(week, byHierarchy);
    const v = (await getJson(options, `/api/v1/stats/versions?week=${weekParam(week)}`)).body;
    c.equal(`${week} versions.hierarchies`, versions.hierarchies, v["hierarchies"]);
    c.equal(`${week} versions.clients`, versions.clients, v["clients"]);
    c.list(`${week} versions`, "version", versions.versions, v["versions"]);
    doubleCounted.hierarchies += Math.max(0, Number(v["hierarchies"]) - versions.hierarchies);
    doubleCounted.clients += Math.max(0, Number(v["clients"]) - versions.clients);

    const os = expectedOs(week, byHierarchy);
    const o = (await getJson(options, `/api/v1/stats/os?week=${weekParam(week)}`)).body;
    c.equal(`${week} os.clients`, os.clients, o["clients"]);
    c.list(`${week} os`, "name", os.os, o["os"]);

    const features = expectedFeatures(week, byHierarchy);
    const f = (await getJson(options, `/api/v1/stats/features?week=${weekParam(week)}`)).body;
    c.equal(`${week} features.hierarchies`, features.hierarchies, f["hierarchies"]);
    c.list(`${week} features`, "name", features.features, f["features"]);

    for (const rule of dimensionRules) {
      const expected = expectedDimension(rule, byHierarchy);
      const where = `${week} ${rule.name}`;
      const { status, body } = await getJson(options, `/api/v1/stats/dimensions/${rule.name}?week=${weekParam(week)}&minHierarchies=1`);
      c.equal(`${where} status`, 200, status);
      c.equal(`${where}.kind`, expected.kind, body["kind"]);
      if (expected.kind === "distribution") {
        compareDistribution(c, where, expected, body);
        continue;
      }
      c.equal(`${where}.hierarchies`, expected.hierarchies, body["hierarchies"]);
      c.equal(`${where}.clients`, expected.clients, body["clients"]);
      c.list(where, "value", expected.values, body["values"]);
    }
  }

  const lost = await compareHierarchyWeeks(c, options, snapshots);
  return { weeks: snapshots.size, hierarchies: hierarchyCount(snapshots), checks: c.checks, differences: c.differences, lost, doubleCounted, waitedSeconds };
}

function hierarchyCount(snapshots: Snapshots): number {
  return new Set([...snapshots.values()].flatMap((m) => [...m.keys()])).size;
}

/** Every hierarchy's weekly snapshots as `/hierarchies/{id}/weeks` lists them; returns how many expected ones are missing or wrong. */
async function compareHierarchyWeeks(c: Comparison, options: VerifyOptions, snapshots: Snapshots): Promise<number> {
  const byHierarchy = new Map<string, Map<IsoWeek, UsageDocument>>();
  for (const [week, docs] of snapshots) for (const [id, doc] of docs) byHierarchy.set(id, (byHierarchy.get(id) ?? new Map<IsoWeek, UsageDocument>()).set(week, doc));
  let lost = 0;
  for (const [id, weeks] of byHierarchy) {
    const { status, body } = await getJson(options, `/api/v1/hierarchies/${toBase64Url(id)}/weeks`);
    c.equal(`hierarchy ${id} status`, 200, status);
    const rows = new Map(((body["weeks"] ?? []) as Json[]).map((w) => [String(w["week"]), w]));
    for (const [week, doc] of weeks) {
      const row = rows.get(week);
      const expected = { docId: doc.docId, collectedAt: doc.collectedAt, level: doc.level, version: doc.product.version, build: doc.product.build, sites: doc.sites.length, clients: doc.clients.total };
      if (row?.["docId"] !== doc.docId) lost += 1;
      for (const [field, value] of Object.entries(expected)) c.equal(`hierarchy ${id} ${week}.${field}`, value, row?.[field]);
    }
    for (const week of rows.keys()) if (!weeks.has(week as IsoWeek)) c.equal(`hierarchy ${id} ${week}`, undefined, "a snapshot");
  }
  return lost;
}
