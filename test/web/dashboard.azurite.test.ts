/**
 * The dashboard in headless Chromium (the system's, through playwright-core), against the
 * local runtime on a real Azurite filled with a fleet (fillRuntime): the page loads, every
 * chart shows the numbers the API answers for the same query, the key stays out of URLs,
 * and a wrong key gets a clear message. Screenshots go to .data/screenshots/ for review.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { projectRoot } from "../../local/hostSettings";
import { INGEST_KEY, QUERY_KEY, post, startTestRuntime, submitPath, type TestRuntime } from "../support/testRuntime";
import { makeUsageDocument } from "../../devkit/usageDocuments";
import { enterKey, paintedPixels, readFigures, readNumbers, settled, type PanelNumbers } from "./dashboardPage";
import { fillRuntime, type FilledFleet } from "./fillRuntime";
import { findChromium } from "./findChromium";

const chromiumPath = findChromium();
const skip = chromiumPath === undefined ? "no Chromium found (CHROMIUM_PATH, or chromium on PATH: apt-get install chromium)" : false;
const screenshots = join(projectRoot(), ".data", "screenshots");
/** Folding on by default, so that the page is seen to leave the server's default alone. */
const SERVER_MIN_HIERARCHIES = 3;
/** A dimension whose values spread thin over the simulated fleet (version x SQL version), so that folding shows. */
const FOLDED_DIMENSION = "versionBySqlVersion";
/** How many values a chart names before it sums the rest as "other" (web/dashboard/charts.ts). */
const TOP_VALUES = 10;

interface TrendBody {
  weeks: { week: string; hierarchies: number; clients: number; versions: Record<string, number> }[];
}
interface DistributionBody {
  hierarchies: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  buckets: { lower: number; upper: number; hierarchies: number }[];
}

/** What the page's table of `rows` must read, in the order it lists them. */
const numbers = (columns: string[], rows: [string, ...(number | null)[]][]): PanelNumbers => ({
  columns,
  rows: rows.map(([label, ...values]) => ({ label, values })),
});

/** Named entries as a chart of the top ones shows them: all when at most one would be left over, else the first TOP_VALUES and "other (n)". */
function topAndOther(entries: [string, number][]): [string, number][] {
  if (entries.length <= TOP_VALUES + 1) return entries;
  const rest = entries.slice(TOP_VALUES);
  return [...entries.slice(0, TOP_VALUES), [`other (${rest.length})`, rest.reduce((sum, [, n]) => sum + n, 0)]];
}

