import type { Chart } from "chart.js";

/** A number as the table shows it, and the exact number in `data-value` for whoever reads the page. */
function numberCell(value: unknown): HTMLTableCellElement {
  const cell = document.createElement("td");
  const n = typeof value === "number" ? value : null;
  cell.textContent = n === null ? "–" : n.toLocaleString("en-US", { maximumFractionDigits: 2 });
  cell.dataset["value"] = n === null ? "" : String(n);
  return cell;
}

/**
 * Fills `table` with the numbers `chart` draws, read from the chart's own data: one row per
 * label, one column per dataset. The same figures as the picture, for screen readers, for
 * copying, and for the browser test to check against the API.
 */
export function renderNumbers(table: HTMLTableElement, chart: Chart, labelHeading: string): void {
  const head = document.createElement("tr");
  for (const text of [labelHeading, ...chart.data.datasets.map((d) => d.label ?? "")]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = text;
    head.append(th);
  }
  const rows = (chart.data.labels ?? []).map((label, i) => {
    const row = document.createElement("tr");
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = String(label);
    row.append(th, ...chart.data.datasets.map((d) => numberCell(d.data[i])));
    return row;
  });
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  tbody.append(...rows);
  table.replaceChildren(thead, tbody);
}
