import * as Plot from "npm:@observablehq/plot";
import {counted, listed, quietMarks} from "./chart-aria.js";

export interface DecisionMixOptions {
  width?: number;
  x?: string;
  y?: string;
  labels?: Record<string, string>;
  caption?: string;
}

/**
 * What the MASH decided: one bar per decision, labelled with count and share.
 * @example DecisionMix(overview.decisions, {width, labels})
 */
export function DecisionMix(
  data: Record<string, unknown>[],
  {width = 640, x = "n", y = "code", labels = {}, caption}: DecisionMixOptions = {},
): SVGSVGElement | HTMLElement {
  const total = data.reduce((a, d) => a + Number(d[x]), 0);
  const rows = data.map((d) => ({
    label: labels[String(d[y])] ?? String(d[y]),
    n: Number(d[x]),
    text: `${Number(d[x]).toLocaleString("en-GB")} (${((100 * Number(d[x])) / total).toFixed(1)}%)`,
  }));
  const chart = Plot.plot({
    width,
    height: 40 + 28 * rows.length,
    caption,
    ariaLabel: `Contacts by decision, ${counted(rows.length, "decision")}`,
    ariaDescription: `${listed(
      [...rows].sort((a, b) => b.n - a.n).map((r) => `${r.label}: ${r.text}`),
      10,
    )}.`,
    marginLeft: 220,
    marginRight: 110,
    x: {grid: true, label: "Contacts"},
    y: {label: null},
    marks: [
      Plot.barX(rows, {x: "n", y: "label", fill: "steelblue", sort: {y: "-x"}}),
      Plot.text(rows, {x: "n", y: "label", text: "text", textAnchor: "start", dx: 4}),
      Plot.ruleX([0]),
    ],
  });
  return quietMarks(chart);
}
