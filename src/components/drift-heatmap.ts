import * as Plot from "npm:@observablehq/plot";
import {counted, listed, quietMarks} from "./chart-aria.js";

/**
 * Population stability index of each model input, training contacts against each later quarter.
 * Below 0.1 little change; 0.1–0.25 some; above 0.25 a shift worth a look.
 * @example DriftHeatmap(rows, {width})
 */
export function DriftHeatmap(
  data: Record<string, unknown>[],
  {
    width = 640,
    x = "quarter",
    y = "variable",
    fill = "psi",
    caption,
  }: {width?: number; x?: string; y?: string; fill?: string; caption?: string} = {},
) {
  const rows = new Set(data.map((d) => String(d[y]))).size;
  const shifted = data.filter((d) => Number(d[fill]) > 0.25).sort((a, b) => Number(b[fill]) - Number(a[fill]));
  const chart = Plot.plot({
    width,
    height: 40 + 16 * rows,
    caption,
    ariaLabel: `Population stability index of ${counted(rows, "input")} by quarter`,
    ariaDescription: shifted.length
      ? `${shifted.length} of ${data.length} values above 0.25 (a shift worth a look): ${listed(shifted.map((d) => `${String(d[y])}, ${String(d[x])}: ${Number(d[fill]).toFixed(2)}`))}.`
      : `None of ${data.length} values above 0.25; the largest is ${Math.max(0, ...data.map((d) => Number(d[fill]) || 0)).toFixed(2)}.`,
    marginLeft: 230,
    x: {label: null, axis: "top"},
    y: {label: null},
    color: {type: "threshold", domain: [0.1, 0.25], range: ["#e8f1e4", "#f6d58e", "#d9534f"], legend: true, label: "PSI"},
    marks: [
      Plot.cell(data, {x, y, fill, tip: true, channels: {n: "n"}}),
      Plot.text(data, {x, y, text: (d: any) => Number(d[fill]).toFixed(2), fontSize: 9}),
    ],
  });
  return quietMarks(chart);
}
