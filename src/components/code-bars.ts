import * as Plot from "npm:@observablehq/plot";

export interface CodeBarsOptions {
  width?: number;
  x?: string;
  y?: string;
  labels?: Record<string, string>;
  caption?: string;
}

/**
 * A small distribution: one bar per code (or value), labelled with its count.
 * @example CodeBars(v.distribution, {width: 320, labels})
 */
export function CodeBars(data: Record<string, unknown>[], {width = 320, x = "n", y = "value", labels = {}, caption}: CodeBarsOptions = {}) {
  const rows = data.slice(0, 20).map((d) => ({label: labels[String(d[y])] ?? String(d[y]), n: Number(d[x])}));
  return Plot.plot({
    width,
    height: 20 + 18 * rows.length,
    caption,
    marginLeft: Math.min(160, 8 + 6.5 * Math.max(4, ...rows.map((r) => r.label.length))),
    marginRight: 60,
    x: {axis: null},
    y: {label: null, domain: rows.map((r) => r.label)},
    marks: [
      Plot.barX(rows, {x: "n", y: "label", fill: "#8aa6c1"}),
      Plot.text(rows, {x: "n", y: "label", text: (d: {n: number}) => d.n.toLocaleString("en-GB"), textAnchor: "start", dx: 3}),
    ],
  });
}
