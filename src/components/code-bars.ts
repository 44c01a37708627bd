import * as Plot from "npm:@observablehq/plot";
import {count, listed, quietMarks} from "./chart-aria.js";

export interface CodeBarsOptions {
  width?: number;
  x?: string;
  y?: string;
  labels?: Record<string, string>;
  caption?: string;
  /** the chart's accessible name, e.g. "Distribution of Referral source" */
  ariaLabel?: string;
}

/**
 * The bars a {@link CodeBars} chart draws (the first 20 values, labelled): its CSV download.
 * @example codeBarRows(v.distribution, {labels}) // [{label: "Police", n: 40210}, …]
 */
export function codeBarRows(
  data: Record<string, unknown>[],
  {x = "n", y = "value", labels = {}}: {x?: string; y?: string; labels?: Record<string, string>} = {},
): {label: string; n: number}[] {
  return data.slice(0, 20).map((d) => ({label: labels[String(d[y])] ?? String(d[y]), n: Number(d[x])}));
}

/**
 * A small distribution: one bar per code (or value), labelled with its count.
 * @example CodeBars(v.distribution, {width: 320, labels})
 */
export function CodeBars(
  data: Record<string, unknown>[],
  {width = 320, x = "n", y = "value", labels = {}, caption, ariaLabel = "Distribution of values"}: CodeBarsOptions = {},
) {
  const rows = codeBarRows(data, {x, y, labels});
  const chart = Plot.plot({
    width,
    height: 20 + 18 * rows.length,
    caption,
    ariaLabel,
    ariaDescription: `${rows.length} bar${rows.length === 1 ? "" : "s"}, largest first: ${listed(rows.map((r) => `${r.label} ${count(r.n)}`))}.`,
    marginLeft: Math.min(160, 8 + 6.5 * Math.max(4, ...rows.map((r) => r.label.length))),
    marginRight: 60,
    x: {axis: null},
    y: {label: null, domain: rows.map((r) => r.label)},
    marks: [
      Plot.barX(rows, {x: "n", y: "label", fill: "#8aa6c1"}),
      Plot.text(rows, {x: "n", y: "label", text: (d: {n: number}) => d.n.toLocaleString("en-GB"), textAnchor: "start", dx: 3}),
    ],
  });
  return quietMarks(chart);
}
