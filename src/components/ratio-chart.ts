import * as Plot from "npm:@observablehq/plot";
import {counted, listed, quietMarks} from "./chart-aria.js";

/**
 * Disparity ratios against a reference group (log scale, 1 = parity) with their intervals;
 * groups too small to judge are listed but not drawn. With `tolerance`, the band counted as
 * parity is shaded and each group's verdict is written beside its n.
 * @example RatioChart(rows, {width, label: "FPR ratio", tolerance: [0.8, 1.25], interval: "Bonferroni-adjusted 95% interval"})
 */
export function RatioChart(
  data: {group: string; ratio: number; lo: number; hi: number; n: number; tooFew: boolean; reference: boolean; verdict?: string}[],
  {
    width = 640,
    label = "Ratio to the reference group",
    caption,
    tolerance,
    interval = "95% interval",
  }: {width?: number; label?: string; caption?: string; tolerance?: readonly [number, number]; interval?: string} = {},
) {
  const rows = data.map((d) => ({
    ...d,
    _text: d.reference
      ? `reference, n = ${d.n}`
      : d.tooFew
        ? `n = ${d.n}: too few to tell`
        : `n = ${d.n.toLocaleString("en-GB")}${tolerance && d.verdict ? ` · ${d.verdict}` : ""}`,
  }));
  const drawn = rows.filter((d) => !d.tooFew && Number.isFinite(d.ratio));
  const right = tolerance ? 230 : 170;
  const chart = Plot.plot({
    width,
    height: 40 + 24 * rows.length,
    caption,
    ariaLabel: `${label} by group, ${counted(rows.length, "group")}`,
    ariaDescription: `${listed(
      rows.map((d) =>
        d.reference
          ? `${d.group}: the reference`
          : d.tooFew || !Number.isFinite(d.ratio)
            ? `${d.group}: too few to tell`
            : `${d.group}: ${d.ratio.toFixed(2)} (${d.lo.toFixed(2)} to ${d.hi.toFixed(2)})${tolerance && d.verdict ? `, ${d.verdict}` : ""}`,
      ),
      12,
    )}; 1 is parity.`,
    marginLeft: 180,
    marginRight: right,
    x: {
      type: "log",
      label: `${label} (log scale) with ${interval}`,
      grid: true,
      tickFormat: "~g",
      domain: [
        Math.min(0.25, ...(tolerance ?? []), ...drawn.map((d) => d.lo)),
        Math.max(4, ...(tolerance ?? []), ...drawn.map((d) => d.hi)),
      ],
    },
    y: {label: null, domain: rows.map((d) => d.group)},
    marks: [
      tolerance ? Plot.rect([{x1: tolerance[0], x2: tolerance[1]}], {x1: "x1", x2: "x2", fill: "seagreen", fillOpacity: 0.12}) : null,
      Plot.ruleX([1], {stroke: "#888"}),
      Plot.ruleY(drawn, {y: "group", x1: "lo", x2: "hi", stroke: "steelblue", strokeWidth: 2}),
      Plot.dot(drawn, {y: "group", x: "ratio", fill: "steelblue", r: 4}),
      Plot.text(rows, {y: "group", frameAnchor: "right", dx: right - 5, textAnchor: "end", text: "_text"}),
    ],
  });
  return quietMarks(chart);
}
