import * as Plot from "npm:@observablehq/plot";
import {listed, pct, quietMarks} from "./chart-aria.js";

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

/** Below this width the group names go above their rows instead of in a left margin. */
export const NARROW_WIDTH = 560;

const count = (n: number) => n.toLocaleString("en-GB");

/**
 * What a group whose rate is "c" says: the rate is hidden to protect a small
 * count (its own or another's: which, is never published), with the group's
 * published size when there is one, so a large group is not called small.
 */
export function hiddenRateLabel(groupSize: unknown): string {
  return `c: not published, to protect a small count${typeof groupSize === "number" ? ` (${count(groupSize)} contacts in the group)` : ""}`;
}

/**
 * The published rows a {@link PublicRates} chart is drawn from, "c" where suppressed (nothing
 * else): its CSV download.
 * @example rateRows(fairness.groups, "truePositiveRate")[0] // {group: "Female", contacts: 640, count: 210, of: 300, rate: 0.7, "95% low": 0.65, "95% high": 0.75}
 */
export function rateRows(data: Record<string, any>[], rate = "observed", y = "group") {
  return data.map((d) => {
    const r = d[rate] as Rate;
    return {
      group: String(d[y]),
      contacts: d.n as number | "c",
      count: r === "c" ? "c" : r.k,
      of: r === "c" ? "c" : r.n,
      rate: r === "c" ? "c" : r.rate,
      "95% low": r === "c" ? "c" : r.lo,
      "95% high": r === "c" ? "c" : r.hi,
    };
  });
}

/**
 * One published rate per group with its 95% interval; a suppressed rate is written "c"
 * with why, and a group below `minN` is hollow and says "too few to tell". Built from the
 * disclosure-controlled aggregates only. Below {@link NARROW_WIDTH} (a phone) each group's
 * name and size go on a line above its interval, so the chart keeps its width for the rates.
 * @example PublicRates(fairness.groups, {width, y: "group", rate: "truePositiveRate", xLabel: "Found among contacts shared"})
 */
export function PublicRates(
  data: Record<string, any>[],
  {width = 640, y = "group", rate = "observed", xLabel = "Rate", caption, baseline, minN = 30}: PublicRatesOptions = {},
) {
  const narrow = width < NARROW_WIDTH;
  const rows = data.map((d) => ({label: String(d[y]), r: d[rate] as Rate, size: d.n as unknown}));
  const shown = rows.filter((d) => d.r !== "c").map((d) => ({label: d.label, ...(d.r as Exclude<Rate, "c">)}));
  const hidden = rows.filter((d) => d.r === "c");
  const sizeText = (d: {n: number}) => (d.n < minN ? `n = ${d.n}: too few to tell` : `n = ${count(d.n)}`);
  const common = {
    width,
    caption,
    ariaLabel: `${xLabel} by group, ${rows.length} groups`,
    ariaDescription: `${listed(
      rows.map((d) =>
        d.r === "c"
          ? `${d.label}: ${hiddenRateLabel(d.size)}`
          : `${d.label}: ${pct(d.r.rate)} (95% interval ${pct(d.r.lo)} to ${pct(d.r.hi)}), n = ${count(d.r.n)}`,
      ),
      12,
    )}.`,
    // On a phone the axis label is kept short enough to fit; the lines are still 95% intervals.
    x: {domain: [0, 100], percent: true, grid: true, label: narrow ? `${xLabel} (%)` : `${xLabel} (%) with 95% interval`},
  };
  const ruleAndDot = (dy: number) => [
    baseline === undefined ? null : Plot.ruleX([baseline], {strokeDasharray: "4 3", stroke: "#888"}),
    Plot.ruleY(shown, {y: "label", x1: "lo", x2: "hi", stroke: "steelblue", strokeWidth: 2, dy}),
    Plot.dot(shown, {y: "label", x: "rate", r: 4, dy, fill: (d: any) => (d.n < minN ? "white" : "steelblue"), stroke: "steelblue"}),
  ];
  if (narrow) {
    return quietMarks(
      Plot.plot({
        ...common,
        height: 50 + 46 * rows.length,
        marginLeft: 12,
        marginRight: 16,
        y: {label: null, domain: rows.map((d) => d.label), axis: null},
        marks: [
          ...ruleAndDot(7),
          Plot.text(shown, {
            y: "label",
            frameAnchor: "left",
            dy: -10,
            textAnchor: "start",
            text: (d: any) => `${d.label} · ${sizeText(d)}`,
          }),
          Plot.text(hidden, {y: "label", frameAnchor: "left", dy: -10, textAnchor: "start", text: (d: any) => d.label}),
          Plot.text(hidden, {
            y: "label",
            frameAnchor: "left",
            dy: 7,
            textAnchor: "start",
            lineWidth: Math.max(10, (width - 40) / 10), // in ems of the 10 px font
            text: (d: any) => hiddenRateLabel(d.size),
            fill: "currentColor",
            fillOpacity: 0.8,
          }),
        ],
      }),
    );
  }
  return quietMarks(
    Plot.plot({
      ...common,
      height: 40 + 26 * rows.length,
      marginLeft: 190,
      marginRight: 150,
      y: {label: null, domain: rows.map((d) => d.label)},
      marks: [
        ...ruleAndDot(0),
        Plot.text(shown, {y: "label", frameAnchor: "right", dx: 145, textAnchor: "end", text: sizeText}),
        Plot.text(hidden, {
          y: "label",
          x: 0,
          dx: 8,
          textAnchor: "start",
          text: (d: any) => hiddenRateLabel(d.size),
          fill: "currentColor",
          fillOpacity: 0.8,
        }),
      ],
    }),
  );
}
