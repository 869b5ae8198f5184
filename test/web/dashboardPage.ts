/**
 * Reads the dashboard as a user sees it, through playwright-core: the numbers each panel
 * shows beside its chart (its table, drawn from the chart's own data), a histogram's
 * marked percentiles, and whether a chart's canvas has anything painted on it.
 *
 * The functions passed to `page.evaluate` run in the browser, but the Node program has no
 * DOM types (adding the DOM lib to it would retype fetch and Headers for all the Node
 * code), so they describe the little of the DOM they touch themselves. They are sent to the
 * browser as source, so each names `document` itself rather than calling a helper here.
 */
import type { Page } from "playwright-core";

interface PageElement {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}

interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

interface PageDocument {
  body: PageElement;
  querySelector(selector: string): PageElement | null;
}

/** A panel's table: its column headings and one row per label, numbers exact (`data-value`). */
export interface PanelNumbers {
  columns: string[];
  rows: { label: string; values: (number | null)[] }[];
}

export interface PanelFigures {
  hierarchies: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export async function readNumbers(page: Page, panel: string): Promise<PanelNumbers> {
  return page.evaluate((selector) => {
    const table = (globalThis as unknown as { document: PageDocument }).document.querySelector(selector);
    if (table === null) throw new Error(`no ${selector}`);
    return {
      columns: [...table.querySelectorAll("thead th")].map((th) => th.textContent ?? ""),
      rows: [...table.querySelectorAll("tbody tr")].map((tr) => ({
        label: tr.querySelector("th")?.textContent ?? "",
        values: [...tr.querySelectorAll("td")].map((td) => {
          const value = td.dataset["value"] ?? "";
          return value === "" ? null : Number(value);
        }),
      })),
    };
  }, `[data-panel="${panel}"] table`);
}

/** The figures a histogram panel states and marks: hierarchies and p50/p90/p99 (null when not shown). */
export async function readFigures(page: Page, panel: string): Promise<PanelFigures> {
  return page.evaluate((selector) => {
    const figures = (globalThis as unknown as { document: PageDocument }).document.querySelector(selector);
    if (figures === null) throw new Error(`no ${selector}`);
    const number = (text: string | undefined) => (text === undefined || text === "" ? null : Number(text));
    const data = figures.dataset;
    return { hierarchies: Number(data["hierarchies"]), p50: number(data["p50"]), p90: number(data["p90"]), p99: number(data["p99"]) };
  }, `[data-panel="${panel}"] .figures`);
}

/** How many pixels of the panel's canvas are not transparent: 0 for a chart that drew nothing. */
export async function paintedPixels(page: Page, panel: string): Promise<number> {
  return page.evaluate((selector) => {
    const canvas = (globalThis as unknown as { document: PageDocument }).document.querySelector(selector) as unknown as PageCanvas | null;
    if (canvas === null) throw new Error(`no ${selector}`);
    const data = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) painted += 1;
    return painted;
  }, `[data-panel="${panel}"] canvas`);
}

/** The page's state (`body[data-state]`). */
export async function pageState(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (globalThis as unknown as { document: PageDocument }).document.body.dataset["state"]);
}

/** Waits until the page has finished a round of loading: `ready`, `refused` or `error`. */
export async function settled(page: Page): Promise<string> {
  const handle = await page.waitForFunction(() => {
    const state = (globalThis as unknown as { document: PageDocument }).document.body.dataset["state"];
    return state === "ready" || state === "refused" || state === "error" ? state : false;
  });
  return (await handle.jsonValue()) as string;
}

/** Types the key into the form and waits for the page to settle. */
export async function enterKey(page: Page, key: string): Promise<string> {
  await page.fill("#key-input", key);
  await page.click("#key-form button[type=submit]");
  return settled(page);
}
