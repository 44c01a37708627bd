import * as Plot from "npm:@observablehq/plot";
import {counted, pct, quietMarks} from "./chart-aria.js";

/**
 * Per month: the share of contacts flagged as unlikely (bars) and, among them, the share
 * staff shared — false reassurance, measured against staff decisions — with its 95% interval;
 * a thin blue rule beside each bar is the bar's own 95% interval when the rows carry `unlikelyShare`.
 * @example WorkloadChart(rows, {width})
 */
export function WorkloadChart(
  data: {
    period: string;
    unlikely: number;
    n: number;
    missed: number;
    falseReassurance: {rate: number; lo: number; hi: number};
    unlikelyShare?: {lo: number; hi: number};
  }[],
  {width = 640, caption}: {width?: number; caption?: string} = {},
) {
  const rows = data.map((d) => ({
    ...d,
    share: d.n ? d.unlikely / d.n : 0,
    fr: d.falseReassurance.rate,
    lo: d.falseReassurance.lo,
    hi: d.falseReassurance.hi,
    shareLo: d.unlikelyShare?.lo,
    shareHi: d.unlikelyShare?.hi,
  }));
  const flagged = rows.filter((d) => d.unlikely > 0).map((d) => d.fr);
  const range = (values: number[]) => (values.length ? `${pct(Math.min(...values))} to ${pct(Math.max(...values))}` : "–");
  const chart = Plot.plot({
    width,
    height: 280,
    caption,
    ariaLabel: `Share of contacts flagged unlikely and false reassurance by month, ${counted(rows.length, "month")}`,
    ariaDescription: `Flagged unlikely: ${range(rows.map((d) => d.share))} of the month's contacts; of those, shared by staff (false reassurance): ${range(flagged)}.`,
    marginBottom: 40,
    x: {label: null, type: "band", tickRotate: -45},
    y: {domain: [0, 100], percent: true, grid: true, label: "% of the month's contacts"},
    marks: [
      Plot.barY(rows, {x: "period", y: "share", fill: "#cfe0ef", tip: true, channels: {"flagged unlikely": "unlikely", contacts: "n"}}),
      rows.every((d) => d.shareLo !== undefined)
        ? Plot.ruleX(rows, {x: "period", y1: "shareLo", y2: "shareHi", stroke: "#4a78a8", strokeWidth: 1.5, dx: 10})
        : null,
      Plot.ruleX(rows, {x: "period", y1: "lo", y2: "hi", stroke: "#c0392b", strokeWidth: 2}),
      Plot.dot(rows, {
        x: "period",
        y: "fr",
        fill: "#c0392b",
        r: 3,
        tip: true,
        channels: {"staff shared": "missed", "flagged unlikely": "unlikely"},
      }),
    ],
  });
  return quietMarks(chart);
}
