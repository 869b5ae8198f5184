/**
 * What `npm run query` prints for each route's JSON answer: a line saying what the figures
 * are, then the table, with shares as percentages. The trend and list tables reuse the
 * routes' own CSV layouts (shared/query), so the CLI's columns are the CSV's columns.
 */
import type { CsvTable } from "../../shared/http/csv";
import { toDimensionListCsv } from "../../shared/query/dimensionList";
import { toDimensionTrendCsv } from "../../shared/query/dimensionTrend";
import { toHierarchyWeeksCsv } from "../../shared/query/hierarchyWeeks";
import type {
  DimensionList,
  DimensionStats,
  DimensionTrend,
  DistributionDimensionStats,
  FeatureStats,
  HierarchyWeeks,
  OsStats,
  VersionStats,
  WeekTrend,
} from "../../shared/resultsV1";
import { toWeekTrendCsv } from "../../shared/query/weekTrend";
import type { QueryRoute } from "./parseQueryArguments";
import { formatNumber, formatShare, renderTable, type TextColumn, type TextTable } from "./renderTable";

const text = (title: string): TextColumn => ({ title, align: "left" });
const number = (title: string): TextColumn => ({ title, align: "right" });

/** A CSV layout as a text table: a column whose every cell is a number is right-aligned. */
function fromCsvTable(csv: CsvTable): TextTable {
  const columns = csv.header.map((title, i) => (csv.rows.every((row) => typeof row[i] === "number") ? number(title) : text(title)));
  return { columns, rows: csv.rows.map((row) => row.map((cell) => (typeof cell === "number" ? formatNumber(cell) : cell))) };
}

function versions(body: VersionStats): string[] {
  const table = {
    columns: [text("version"), number("hierarchies"), number("share"), number("clients"), number("share")],
    rows: body.versions.map((v) => [v.version, formatNumber(v.hierarchies), formatShare(v.hierarchies, body.hierarchies), formatNumber(v.clients), formatShare(v.clients, body.clients)]),
  };
  return [`Product versions, ${body.week}: ${formatNumber(body.hierarchies)} hierarchies, ${formatNumber(body.clients)} clients`, renderTable(table)];
}

function os(body: OsStats): string[] {
  const table = { columns: [text("os"), number("clients"), number("share")], rows: body.os.map((o) => [o.name, formatNumber(o.clients), formatShare(o.clients, body.clients)]) };
  return [`Operating systems, ${body.week}: ${formatNumber(body.clients)} clients`, renderTable(table)];
}

function features(body: FeatureStats): string[] {
  const table = {
    columns: [text("feature"), number("enabled"), number("share"), number("uses")],
    rows: body.features.map((f) => [f.name, formatNumber(f.enabledHierarchies), formatShare(f.enabledHierarchies, body.hierarchies), formatNumber(f.uses)]),
  };
  return [`Features, ${body.week}: ${formatNumber(body.hierarchies)} hierarchies at enhanced or full (share: of those, enabled)`, renderTable(table)];
}

function distribution(body: DistributionDimensionStats): string[] {
  const figures = { columns: [text("figure"), number("value")], rows: (["sum", "mean", "min", "p50", "p90", "p99", "max"] as const).map((f) => [f, formatNumber(body[f])]) };
  const buckets = {
    columns: [number("from"), number("below"), number("hierarchies"), number("share")],
    rows: body.buckets.map((b) => [formatNumber(b.lower), b.lower === b.upper ? "(exactly)" : formatNumber(b.upper), formatNumber(b.hierarchies), formatShare(b.hierarchies, body.hierarchies)]),
  };
  return [`Dimension ${body.dimension} (distribution), ${body.week}: ${formatNumber(body.hierarchies)} hierarchies`, renderTable(figures), "", renderTable(buckets)];
}

function dimension(body: DimensionStats): string[] {
  if (body.kind === "distribution") return distribution(body);
  const title = `Dimension ${body.dimension} (${body.kind}), ${body.week}: ${formatNumber(body.hierarchies)} hierarchies, ${formatNumber(body.clients)} clients`;
  let table: TextTable;
  switch (body.kind) {
    case "hierarchy":
      table = {
        columns: [text("value"), number("hierarchies"), number("share"), number("clients"), number("share")],
        rows: body.values.map((v) => [v.value, formatNumber(v.hierarchies), formatShare(v.hierarchies, body.hierarchies), formatNumber(v.clients), formatShare(v.clients, body.clients)]),
      };
      break;
    case "set":
      table = {
        columns: [text("value"), number("hierarchies"), number("share"), number("count")],
        rows: body.values.map((v) => [v.value, formatNumber(v.hierarchies), formatShare(v.hierarchies, body.hierarchies), formatNumber(v.count)]),
      };
      break;
    case "clients":
      table = {
        columns: [text("value"), number("clients"), number("share"), number("hierarchies")],
        rows: body.values.map((v) => [v.value, formatNumber(v.clients), formatShare(v.clients, body.clients), formatNumber(v.hierarchies)]),
      };
      break;
  }
  return [title, renderTable(table)];
}

function trend(body: WeekTrend): string[] {
  const span = body.weeks.length === 0 ? "no weeks with data" : `${body.weeks[0]!.week} to ${body.weeks[body.weeks.length - 1]!.week}`;
  return [`Trend, ${span} (version columns: hierarchies)`, renderTable(fromCsvTable(toWeekTrendCsv(body)))];
}

function dimensionTrend(body: DimensionTrend): string[] {
  const unit = body.kind === "distribution" ? "percentiles" : body.kind === "clients" ? "value columns: clients" : "value columns: hierarchies";
  return [`Dimension ${body.dimension} (${body.kind}) by week (${unit})`, renderTable(fromCsvTable(toDimensionTrendCsv(body)))];
}

/**
 * The text printed for a route's JSON answer (without a final newline).
 *
 * @throws TypeError when the body is not the shape the route answers (a service of another version).
 */
export function renderAnswer(route: QueryRoute, body: unknown): string {
  // The shape is the service's to keep (test/functions/openapi.azurite.test.ts holds it to
  // schemas/results.v1.schema.json); a body of another shape throws while it is read.
  switch (route) {
    case "versions":
      return versions(body as VersionStats).join("\n");
    case "os":
      return os(body as OsStats).join("\n");
    case "features":
      return features(body as FeatureStats).join("\n");
    case "trend":
      return trend(body as WeekTrend).join("\n");
    case "hierarchy": {
      const weeks = body as HierarchyWeeks;
      return [`Hierarchy ${weeks.hierarchyId}: ${weeks.weeks.length} weeks`, renderTable(fromCsvTable(toHierarchyWeeksCsv(weeks)))].join("\n");
    }
    case "dimensions":
      return renderTable(fromCsvTable(toDimensionListCsv(body as DimensionList)));
    case "dimension":
      return dimension(body as DimensionStats).join("\n");
    case "dimensionTrend":
      return dimensionTrend(body as DimensionTrend).join("\n");
  }
}
