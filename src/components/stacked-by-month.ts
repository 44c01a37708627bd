import * as Plot from "npm:@observablehq/plot";

export interface StackedByMonthOptions {
  width?: number;
  height?: number;
  x?: string;
  y?: string;
  fill?: string;
  yLabel?: string;
  fillLabel?: string;
  caption?: string;
}

/**
 * Counts by month, stacked by a category: rejects by rule, code mappings by kind.
 * Months that are not YYYY-MM (e.g. "(no readable date)") are drawn apart at the end.
 * @example StackedByMonth(quality.rejectsByMonth, {width, fill: "rule", yLabel: "Rejected rows"})
 */
export function StackedByMonth(data: Record<string, unknown>[], {width = 640, height = 240, x = "month", y = "n", fill = "kind", yLabel = "Rows", fillLabel, caption}: StackedByMonthOptions = {}) {
  const months = [...new Set(data.map((d) => String(d[x])))].sort();
  return Plot.plot({
    width,
    height,
    caption,
    x: {label: null, domain: months, ticks: months.filter((m) => m.endsWith("-01") || !/^\d{4}-\d{2}$/.test(m)), tickFormat: (m: string) => (m.endsWith("-01") ? m.slice(0, 4) : m)},
    y: {grid: true, label: yLabel},
    color: {legend: true, label: fillLabel ?? fill},
    marks: [Plot.barY(data, {x, y, fill, tip: true}), Plot.ruleY([0])],
  });
}
