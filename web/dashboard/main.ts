/**
 * The dashboard page: asks once for the query key (kept in session storage), then draws
 * every chart from the query API. `body[data-state]` says where the page is (`locked`,
 * `loading`, `ready`, `refused`, `error`), for the styles and for whoever drives the page.
 */
import type { Chart } from "chart.js";
import type { DimensionList, DimensionTrend, DistributionStats, FeatureStats, OsStats, WeekTrend } from "./apiTypes";
import { drawDimensionTrend, drawFeatureAdoption, drawFleetSize, drawHistogram, drawOsShare, drawVersionAdoption } from "./charts";
import { forgetKey, readKey, storeKey } from "./keyStore";
import { renderNumbers } from "./numbersTable";
import { getJson, KeyRefusedError, queryPath } from "./queryClient";

type PageState = "locked" | "loading" | "ready" | "refused" | "error";

function element<T extends HTMLElement>(selector: string, type: new () => T, within: ParentNode = document): T {
  const found = within.querySelector(selector);
  if (!(found instanceof type)) throw new Error(`the page has no ${selector}`);
  return found;
}

const keyForm = element("#key-form", HTMLFormElement);
const keyInput = element("#key-input", HTMLInputElement);
const forgetButton = element("#forget-key", HTMLButtonElement);
const status = element("#status", HTMLParagraphElement);
const chartsArea = element("#charts", HTMLElement);
const weekSelect = element("#week", HTMLSelectElement);
const minHierarchiesInput = element("#min-hierarchies", HTMLInputElement);
const dimensionSelect = element("#dimension", HTMLSelectElement);
const dimensionDescription = element("#dimension-description", HTMLParagraphElement);

function show(state: PageState, message: string): void {
  document.body.dataset["state"] = state;
  status.textContent = message;
  const unlocked = state === "loading" || state === "ready" || state === "error";
  keyForm.hidden = unlocked;
  forgetButton.hidden = !unlocked;
  chartsArea.hidden = !unlocked || weekSelect.options.length === 0;
  // One round at a time: a second one started mid-way could finish first and be drawn over.
  for (const control of [weekSelect, minHierarchiesInput, dimensionSelect]) control.disabled = state === "loading";
}

const charts = new Map<string, Chart>();

/** Draws one panel's chart (replacing the one before) and the table of its numbers. */
function drawPanel(panelName: string, draw: (canvas: HTMLCanvasElement) => Chart, labelHeading: string): HTMLElement {
  const panel = element(`[data-panel="${panelName}"]`, HTMLElement);
  charts.get(panelName)?.destroy();
  const chart = draw(element("canvas", HTMLCanvasElement, panel));
  charts.set(panelName, chart);
  renderNumbers(element("table", HTMLTableElement, panel), chart, labelHeading);
  return panel;
}

function clearCharts(): void {
  for (const chart of charts.values()) chart.destroy();
  charts.clear();
}

/** The minHierarchies the user asked for, or undefined for the server's default (STATS_MIN_HIERARCHIES): the parameter is then left out. */
function minHierarchies(): string | undefined {
  const text = minHierarchiesInput.value.trim();
  if (text === "") return undefined;
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > 1000) throw new Error("minHierarchies must be a whole number from 1 to 1000, or empty for the server's default");
  return text;
}

function fillSelect(select: HTMLSelectElement, options: readonly { value: string; text: string; title?: string }[], selected: string | undefined): void {
  select.replaceChildren(
    ...options.map((o) => {
      const option = new Option(o.text, o.value, false, o.value === selected);
      if (o.title !== undefined) option.title = o.title;
      return option;
    }),
  );
}

const formatted = (n: number | null): string => (n === null ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: 1 }));

async function drawHistogramPanel(key: string, panel: HTMLElement, week: string): Promise<void> {
  const name = panel.dataset["histogram"] ?? "";
  const stats = await getJson<DistributionStats>(key, queryPath(`stats/dimensions/${encodeURIComponent(name)}`, { week, minHierarchies: minHierarchies() }));
  drawPanel(panel.dataset["panel"] ?? "", (canvas) => drawHistogram(canvas, stats), "bin");
  const figures = element(".figures", HTMLParagraphElement, panel);
  figures.textContent =
    stats.p50 === null
      ? `${stats.hierarchies} hierarchies: too few to show (minHierarchies).`
      : `${stats.hierarchies} hierarchies · p50 ${formatted(stats.p50)} · p90 ${formatted(stats.p90)} · p99 ${formatted(stats.p99)}`;
  for (const p of ["p50", "p90", "p99"] as const) figures.dataset[p] = stats[p] === null ? "" : String(stats[p]);
  figures.dataset["hierarchies"] = String(stats.hierarchies);
}

