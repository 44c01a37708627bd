import * as Plot from "npm:@observablehq/plot";
import {LOWERS, RAISES} from "../lib/palette.js";
import {counted, listed, quietMarks} from "./chart-aria.js";

/**
 * Each level of a category against a reference level: the difference in log-odds with its
 * 95% interval (a dot on the zero line is the reference itself). Rows without an interval
 * (`lo`/`hi` null: no training contacts, or set by the penalty rather than the data) are
 * drawn as hollow dots at their estimate, or left out when that is null too.
 *
 * @example ContrastChart(rows, {width, reference: "Police"})
 */
export function ContrastChart(
  data: Record<string, unknown>[],
  {
    width = 640,
    x = "estimate",
    y = "label",
    lo = "lo",
    hi = "hi",
    reference = "the reference",
    caption,
  }: {width?: number; x?: string; y?: string; lo?: string; hi?: string; reference?: string; caption?: string} = {},
) {
  const shown = data.filter((d) => d[x] !== null && d[x] !== undefined);
  const withInterval = shown.filter((d) => d[lo] !== null && d[lo] !== undefined && d[hi] !== null && d[hi] !== undefined);
  const without = shown.filter((d) => !withInterval.includes(d));
  const sign = (d: any) => (Number(d[x]) >= 0 ? RAISES : LOWERS);
  const fmt = (d: any) => `${String(d[y])} ${Number(d[x]) >= 0 ? "+" : ""}${Number(d[x]).toFixed(2)}`;
  const chart = Plot.plot({
    width,
    height: 50 + 22 * shown.length,
    caption,
    ariaLabel: `Difference in log-odds from ${reference}, ${counted(shown.length, "level")}`,
    ariaDescription: `Largest first: ${listed([...shown].sort((a, b) => Number(b[x]) - Number(a[x])).map(fmt), 8)}.`,
    marginLeft: 260,
    x: {label: `Difference in log-odds from ${reference} (95% interval)`, grid: true},
    y: {label: null, domain: shown.map((d) => String(d[y]))},
    marks: [
      Plot.ruleX([0], {stroke: "#888"}),
      Plot.ruleY(withInterval, {y, x1: lo, x2: hi, stroke: "steelblue", strokeWidth: 2}),
      Plot.dot(withInterval, {y, x, fill: sign, r: 4, tip: true}),
      Plot.dot(without, {y, x, stroke: sign, fill: "white", r: 4}),
    ],
  });
  return quietMarks(chart);
}
