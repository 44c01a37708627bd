import * as Plot from "npm:@observablehq/plot";
import {FUNNEL_FLAG_COLORS} from "../lib/palette.js";
import {counted, listed, quietMarks} from "./chart-aria.js";

export interface FunnelPlotOptions {
  width?: number;
  /** field of the number of decisions (the funnel's x) */
  x?: string;
  /** field of O/E */
  y?: string;
  /** field naming the unit (a staff member or a team) */
  label?: string;
  /** field holding "high", "low" or null: outside the 99.8% limits */
  flag?: string;
  /** the limit lines: rows of {n, lo95, hi95, lo998, hi998} */
  curve?: {n: number; lo95: number; hi95: number; lo998: number; hi998: number}[];
  xLabel?: string;
  yLabel?: string;
  caption?: string;
}

const flagColour = {domain: Object.keys(FUNNEL_FLAG_COLORS), range: Object.values(FUNNEL_FLAG_COLORS)};

/**
 * A funnel plot: each unit's O/E against its number of decisions, inside the 95%
 * (dashed) and 99.8% (solid) control limits around 1; units outside 99.8% are
 * coloured and named.
 * @example FunnelPlot(c.staff.units, {width, curve: c.staff.curve, yLabel: "Observed ÷ expected information sharing (O/E)"})
 */
export function FunnelPlot(
  data: readonly object[],
  {
    width = 640,
    x = "n",
    y = "ratio",
    label = "unit",
    flag = "flag",
    curve = [],
    xLabel = "Decisions made",
    yLabel = "Observed ÷ expected (O/E)",
    caption,
  }: FunnelPlotOptions = {},
) {
  const rows: Record<string, unknown>[] = (data as Record<string, unknown>[]).map((d) => ({
    ...d,
    _status: d[flag] === "high" ? flagColour.domain[2] : d[flag] === "low" ? flagColour.domain[1] : flagColour.domain[0],
  }));
  const named = rows.filter((d) => d[flag]).sort((a, b) => Number(a[y]) - Number(b[y]));
  const ys = rows.map((d) => Number(d[y])).filter(Number.isFinite);
  const lows = curve.map((c) => c.lo998),
    highs = curve.map((c) => c.hi998);
  const tail = Math.floor(curve.length / 3); // the funnel's wide end would squash the points: clip the y domain there
  const chart = Plot.plot({
    width,
    height: 380,
    caption,
    ariaLabel: `Funnel plot: ${yLabel} against ${xLabel.toLowerCase()}, ${counted(rows.length, "unit")}`,
    ariaDescription: named.length
      ? `${named.length} of ${rows.length} outside the 99.8% limits: ${listed(
          named.map((d) => `${String(d[label])} (${d[flag] === "high" ? "above" : "below"} expected, O/E ${Number(d[y]).toFixed(2)})`),
          10,
        )}.`
      : `All ${rows.length} inside the 99.8% limits around 1.`,
    marginLeft: 50,
    x: {label: xLabel, grid: true},
    y: {label: yLabel, grid: true, domain: [Math.min(...ys, ...lows.slice(tail)) - 0.03, Math.max(...ys, ...highs.slice(tail)) + 0.03]},
    color: {...flagColour, legend: true},
    marks: [
      Plot.ruleY([1], {stroke: "#444"}),
      Plot.lineY(curve, {x: "n", y: "lo95", stroke: "#999", strokeDasharray: "4 3", clip: true}),
      Plot.lineY(curve, {x: "n", y: "hi95", stroke: "#999", strokeDasharray: "4 3", clip: true}),
      Plot.lineY(curve, {x: "n", y: "lo998", stroke: "#555", clip: true}),
      Plot.lineY(curve, {x: "n", y: "hi998", stroke: "#555", clip: true}),
      Plot.dot(rows, {
        x,
        y,
        fill: "_status",
        r: 4,
        stroke: "white",
        tip: true,
        channels: {unit: label, z: "z", observed: "observed", expected: (d: Record<string, unknown>) => Number(d.expected).toFixed(1)},
      }),
      // Named units alternate above and below their dot, so two close outliers stay readable.
      Plot.text(
        named.filter((_, i) => i % 2 === 0),
        {x, y, text: label, dx: 8, dy: -6, textAnchor: "start", fontSize: 11},
      ),
      Plot.text(
        named.filter((_, i) => i % 2 === 1),
        {x, y, text: label, dx: 8, dy: 6, textAnchor: "start", fontSize: 11},
      ),
    ],
  });
  return quietMarks(chart);
}