/** The charts of the chosen week: OS share, feature adoption and the histograms. */
async function drawWeek(key: string): Promise<void> {
  const week = weekSelect.value;
  const [os, features] = await Promise.all([
    getJson<OsStats>(key, queryPath("stats/os", { week })),
    getJson<FeatureStats>(key, queryPath("stats/features", { week })),
  ]);
  drawPanel("os", (canvas) => drawOsShare(canvas, os), "OS");
  drawPanel("features", (canvas) => drawFeatureAdoption(canvas, features), "feature");
  await Promise.all([...document.querySelectorAll<HTMLElement>("[data-histogram]")].map((panel) => drawHistogramPanel(key, panel, week)));
}

async function drawDimension(key: string, list: DimensionList): Promise<void> {
  const name = dimensionSelect.value;
  dimensionDescription.textContent = list.dimensions.find((d) => d.name === name)?.description ?? "";
  const trend = await getJson<DimensionTrend>(key, queryPath(`stats/dimensions/${encodeURIComponent(name)}/trend`, { minHierarchies: minHierarchies() }));
  drawPanel("dimension", (canvas) => drawDimensionTrend(canvas, trend), "week");
}

let dimensionList: DimensionList | undefined;

/** Everything, from the trend and the list of dimensions down. */
async function drawAll(key: string): Promise<void> {
  const [trend, list] = await Promise.all([getJson<WeekTrend>(key, queryPath("stats/trend")), getJson<DimensionList>(key, queryPath("stats/dimensions"))]);
  dimensionList = list;
  const weeks = trend.weeks.filter((w) => w.hierarchies > 0).map((w) => w.week).reverse();
  fillSelect(weekSelect, weeks.map((w) => ({ value: w, text: w })), weekSelect.value === "" ? weeks[0] : weekSelect.value);
  if (weeks.length === 0) return;
  fillSelect(
    dimensionSelect,
    list.dimensions.map((d) => ({ value: d.name, text: `${d.name} (${d.kind})`, title: d.description })),
    dimensionSelect.value === "" ? list.dimensions[0]?.name : dimensionSelect.value,
  );
  drawPanel("versions", (canvas) => drawVersionAdoption(canvas, trend), "week");
  drawPanel("fleet", (canvas) => drawFleetSize(canvas, trend), "week");
  await Promise.all([drawWeek(key), drawDimension(key, list)]);
}

/**
 * Runs one round of drawing with the stored key. A refused key is forgotten and asked for
 * again; any other failure is said in the status line and leaves the key in place.
 */
async function run(task: (key: string) => Promise<void>): Promise<void> {
  const key = readKey();
  if (key === undefined) {
    show("locked", "Enter the query key to see the statistics. It is kept in this tab only.");
    return;
  }
  show("loading", "Loading…");
  try {
    await task(key);
    show("ready", weekSelect.options.length === 0 ? "No data yet: no week has a hierarchy." : `Showing the data as of ${new Date().toLocaleString()}.`);
  } catch (error) {
    if (error instanceof KeyRefusedError) {
      forgetKey();
      clearCharts();
      show("refused", "The query key was refused: check it and enter it again.");
      keyInput.focus();
    } else {
      show("error", `Could not load the statistics: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

keyForm.addEventListener("submit", (event) => {
  event.preventDefault();
  storeKey(keyInput.value.trim());
  keyInput.value = "";
  void run(drawAll);
});
forgetButton.addEventListener("click", () => {
  forgetKey();
  clearCharts();
  weekSelect.replaceChildren();
  show("locked", "The key is forgotten. Enter the query key to see the statistics.");
});
weekSelect.addEventListener("change", () => void run(drawWeek));
dimensionSelect.addEventListener("change", () => void run(async (key) => drawDimension(key, dimensionList ?? { dimensions: [] })));
minHierarchiesInput.addEventListener("change", () => void run(async (key) => {
  await Promise.all([drawWeek(key), drawDimension(key, dimensionList ?? { dimensions: [] })]);
}));

void run(drawAll);
