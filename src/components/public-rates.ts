import * as Plot from "npm:@observablehq/plot";

/** A rate as published: counts with a Wilson interval, or "c" when suppressed. */
export type Rate = {k: number; n: number; rate: number; lo: number; hi: number} | "c";

export interface PublicRatesOptions {
  width?: number;
  y?: string;
  rate?: string;
  xLabel?: string;
  caption?: string;
  baseline?: number;
  /** below this many contacts (the rate's denominator) a group is drawn hollow and labelled "too few to tell" */
  minN?: number;
}

/**
 * One published rate per group with its 95% interval; a suppressed rate is written "c"
 * in place of a dot, and a group below `minN` is hollow and says "too few to tell". Built from the disclosure-controlled aggregates only.
 * @example PublicRates(fairness.groups, {width, y: "group", rate: "truePositiveRate", xLabel: "Found among contacts shared"})
 */
export function PublicRates(
  data: Record<string, any>[],
  {width = 640, y = "group", rate = "observed", xLabel = "Rate", caption, baseline, minN = 30}: PublicRatesOptions = {},
) {
  const rows = data.map((d) => ({label: String(d[y]), r: d[rate] as Rate}));
  const shown = rows.filter((d) => d.r !== "c").map((d) => ({label: d.label, ...(d.r as Exclude<Rate, "c">)}));
  const hidden = rows.filter((d) => d.r === "c");
  return Plot.plot({
    width,
    height: 40 + 26 * rows.length,
    caption,
    marginLeft: 190,
    marginRight: 150,
    x: {domain: [0, 100], percent: true, grid: true, label: `${xLabel} (%) with 95% interval`},
    y: {label: null, domain: rows.map((d) => d.label)},
    marks: [
      baseline === undefined ? null : Plot.ruleX([baseline], {strokeDasharray: "4 3", stroke: "#888"}),
      Plot.ruleY(shown, {y: "label", x1: "lo", x2: "hi", stroke: "steelblue", strokeWidth: 2}),
      Plot.dot(shown, {y: "label", x: "rate", r: 4, fill: (d: any) => (d.n < minN ? "white" : "steelblue"), stroke: "steelblue"}),
      Plot.text(shown, {
        y: "label",
        frameAnchor: "right",
        dx: 145,
        textAnchor: "end",
        text: (d: any) => (d.n < minN ? `n = ${d.n}: too few to tell` : `n = ${d.n.toLocaleString("en-GB")}`),
      }),
      Plot.text(hidden, {y: "label", x: 0, dx: 8, textAnchor: "start", text: () => "c (small numbers)", fill: "#666"}),
    ],
  });
}
