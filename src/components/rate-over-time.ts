import * as Plot from "npm:@observablehq/plot";
import {counted, listed, pct, quietMarks, trends} from "./chart-aria.js";

export interface RateOverTimeOptions {
  width?: number;
  x?: string;
  y?: string;
  lo?: string;
  hi?: string;
  stroke?: string;
  yLabel?: string;
  caption?: string;
}

/**
 * A rate by month per category, with its 95% band.
 * @example RateOverTime(rows, {width, stroke: "category"})
 */
export function RateOverTime(
  data: Record<string, unknown>[],
  {width = 640, x = "month", y = "rate", lo = "lo", hi = "hi", stroke = "category", yLabel = "Rate", caption}: RateOverTimeOptions = {},
) {
  const rows: Record<string, unknown>[] = data.map((d) => ({...d, _date: new Date(`${String(d[x])}-01T00:00:00Z`)}));
  const chart = Plot.plot({
    width,
    height: 280,
    caption,
    ariaLabel: `${yLabel} (%) by month, ${counted(new Set(data.map((d) => String(d[stroke]))).size, "category", "categories")}`,
    ariaDescription: `${listed(trends(rows, {series: stroke, x: "_date", y, format: (v) => pct(v)}), 12)}; shaded: 95% interval.`,
    x: {type: "utc", label: null},
    y: {percent: true, grid: true, label: `${yLabel} (%)`},
    color: {legend: true},
    marks: [
      Plot.areaY(rows, {x: "_date", y1: lo, y2: hi, fill: stroke, fillOpacity: 0.15}),
      Plot.lineY(rows, {x: "_date", y, stroke, tip: true}),
    ],
  });
  return quietMarks(chart);
}
