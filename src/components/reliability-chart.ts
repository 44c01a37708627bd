import * as Plot from "npm:@observablehq/plot";
import {calibrationColor} from "../lib/palette.js";
import {listed, pct, quietMarks} from "./chart-aria.js";

/**
 * Reliability diagram: observed rate (with its 95% interval) against the mean predicted
 * probability in equal-count bins; on the diagonal, the score means what it says.
 * @example ReliabilityChart(bins, {width, z: "version"})
 */
export function ReliabilityChart(
  data: Record<string, unknown>[],
  {
    width = 480,
    x = "predicted",
    y = "observed",
    lo = "lo",
    hi = "hi",
    z = "version",
    caption,
  }: {width?: number; x?: string; y?: string; lo?: string; hi?: string; z?: string; caption?: string} = {},
) {
  const max = Math.min(1, Math.max(0.1, ...data.map((d) => Math.max(Number(d[hi]), Number(d[x])))) * 1.05);
  const versions = [...new Set(data.map((d) => String(d[z])))];
  const gap = (v: string) => Math.max(0, ...data.filter((d) => String(d[z]) === v).map((d) => Math.abs(Number(d[y]) - Number(d[x]))));
  const chart = Plot.plot({
    width,
    height: Math.min(width, 420),
    caption,
    ariaLabel: `Reliability diagram: observed rate against mean predicted probability, ${listed(versions)}`,
    ariaDescription: `Largest gap between observed and predicted: ${listed(versions.map((v) => `${v} ${pct(gap(v))}`))}; on the dashed diagonal the score means what it says.`,
    grid: true,
    x: {domain: [0, 100 * max], label: "Mean predicted probability (%)", percent: true},
    y: {domain: [0, 100 * max], label: "Observed rate (%) with 95% interval", percent: true},
    color: {legend: true, ...calibrationColor(versions)},
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1],
        ],
        {stroke: "#aaa", strokeDasharray: "4 3", clip: true},
      ),
      Plot.ruleX(data, {x, y1: lo, y2: hi, stroke: z}),
      Plot.line(data, {x, y, stroke: z}),
      Plot.dot(data, {x, y, fill: z, r: 3, tip: true, channels: {n: "n"}}),
    ],
  });
  return quietMarks(chart);
}
