import type { Chart, Plugin } from "chart.js";

/** A vertical line across a histogram: `position` in bars from the first bar's left edge (binPosition). */
export interface PercentileMarker {
  label: string;
  position: number;
}

/**
 * A Chart.js plugin that draws p50/p90/p99 as dashed vertical lines over a histogram whose
 * x axis is one category per equal-width bin. Chart.js has no annotations of its own, and
 * one more dependency for three lines is not worth it.
 */
export function percentileMarkers(markers: readonly PercentileMarker[]): Plugin<"bar"> {
  return {
    id: "percentileMarkers",
    afterDatasetsDraw(chart: Chart<"bar">) {
      const x = chart.scales["x"];
      if (x === undefined || markers.length === 0) return;
      const bars = chart.data.labels?.length ?? 0;
      const width = bars > 1 ? x.getPixelForValue(1) - x.getPixelForValue(0) : chart.chartArea.width;
      const left = x.getPixelForValue(0) - width / 2;
      const { ctx, chartArea } = chart;
      ctx.save();
      ctx.strokeStyle = "#b42318";
      ctx.fillStyle = "#b42318";
      ctx.lineWidth = 1.5;
      ctx.setLineDash([5, 4]);
      ctx.font = "12px system-ui, sans-serif";
      ctx.textAlign = "center";
      markers.forEach((marker, i) => {
        const at = left + marker.position * width;
        ctx.beginPath();
        ctx.moveTo(at, chartArea.top + 14 * (i + 1));
        ctx.lineTo(at, chartArea.bottom);
        ctx.stroke();
        ctx.fillText(marker.label, at, chartArea.top + 14 * (i + 1) - 3);
      });
      ctx.restore();
    },
  };
}
