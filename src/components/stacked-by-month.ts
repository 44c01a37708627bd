import * as Plot from "npm:@observablehq/plot";
import {categorical} from "../lib/palette.js";
import {count, inSentence, listed, quietMarks, totals} from "./chart-aria.js";

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
export function StackedByMonth(
  data: Record<string, unknown>[],
  {width = 640, height = 240, x = "month", y = "n", fill = "kind", yLabel = "Rows", fillLabel, caption}: StackedByMonthOptions = {},
) {
  const isMonth = (m: string) => /^\d{4}-\d{2}$/.test(m);
  // Calendar months in order, then anything else (e.g. "(no readable date)") after them.
  const months = [...new Set(data.map((d) => String(d[x])))].sort((a, b) => Number(isMonth(b)) - Number(isMonth(a)) || a.localeCompare(b));
  const chart = Plot.plot({
    width,
    height,
    caption,
    ariaLabel: `${yLabel} by month and ${inSentence(fillLabel ?? fill)}`,
    ariaDescription: `${months.length} months; in all, ${listed(totals(data, fill, y).map(([k, v]) => `${k} ${count(v)}`))}.`,
    x: {
      label: null,
      domain: months,
      ticks: months.filter((m) => m.endsWith("-01") || !isMonth(m)),
      tickFormat: (m: string) => (m.endsWith("-01") ? m.slice(0, 4) : m),
    },
    y: {grid: true, label: yLabel},
    // the site's categorical palette, categories in order
    color: {legend: true, label: fillLabel ?? fill, ...categorical([...new Set(data.map((d) => String(d[fill])))].sort())},
    marks: [Plot.barY(data, {x, y, fill, tip: true}), Plot.ruleY([0])],
  });
  return quietMarks(chart);
}
