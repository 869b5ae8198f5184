/**
 * The dashboard's charts, each drawn from one API answer as it comes. Chart.js is bundled
 * at build time (scripts/buildDashboard.ts) with only the parts registered here.
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
} from "chart.js";
import type { DimensionTrend, DistributionStats, FeatureStats, OsStats, WeekTrend } from "./apiTypes";
import { binPosition, toHistogramBins } from "./histogramBins";
import { percentileMarkers } from "./percentileMarkers";

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);
// Drawn once and at once: nothing to watch, and a screenshot shows the finished chart.
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

const palette = ["#2f6fb0", "#e07b28", "#3a9a5b", "#c4423b", "#8464b4", "#8c5a49", "#d46bb3", "#7a7a7a", "#b5b021", "#23a6b8"];
const OTHER_COLOUR = "#c9ced6";
const colour = (i: number): string => palette[i % palette.length]!;

/** How many named slices or lines a chart shows before the rest become one "other". */
export const TOP_VALUES = 10;

/** The label of the entries summed into one: how many they are, so it cannot pass for a value of that name. */
export const otherLabel = (count: number): string => `other (${count})`;

/**
 * The first `top` entries (already in the API's order) and the rest summed as one, labelled
 * otherLabel; all of them when at most one would be left over (one value needs no "other").
 */
export function withOther(entries: readonly [string, number][], top: number): { shown: [string, number][]; folded: boolean } {
  if (entries.length <= top + 1) return { shown: [...entries], folded: false };
  const rest = entries.slice(top).reduce((sum, [, n]) => sum + n, 0);
  return { shown: [...entries.slice(0, top), [otherLabel(entries.length - top), rest]], folded: true };
}

/** Versions as the API writes them (YYMM), newest first. */
const newestFirst = (a: string, b: string): number => Number(b) - Number(a);

/** Hierarchies per product version, week by week, stacked (GET /stats/trend). */
export function drawVersionAdoption(canvas: HTMLCanvasElement, trend: WeekTrend): Chart {
  const versions = [...new Set(trend.weeks.flatMap((w) => Object.keys(w.versions)))].sort(newestFirst);
  const datasets: ChartDataset<"bar">[] = versions.map((version, i) => ({
    label: version,
    data: trend.weeks.map((w) => (Object.hasOwn(w.versions, version) ? (w.versions[version] ?? 0) : 0)),
    backgroundColor: colour(i),
  }));
  return new Chart(canvas, {
    type: "bar",
    data: { labels: trend.weeks.map((w) => w.week), datasets },
    options: { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: "hierarchies" } } } },
  });
}

/** Hierarchies and clients week by week (GET /stats/trend), each on its own axis. */
export function drawFleetSize(canvas: HTMLCanvasElement, trend: WeekTrend): Chart {
  return new Chart(canvas, {
    type: "line",
    data: {
      labels: trend.weeks.map((w) => w.week),
      datasets: [
        { label: "hierarchies", data: trend.weeks.map((w) => w.hierarchies), borderColor: colour(0), backgroundColor: colour(0), yAxisID: "hierarchies" },
        { label: "clients", data: trend.weeks.map((w) => w.clients), borderColor: colour(1), backgroundColor: colour(1), yAxisID: "clients" },
      ],
    },
    options: {
      scales: {
        hierarchies: { type: "linear", position: "left", beginAtZero: true, title: { display: true, text: "hierarchies" } },
        clients: { type: "linear", position: "right", beginAtZero: true, title: { display: true, text: "clients" }, grid: { drawOnChartArea: false } },
      },
    },
  });
}

/** The week's clients by OS (GET /stats/os), the largest TOP_VALUES and the rest as one slice. */
export function drawOsShare(canvas: HTMLCanvasElement, os: OsStats): Chart {
  const { shown, folded } = withOther(
    os.os.map((o) => [o.name, o.clients]),
    TOP_VALUES,
  );
  const colours = shown.map((_, i) => (folded && i === shown.length - 1 ? OTHER_COLOUR : colour(i)));
  return new Chart(canvas, {
    type: "doughnut",
    data: {
      labels: shown.map(([name]) => name),
      datasets: [{ label: "clients", data: shown.map(([, n]) => n), backgroundColor: colours }],
    },
    options: { plugins: { legend: { position: "right" } } },
  });
}

