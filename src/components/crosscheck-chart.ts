import * as Plot from "npm:@observablehq/plot";
import {ragColor} from "../lib/palette.js";
import {count, counted, listed, pct, quietMarks} from "./chart-aria.js";

/**
 * Staff decision rate (dot, 95% interval) beside the model's mean score (tick) per group:
 * where the two part, model and practice disagree.
 * @example CrosscheckChart(byBand, {width, y: "band"})
 */
export function CrosscheckChart(
  data: Record<string, unknown>[],
  {width = 640, y = "key", caption, sort = false}: {width?: number; y?: string; caption?: string; sort?: boolean} = {},
) {
  const rows = sort ? [...data].sort((a, b) => Number(b.rate) - Number(a.rate)) : data;
  const chart = Plot.plot({
    width,
    height: 40 + 20 * rows.length,
    caption,
    ariaLabel: `Share shared by staff and the model's mean score, ${counted(rows.length, "group")}`,
    ariaDescription: `${listed(
      rows.map((d) => `${String(d[y])}: staff shared ${pct(d.rate)}, model ${pct(d.meanScore)} (n = ${count(d.n)})`),
      10,
    )}.`,
    marginLeft: 150,
    marginRight: 90,
    x: {domain: [0, 100], percent: true, grid: true, label: "% shared by staff (dot, 95% CI) · model's mean score (tick)"},
    y: {label: null, domain: rows.map((d) => String(d[y]))},
    marks: [
      Plot.ruleY(rows, {y: (d: any) => String(d[y]), x1: "lo", x2: "hi", stroke: "steelblue", strokeWidth: 2}),
      Plot.dot(rows, {y: (d: any) => String(d[y]), x: "rate", fill: "steelblue", r: 4, tip: true, channels: {n: "n"}}),
      Plot.tickX(rows, {y: (d: any) => String(d[y]), x: "meanScore", stroke: "#c0392b", strokeWidth: 2}),
      Plot.text(rows, {
        y: (d: any) => String(d[y]),
        frameAnchor: "right",
        dx: 85,
        textAnchor: "end",
        text: (d: any) => `n = ${Number(d.n).toLocaleString("en-GB")}`,
      }),
    ],
  });
  return quietMarks(chart);
}

/**
 * The RAG rating given by staff to shared contacts, by the model's 1–20 band.
 * @example RagByBand(rows, {width})
 */
export function RagByBand(data: {band: number; rag: string; n: number}[], {width = 640, caption}: {width?: number; caption?: string} = {}) {
  const bands = data.map((d) => d.band);
  const byRag = ["green", "amber", "red", "missing"].map(
    (rag) => [rag, data.filter((d) => d.rag === rag).reduce((a, d) => a + d.n, 0)] as const,
  );
  const chart = Plot.plot({
    width,
    height: 240,
    caption,
    ariaLabel: "RAG rating of shared contacts by model band",
    ariaDescription: `Shared contacts in bands ${Math.min(...bands)} to ${Math.max(...bands)}, by the rating staff gave: ${listed(byRag.map(([rag, n]) => `${rag} ${count(n)}`))}.`,
    x: {label: "Model band (1 lowest – 20 highest)", type: "band"},
    y: {label: "Shared contacts", grid: true},
    color: {...ragColor(), legend: true},
    marks: [Plot.barY(data, {x: "band", y: "n", fill: "rag", order: ["green", "amber", "red", "missing"], tip: true})],
  });
  return quietMarks(chart);
}
