import * as Plot from "npm:@observablehq/plot";

/**
 * Per month: the share of contacts flagged as unlikely to need sharing (bars) and, among
 * them, the share that did need it — false reassurance — with its 95% interval.
 * @example WorkloadChart(rows, {width})
 */
export function WorkloadChart(
  data: {period: string; unlikely: number; n: number; missed: number; falseReassurance: {rate: number; lo: number; hi: number}}[],
  {width = 640, caption}: {width?: number; caption?: string} = {},
) {
  const rows = data.map((d) => ({
    ...d,
    share: d.n ? d.unlikely / d.n : 0,
    fr: d.falseReassurance.rate,
    lo: d.falseReassurance.lo,
    hi: d.falseReassurance.hi,
  }));
  return Plot.plot({
    width,
    height: 280,
    caption,
    marginBottom: 40,
    x: {label: null, type: "band", tickRotate: -45},
    y: {domain: [0, 100], percent: true, grid: true, label: "% of the month's contacts"},
    marks: [
      Plot.barY(rows, {x: "period", y: "share", fill: "#cfe0ef", tip: true, channels: {"flagged unlikely": "unlikely", contacts: "n"}}),
      Plot.ruleX(rows, {x: "period", y1: "lo", y2: "hi", stroke: "#c0392b", strokeWidth: 2}),
      Plot.dot(rows, {
        x: "period",
        y: "fr",
        fill: "#c0392b",
        r: 3,
        tip: true,
        channels: {"needed it": "missed", "flagged unlikely": "unlikely"},
      }),
    ],
  });
}
