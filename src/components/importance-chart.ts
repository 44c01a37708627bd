import * as Plot from "npm:@observablehq/plot";
import {LOWERS, RAISES} from "../lib/palette.js";
import {counted, listed, pct, quietMarks} from "./chart-aria.js";

/**
 * A signed quantity per feature with an interval: permutation importance (AUC drop, range
 * over repeats) or logistic coefficients (log-odds, 95% interval).
 * Long names (dictionary labels) get room with `marginLeft`.
 * @example ImportanceChart(rows, {width, x: "drop", lo: "min", hi: "max", label: "AUC drop when shuffled"})
 */
export function ImportanceChart(
  data: Record<string, unknown>[],
  {
    width = 640,
    x = "value",
    y = "name",
    lo = "lo",
    hi = "hi",
    label = "Value",
    caption,
    marginLeft = 250,
  }: {width?: number; x?: string; y?: string; lo?: string; hi?: string; label?: string; caption?: string; marginLeft?: number} = {},
) {
  const largest = [...data].sort((a, b) => Math.abs(Number(b[x])) - Math.abs(Number(a[x])));
  const chart = Plot.plot({
    width,
    height: 40 + 18 * data.length,
    caption,
    ariaLabel: `${label} by input, ${counted(data.length, "input")}`,
    ariaDescription: `Largest in size first: ${listed(
      largest.map((d) => `${String(d[y])} ${Number(d[x]).toFixed(3)}`),
      8,
    )}.`,
    marginLeft,
    x: {label, grid: true},
    y: {label: null, domain: data.map((d) => String(d[y]))},
    marks: [
      Plot.ruleX([0], {stroke: "#888"}),
      Plot.ruleY(data, {y, x1: lo, x2: hi, stroke: "steelblue"}),
      Plot.dot(data, {y, x, fill: (d: any) => (Number(d[x]) >= 0 ? RAISES : LOWERS), r: 3, tip: true}),
    ],
  });
  return quietMarks(chart);
}

/**
 * Partial dependence: the mean score when every contact is given each value of a feature.
 * @example DependenceChart(points, {width})
 */
export function DependenceChart(
  data: {value: string | number; mean: number}[],
  {width = 320, numeric = false, caption}: {width?: number; numeric?: boolean; caption?: string} = {},
) {
  const low = data.reduce((a, d) => (d.mean < a.mean ? d : a), data[0] ?? {value: "", mean: NaN});
  const high = data.reduce((a, d) => (d.mean > a.mean ? d : a), data[0] ?? {value: "", mean: NaN});
  const aria = {
    ariaLabel: `Partial dependence: mean score for each of ${counted(data.length, "value")}`,
    ariaDescription: `Mean score from ${pct(low.mean)} (${low.value}) to ${pct(high.mean)} (${high.value}).`,
  };
  const chart = numeric
    ? Plot.plot({
        width,
        height: 180,
        caption,
        ...aria,
        grid: true,
        y: {label: "Mean score", percent: true},
        x: {label: null},
        marks: [Plot.line(data, {x: "value", y: "mean"}), Plot.dot(data, {x: "value", y: "mean", r: 3})],
      })
    : Plot.plot({
        width,
        height: 30 + 18 * data.length,
        caption,
        ...aria,
        marginLeft: 150,
        x: {label: "Mean score (%)", percent: true, grid: true},
        y: {label: null},
        marks: [Plot.barX(data, {y: (d: any) => String(d.value), x: "mean", fill: "#9ecae1", sort: {y: "-x"}})],
      });
  return quietMarks(chart);
}
