import * as Plot from "npm:@observablehq/plot";

/**
 * Disparity ratios against a reference group (log scale, 1 = parity) with 95% intervals;
 * groups too small to judge are listed but not drawn.
 * @example RatioChart(rows, {width, label: "FPR ratio"})
 */
export function RatioChart(
  data: {group: string; ratio: number; lo: number; hi: number; n: number; tooFew: boolean; reference: boolean}[],
  {width = 640, label = "Ratio to the reference group", caption}: {width?: number; label?: string; caption?: string} = {},
) {
  const rows = data.map((d) => ({
    ...d,
    _text: d.reference ? `reference, n = ${d.n}` : d.tooFew ? `n = ${d.n}: too few to tell` : `n = ${d.n.toLocaleString("en-GB")}`,
  }));
  const drawn = rows.filter((d) => !d.tooFew && Number.isFinite(d.ratio));
  return Plot.plot({
    width,
    height: 40 + 24 * rows.length,
    caption,
    marginLeft: 180,
    marginRight: 170,
    x: {
      type: "log",
      label: `${label} (log scale) with 95% interval`,
      grid: true,
      tickFormat: "~g",
      domain: [Math.min(0.25, ...drawn.map((d) => d.lo)), Math.max(4, ...drawn.map((d) => d.hi))],
    },
    y: {label: null, domain: rows.map((d) => d.group)},
    marks: [
      Plot.ruleX([1], {stroke: "#888"}),
      Plot.ruleY(drawn, {y: "group", x1: "lo", x2: "hi", stroke: "steelblue", strokeWidth: 2}),
      Plot.dot(drawn, {y: "group", x: "ratio", fill: "steelblue", r: 4}),
      Plot.text(rows, {y: "group", frameAnchor: "right", dx: 165, textAnchor: "end", text: "_text"}),
    ],
  });
}
