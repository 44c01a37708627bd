import * as Plot from "npm:@observablehq/plot";
import {splitColor} from "../lib/palette.js";
import {listed, quietMarks, trends} from "./chart-aria.js";

/**
 * A metric by quarter with its 95% interval, coloured by split (validation, test, pilot).
 * @example QuarterChart(rows, {width, y: "auc", yLabel: "AUC"})
 */
export function QuarterChart(
  data: Record<string, unknown>[],
  {
    width = 640,
    x = "quarter",
    y = "value",
    lo = "lo",
    hi = "hi",
    z = "split",
    yLabel = "AUC with 95% interval",
    baseline,
    caption,
  }: {
    width?: number;
    x?: string;
    y?: string;
    lo?: string;
    hi?: string;
    z?: string;
    yLabel?: string;
    baseline?: number;
    caption?: string;
  } = {},
) {
  const chart = Plot.plot({
    width,
    height: 260,
    caption,
    ariaLabel: `${yLabel} by quarter`,
    ariaDescription: `${listed(trends(data, {series: z, x, y, format: (v) => v.toFixed(3)}))}${baseline === undefined ? "" : `; dashed: ${baseline}`}.`,
    grid: true,
    marginBottom: 40,
    x: {label: null, type: "point", padding: 0.3},
    y: {label: yLabel},
    color: {legend: true, ...splitColor([...new Set(data.map((d) => String(d[z])))])},
    marks: [
      baseline === undefined ? null : Plot.ruleY([baseline], {stroke: "#aaa", strokeDasharray: "4 3"}),
      Plot.ruleX(data, {x, y1: lo, y2: hi, stroke: z, strokeWidth: 2}),
      Plot.dot(data, {x, y, fill: z, r: 4, tip: true, channels: {n: "n"}}),
    ],
  });
  return quietMarks(chart);
}