/** Hierarchies with each feature enabled in the week (GET /stats/features), most first. */
export function drawFeatureAdoption(canvas: HTMLCanvasElement, features: FeatureStats): Chart {
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: features.features.map((f) => f.name),
      datasets: [{ label: "hierarchies with it enabled", data: features.features.map((f) => f.enabledHierarchies), backgroundColor: colour(2) }],
    },
    options: {
      indexAxis: "y",
      scales: { x: { beginAtZero: true, suggestedMax: features.hierarchies, title: { display: true, text: `of ${features.hierarchies} hierarchies reporting features` } } },
      plugins: { legend: { display: false } },
    },
  });
}

/**
 * A dimension week by week (GET /stats/dimensions/{name}/trend): p50/p90/p99 for a
 * distribution, else one line per value, the TOP_VALUES largest over the range and the rest
 * as one line.
 */
export function drawDimensionTrend(canvas: HTMLCanvasElement, trend: DimensionTrend): Chart {
  const labels = trend.weeks.map((w) => w.week);
  let datasets: ChartDataset<"line">[];
  if (trend.kind === "distribution") {
    datasets = (["p50", "p90", "p99"] as const).map((p, i) => ({ label: p, data: trend.weeks.map((w) => w[p]), borderColor: colour(i), backgroundColor: colour(i) }));
  } else {
    const totals = new Map<string, number>();
    for (const w of trend.weeks) for (const [value, n] of Object.entries(w.values)) totals.set(value, (totals.get(value) ?? 0) + n);
    const ranked = [...totals].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)).map(([value]) => value);
    const named = ranked.length <= TOP_VALUES + 1 ? ranked : ranked.slice(0, TOP_VALUES);
    const of = (values: Record<string, number>, value: string): number => (Object.hasOwn(values, value) ? (values[value] ?? 0) : 0);
    datasets = named.map((value, i) => ({ label: value, data: trend.weeks.map((w) => of(w.values, value)), borderColor: colour(i), backgroundColor: colour(i) }));
    if (named.length < ranked.length) {
      const rest = ranked.slice(named.length);
      datasets.push({ label: otherLabel(rest.length), data: trend.weeks.map((w) => rest.reduce((sum, v) => sum + of(w.values, v), 0)), borderColor: OTHER_COLOUR, backgroundColor: OTHER_COLOUR });
    }
  }
  const unit = trend.kind === "clients" ? "clients" : trend.kind === "distribution" ? trend.dimension : "hierarchies";
  return new Chart(canvas, { type: "line", data: { labels, datasets }, options: { scales: { y: { beginAtZero: true, title: { display: true, text: unit } } } } });
}

/** A bin's label, `lower–upper`, numbers written plainly so that they read back exactly. */
export const binLabel = (lower: number, upper: number): string => `${lower}–${upper}`;

/**
 * A distribution of one week (GET /stats/dimensions/{name}?week=) as a histogram of
 * equal-width bins, with p50, p90 and p99 marked where the API puts them.
 */
export function drawHistogram(canvas: HTMLCanvasElement, stats: DistributionStats): Chart {
  const bins = toHistogramBins(stats.buckets);
  const markers = (["p50", "p90", "p99"] as const).flatMap((p) => {
    const value = stats[p];
    return value === null ? [] : [{ label: `${p} ${value.toLocaleString("en-US", { maximumFractionDigits: 1 })}`, position: binPosition(bins, value) }];
  });
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: bins.map((b) => binLabel(b.lower, b.upper)),
      datasets: [{ label: "hierarchies", data: bins.map((b) => b.hierarchies), backgroundColor: colour(0), categoryPercentage: 1, barPercentage: 0.96 }],
    },
    options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, title: { display: true, text: "hierarchies" } } } },
    plugins: [percentileMarkers(markers)],
  });
}