describe("the dashboard in headless Chromium", { skip, timeout: 300_000 }, () => {
  let t: TestRuntime | undefined;
  let fleet: FilledFleet;
  let browser: Browser | undefined;
  const url = (): string => {
    assert.ok(t !== undefined, "the runtime did not start");
    return t.url;
  };

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url()}/api/v1/${path}`, { headers: { "x-functions-key": QUERY_KEY } });
    assert.equal(response.status, 200, path);
    return (await response.json()) as T;
  };

  /** A fresh page (its own session storage) on the dashboard, failing the test on any script error or CSP violation. */
  const openDashboard = async (problems: string[], requests: { url: string; key: string | undefined }[] = []): Promise<Page> => {
    assert.ok(browser !== undefined, "Chromium did not start");
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("request", (request) => requests.push({ url: request.url(), key: request.headers()["x-functions-key"] }));
    const response = await page.goto(`${url()}/api/dashboard`);
    assert.equal(response?.status(), 200);
    return page;
  };

  const screenshot = async (page: Page, name: string): Promise<void> => {
    const file = join(screenshots, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
  };

  before(async () => {
    mkdirSync(screenshots, { recursive: true });
    t = await startTestRuntime({ STATS_MIN_HIERARCHIES: String(SERVER_MIN_HIERARCHIES) });
    fleet = await fillRuntime(t.url, { ingest: INGEST_KEY, query: QUERY_KEY });
    browser = await chromium.launch({ executablePath: chromiumPath!, headless: true });
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  test("with the query key, every chart shows what the API answers, and the key never reaches a URL", async () => {
    const problems: string[] = [];
    const requests: { url: string; key: string | undefined }[] = [];
    const page = await openDashboard(problems, requests);
    assert.equal(await page.locator("body").getAttribute("data-state"), "locked");
    await screenshot(page, "dashboard-locked");
    assert.equal(await enterKey(page, QUERY_KEY), "ready", await page.locator("#status").innerText());
    assert.ok(!(await page.locator("#key-form").isVisible()), "the form is gone once the key is taken");

    const trend = await api<TrendBody>("stats/trend");
    assert.deepEqual(trend.weeks.map((w) => w.week), fleet.weeks);
    const versions = [...new Set(trend.weeks.flatMap((w) => Object.keys(w.versions)))].sort((a, b) => Number(b) - Number(a));
    assert.ok(versions.length > 1, "the fleet has several versions");
    assert.deepEqual(
      await readNumbers(page, "versions"),
      numbers(["week", ...versions], trend.weeks.map((w) => [w.week, ...versions.map((v) => w.versions[v] ?? 0)])),
    );
    assert.deepEqual(await readNumbers(page, "fleet"), numbers(["week", "hierarchies", "clients"], trend.weeks.map((w) => [w.week, w.hierarchies, w.clients])));

    // The week charts show the latest week with data, which the week list offers first.
    const week = fleet.weeks[fleet.weeks.length - 1]!;
    assert.equal(await page.locator("#week").inputValue(), week);
    const os = await api<{ os: { name: string; clients: number }[] }>(`stats/os?week=${week}`);
    assert.ok(os.os.length > TOP_VALUES + 1, "the OS chart folds a long tail into other");
    assert.deepEqual(await readNumbers(page, "os"), numbers(["OS", "clients"], topAndOther(os.os.map((o) => [o.name, o.clients]))));
    const features = await api<{ features: { name: string; enabledHierarchies: number }[] }>(`stats/features?week=${week}`);
    assert.ok(features.features.length > 0);
    assert.deepEqual(
      await readNumbers(page, "features"),
      numbers(["feature", "hierarchies with it enabled"], features.features.map((f) => [f.name, f.enabledHierarchies])),
    );

    for (const [panel, dimension] of [["clients", "clients"], ["compliance", "softwareUpdateCompliancePercent"]] as const) {
      // No minHierarchies: the page must show what the server's default gives.
      const stats = await api<DistributionBody>(`stats/dimensions/${dimension}?week=${week}`);
      assert.ok(stats.p50 !== null && stats.buckets.length > 1, `${dimension} has a spread`);
      assert.deepEqual(await readFigures(page, panel), { hierarchies: stats.hierarchies, p50: stats.p50, p90: stats.p90, p99: stats.p99 }, panel);
      const shown = await readNumbers(page, panel);
      const bins = shown.rows.map((row) => {
        const [lower, upper] = row.label.split("–").map(Number) as [number, number];
        return { lower, upper, hierarchies: row.values[0] ?? 0 };
      });
      // Each of the API's buckets counts in the one bin its lower bound falls in (the last bin also takes its upper edge).
      const expected = bins.map((bin, i) => ({
        ...bin,
        hierarchies: stats.buckets.filter((b) => b.lower >= bin.lower && (b.lower < bin.upper || i === bins.length - 1)).reduce((sum, b) => sum + b.hierarchies, 0),
      }));
      assert.deepEqual(bins, expected, `${panel} bins`);
      assert.equal(bins.reduce((sum, b) => sum + b.hierarchies, 0), stats.hierarchies, `${panel} bins hold every hierarchy`);
      for (let i = 1; i < bins.length; i++) assert.equal(bins[i]!.lower, bins[i - 1]!.upper, `${panel} bins are contiguous`);
    }

    // The dimension chosen from the list, with the server's default folding, then with the user's own.
    const list = await api<{ dimensions: { name: string }[] }>("stats/dimensions");
    assert.deepEqual(await page.locator("#dimension option").evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value)), list.dimensions.map((d) => d.name));
    assert.ok(list.dimensions.some((d) => d.name === "windowsBuild"), "the picker lists version 2's dimensions too");
    const categorical = async (query: string) => {
      const answer = await api<{ weeks: { week: string; values: Record<string, number> }[] }>(`stats/dimensions/${FOLDED_DIMENSION}/trend${query}`);
      const totals = new Map<string, number>();
      for (const w of answer.weeks) for (const [value, n] of Object.entries(w.values)) totals.set(value, (totals.get(value) ?? 0) + n);
      const ranked = [...totals].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([value]) => value);
      const named = ranked.length <= TOP_VALUES + 1 ? ranked : ranked.slice(0, TOP_VALUES);
      const rest = ranked.slice(named.length);
      const columns = ["week", ...named, ...(rest.length > 0 ? [`other (${rest.length})`] : [])];
      const at = (values: Record<string, number>, value: string) => values[value] ?? 0;
      return numbers(
        columns,
        answer.weeks.map((w) => [w.week, ...named.map((v) => at(w.values, v)), ...(rest.length > 0 ? [rest.reduce((sum, v) => sum + at(w.values, v), 0)] : [])]),
      );
    };
    await page.selectOption("#dimension", FOLDED_DIMENSION);
    assert.equal(await settled(page), "ready");
    const folded = await categorical("");
    assert.ok(folded.columns.includes(`(fewer than ${SERVER_MIN_HIERARCHIES})`), `the server's default folding shows: ${folded.columns.join("|")}`);
    assert.deepEqual(await readNumbers(page, "dimension"), folded);
    await page.fill("#min-hierarchies", "1");
    await page.locator("#min-hierarchies").dispatchEvent("change");
    assert.equal(await settled(page), "ready");
    const unfolded = await categorical("?minHierarchies=1");
    assert.ok(!unfolded.columns.some((c) => c.startsWith("(fewer than")));
    assert.deepEqual(await readNumbers(page, "dimension"), unfolded);

    await page.fill("#min-hierarchies", "");
    await page.locator("#min-hierarchies").dispatchEvent("change");
    assert.equal(await settled(page), "ready");
    await page.selectOption("#dimension", "databaseSizeMb");
    assert.equal(await settled(page), "ready");
    const sizes = await api<{ weeks: { week: string; p50: number | null; p90: number | null; p99: number | null }[] }>("stats/dimensions/databaseSizeMb/trend");
    assert.deepEqual(await readNumbers(page, "dimension"), numbers(["week", "p50", "p90", "p99"], sizes.weeks.map((w) => [w.week, w.p50, w.p90, w.p99])));

    for (const panel of ["versions", "fleet", "os", "features", "clients", "compliance", "dimension"]) {
      assert.ok((await paintedPixels(page, panel)) > 1000, `the ${panel} chart drew nothing`);
    }
    await page.evaluate(() => {
      for (const details of (globalThis as unknown as { document: { querySelectorAll(s: string): Iterable<{ open: boolean }> } }).document.querySelectorAll("details")) details.open = true;
    });
    await screenshot(page, "dashboard-ready");

    const apiRequests = requests.filter((r) => new URL(r.url).pathname.startsWith("/api/v1/"));
    assert.ok(apiRequests.length >= 8, `the page made ${apiRequests.length} API calls`);
    for (const request of requests) assert.ok(!request.url.includes(QUERY_KEY) && !new URL(request.url).searchParams.has("code"), `the key is in ${request.url}`);
    for (const request of apiRequests) {
      assert.equal(request.key, QUERY_KEY, `${request.url} went without the key`);
      // Only the one explicit change above may carry minHierarchies: the default is the server's.
      if (new URL(request.url).searchParams.has("minHierarchies")) assert.equal(new URL(request.url).searchParams.get("minHierarchies"), "1");
    }
    assert.ok(apiRequests.some((r) => !new URL(r.url).searchParams.has("minHierarchies") && r.url.includes("/stats/dimensions/clients?")));
    assert.equal(page.url(), `${url()}/api/dashboard`);
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  test("a wrong key gets a clear message and the form again; the right key then works", async () => {
    const problems: string[] = [];
    const page = await openDashboard(problems);
    assert.equal(await enterKey(page, "not-the-query-key"), "refused");
    assert.match(await page.locator("#status").innerText(), /the query key was refused/i);
    assert.ok(await page.locator("#key-form").isVisible(), "the form asks again");
    assert.ok(!(await page.locator("#charts").isVisible()), "no charts without a key");
    assert.equal(await page.evaluate(() => (globalThis as unknown as { sessionStorage: { length: number } }).sessionStorage.length), 0, "a refused key is not kept");
    await screenshot(page, "dashboard-refused");
    assert.equal(await enterKey(page, QUERY_KEY), "ready");
    assert.ok(await page.locator("#charts").isVisible());
    // Kept for the tab: a reload needs no key.
    await page.reload();
    assert.equal(await settled(page), "ready");
    // The dev ingest key is a key too, but not this one's: refused as well.
    await page.click("#forget-key");
    assert.equal(await enterKey(page, INGEST_KEY), "refused");
    assert.deepEqual(problems.filter((p) => !p.includes("401")), []);
    await page.context().close();
  });

  // Last: the document it adds would change what the tests above expect.
  test("one valid document collected in January 2015 leaves the default trends at 52 weeks, and the page still loads", async () => {
    const old = { ...makeUsageDocument({ level: "basic" }), docId: randomUUID(), collectedAt: "2015-01-05T10:00:00.000Z" };
    const submitted = await post(url(), submitPath(old.docId), JSON.stringify(old), { "x-functions-key": INGEST_KEY });
    assert.equal(submitted.status, 202, JSON.stringify(submitted.json));
    const deadline = Date.now() + 60_000;
    while ((await api<{ hierarchies: number }>("stats/versions?week=2015-W02")).hierarchies === 0) {
      assert.ok(Date.now() < deadline, "the old document was not aggregated within a minute");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const last = fleet.weeks[fleet.weeks.length - 1]!;
    const trend = await api<TrendBody>("stats/trend");
    assert.equal(trend.weeks.length, 52);
    assert.equal(trend.weeks[trend.weeks.length - 1]?.week, last);
    assert.ok(trend.weeks.every((w) => w.week > "2015-W02"), "the old week is outside the default window");
    for (const name of ["version", "databaseSizeMb"]) {
      const dimensionTrend = await api<{ weeks: { week: string }[] }>(`stats/dimensions/${name}/trend`);
      assert.deepEqual(dimensionTrend.weeks.map((w) => w.week), trend.weeks.map((w) => w.week), name);
    }
    // Asked for, the old week is still there.
    const asked = await api<TrendBody>("stats/trend?from=2015-W01&to=2015-W03");
    assert.deepEqual(asked.weeks.map((w) => [w.week, w.hierarchies]), [["2015-W01", 0], ["2015-W02", 1], ["2015-W03", 0]]);

    const problems: string[] = [];
    const page = await openDashboard(problems);
    assert.equal(await enterKey(page, QUERY_KEY), "ready", await page.locator("#status").innerText());
    assert.deepEqual(await readNumbers(page, "fleet"), numbers(["week", "hierarchies", "clients"], trend.weeks.map((w) => [w.week, w.hierarchies, w.clients])));
    assert.ok((await paintedPixels(page, "fleet")) > 1000, "the fleet chart drew nothing");
    await screenshot(page, "dashboard-with-an-old-document");
    assert.deepEqual(problems, []);
    await page.context().close();
  });
});

describe("the dashboard in headless Chromium, before any data", { skip, timeout: 120_000 }, () => {
  test("says there is no data yet and draws no chart", async () => {
    const t = await startTestRuntime();
    const browser = await chromium.launch({ executablePath: chromiumPath!, headless: true });
    try {
      const page = await browser.newPage();
      await page.goto(`${t.url}/api/dashboard`);
      assert.equal(await enterKey(page, QUERY_KEY), "ready");
      assert.match(await page.locator("#status").innerText(), /no data yet/i);
      assert.ok(!(await page.locator("#charts").isVisible()));
      assert.ok(await page.locator("#forget-key").isVisible(), "the key was taken");
    } finally {
      await browser.close();
      await t.close();
    }
  });
});
