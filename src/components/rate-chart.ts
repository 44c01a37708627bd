import * as Plot from "npm:@observablehq/plot";
import {count, counted, listed, pct, quietMarks} from "./chart-aria.js";

export interface RateChartOptions {
  width?: number;
  x?: string;
  y?: string;
  lo?: string;
  hi?: string;
  n?: string;
  /** rows with fewer than this many contacts are drawn hollow and labelled "too few to tell" */
  minN?: number;
  baseline?: number;
  xLabel?: string;
  caption?: string;
}

/**
 * A rate per category with its 95% interval and n; the overall rate as a dashed baseline.
 * @example RateChart(rows, {width, baseline: overall.rate, xLabel: "Shared for information"})
 */
export function RateChart(
  data: Record<string, unknown>[],
  {
    width = 640,
    x = "rate",
    y = "category",
    lo = "lo",
    hi = "hi",
    n = "n",
    minN = 30,
    baseline,
    xLabel = "Rate",
    caption,
  }: RateChartOptions = {},
) {
  const rows = data.map((d) => ({
    ...d,
    _small: Number(d[n]) < minN,
    _label: Number(d[n]) < minN ? `n = ${d[n]}: too few to tell` : `n = ${Number(d[n]).toLocaleString("en-GB")}`,
  }));
  const summary = (d: Record<string, unknown>) =>
    `${String(d[y])}: ${Number(d[n]) < minN ? `n = ${d[n]}, too few to tell` : `${pct(d[x])} (${pct(d[lo])} to ${pct(d[hi])}), n = ${count(d[n])}`}`;
  const chart = Plot.plot({
    width,
    height: 40 + 24 * rows.length,
    caption,
    ariaLabel: `${xLabel} by category, ${counted(rows.length, "category", "categories")}`,
    ariaDescription: `${listed(data.map(summary), 12)}${baseline === undefined ? "" : `; overall ${pct(baseline)} (dashed)`}.`,
    marginLeft: 170,
    marginRight: 150,
    x: {domain: [0, 100], percent: true, grid: true, label: `${xLabel} (%) with 95% interval`},
    y: {label: null, domain: rows.map((r) => String(r[y as keyof typeof r]))},
    marks: [
      baseline === undefined ? null : Plot.ruleX([baseline], {strokeDasharray: "4 3", stroke: "#888"}),
      Plot.ruleY(
        rows.filter((r) => !r._small),
        {y, x1: lo, x2: hi, stroke: "steelblue", strokeWidth: 2},
      ),
      Plot.dot(rows, {x, y, r: 4, fill: (d: any) => (d._small ? "white" : "steelblue"), stroke: "steelblue"}),
      Plot.text(rows, {frameAnchor: "right", y, text: "_label", dx: 145, textAnchor: "end"}),
    ],
  });
  return quietMarks(chart);
}
