import * as Plot from "npm:@observablehq/plot";
import {counted, listed, pct, quietMarks} from "./chart-aria.js";

export interface PublicCalibrationOptions {
  width?: number;
  x?: string;
  y?: string;
  caption?: string;
}

type Observed = {k?: number; n: number; rate: number; lo: number; hi: number} | "c";

/**
 * The published rows a {@link PublicCalibration} chart is drawn from, "c" where suppressed
 * (nothing else): its CSV download.
 * @example calibrationRows(results.calibration)[0] // {group: "tenth 1", contacts: 1247, predicted: 0.05, observed: 0.04, "95% low": 0.03, "95% high": 0.05}
 */
export function calibrationRows(data: {group: string; n: number | "c"; predicted: number | "c"; observed: Observed}[]) {
  return data.map((d) => ({
    group: d.group,
    contacts: d.n,
    predicted: d.predicted,
    observed: d.observed === "c" ? "c" : d.observed.rate,
    "95% low": d.observed === "c" ? "c" : d.observed.lo,
    "95% high": d.observed === "c" ? "c" : d.observed.hi,
  }));
}

/**
 * Calibration from published aggregates: for each group of contacts (tenths by score), the
 * mean predicted probability against the observed rate with its 95% interval; the diagonal is
 * perfect calibration. Groups whose counts are suppressed ("c") are left out.
 * @example PublicCalibration(results.calibration, {width})
 */
export function PublicCalibration(
  data: Record<string, any>[],
  {width = 640, x = "predicted", y = "observed", caption}: PublicCalibrationOptions = {},
) {
  const rows = data
    .filter((d) => d[x] !== "c" && d[y] !== "c")
    .map((d) => ({predicted: d[x] as number, ...(d[y] as {rate: number; lo: number; hi: number; n: number})}));
  const chart = Plot.plot({
    width,
    height: Math.min(420, width),
    caption,
    ariaLabel: `Calibration: observed rate against predicted probability in ${counted(rows.length, "group")}`,
    ariaDescription: `${listed(
      rows.map((d) => `predicted ${pct(d.predicted)}: observed ${pct(d.rate)} (${pct(d.lo)} to ${pct(d.hi)})`),
      10,
    )}; on the dashed diagonal the score means what it says.`,
    x: {domain: [0, 100], percent: true, grid: true, label: "Predicted (%)"},
    y: {domain: [0, 100], percent: true, grid: true, label: "Observed (%) with 95% interval"},
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1],
        ],
        {stroke: "#aaa", strokeDasharray: "4 3"},
      ),
      Plot.ruleX(rows, {x: "predicted", y1: "lo", y2: "hi", stroke: "steelblue"}),
      Plot.dot(rows, {x: "predicted", y: "rate", fill: "steelblue", r: 4, title: (d: any) => `n = ${d.n}`}),
    ],
  });
  return quietMarks(chart);
}
