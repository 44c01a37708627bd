import * as Plot from "npm:@observablehq/plot";
import {count, quietMarks} from "./chart-aria.js";

/** One row of an estimates chart: a label and, when the data support it, an estimate with its 95% interval. */
export interface EstimateRow {
  label: string;
  value: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
}

/**
 * Estimates with their 95% intervals, one row each, against the value meaning "no effect" (a
 * rule) and, optionally, a reference value (dashed: e.g. what was planted). A row the data cannot
 * support is listed as "too few to tell".
 * @example ImpactEstimates(rows, {width, nullValue: 1, label: "Ratio of decision times"})
 */
export function ImpactEstimates(
  data: EstimateRow[],
  {
    width = 640,
    nullValue = 0,
    reference,
    label = "Estimate",
    format = (v: number) => v.toFixed(2),
    caption,
  }: {width?: number; nullValue?: number; reference?: number; label?: string; format?: (v: number) => string; caption?: string} = {},
) {
  const judged = data.filter((d) => d.value !== null && d.lo !== null && d.hi !== null);
  const tooFew = data.filter((d) => !judged.includes(d)).map((d) => d.label);
  const summary = judged.map((d) => `${d.label}: ${format(d.value!)} (${format(d.lo!)} to ${format(d.hi!)}; n = ${count(d.n)})`).join("; ");
  return quietMarks(
    Plot.plot({
      width,
      height: 40 + 28 * Math.max(1, data.length),
      marginLeft: 200,
      caption,
      ariaLabel: `${label} with 95% intervals, ${count(data.length)} rows`,
      ariaDescription: `${summary || "No estimates"}${tooFew.length ? `. Too few to tell: ${tooFew.join(", ")}` : ""}. No effect is ${format(nullValue)}.`,
      x: {grid: true, label},
      y: {domain: data.map((d) => d.label), label: null},
      marks: [
        Plot.ruleX([nullValue], {stroke: "#333"}),
        reference === undefined ? null : Plot.ruleX([reference], {stroke: "#999", strokeDasharray: "4,3"}),
        Plot.ruleY(judged, {y: "label", x1: "lo", x2: "hi", stroke: "#4e79a7", strokeWidth: 2}),
        Plot.dot(judged, {y: "label", x: "value", fill: "#4e79a7", r: 4, tip: true, channels: {n: "n", lo: "lo", hi: "hi"}}),
        Plot.text(
          data.filter((d) => tooFew.includes(d.label)),
          {y: "label", x: nullValue, text: () => "too few to tell", textAnchor: "start", dx: 6, fill: "#555"},
        ),
      ],
    }),
  );
}
