import * as Plot from "npm:@observablehq/plot";
import {SPLIT_COLORS} from "../lib/palette.js";
import {listed, quietMarks, trends} from "./chart-aria.js";

export interface TrainingCurvesOptions {
  width?: number;
  x?: string;
  y?: string;
  stroke?: string;
  /** a field to split the chart into side-by-side panels (e.g. "set" when stroke is "model") */
  fx?: string;
  yLabel?: string;
  epochs?: number;
  caption?: string;
  /** the colour domain (e.g. every model compared), so colours match across charts */
  domain?: string[];
}

/**
 * Whole-number ticks from 1 to `last` (epochs have no halves): every epoch up to
 * ten, else every 2nd, 5th, 10th … so about ten remain.
 * @example epochTicks(6) // [1, 2, 3, 4, 5, 6]
 * @example epochTicks(30) // [1, 5, 10, 15, 20, 25, 30]
 */
export function epochTicks(last: number, count = 10): number[] {
  const n = Math.max(1, Math.floor(last));
  const step = [1, 2, 5, 10, 20, 50, 100, 200, 500].find((s) => n / s <= count) ?? Math.ceil(n / count);
  const ticks = [1];
  for (let t = step; t <= n; t += step) if (t > 1) ticks.push(t);
  return ticks;
}

/**
 * A training curve: one line per data set (training, validation) by epoch — or, with
 * `stroke: "model", fx: "set"`, one line per model in a panel per data set.
 * @example TrainingCurves(state.curve, {width, y: "auc", yLabel: "AUC"})
 * @example TrainingCurves(learning, {width, stroke: "model", fx: "set"})
 */
export function TrainingCurves(
  data: Record<string, unknown>[],
  {width = 320, x = "epoch", y = "loss", stroke = "set", fx, yLabel = "Loss", epochs, caption, domain}: TrainingCurvesOptions = {},
) {
  const last = Math.max(2, epochs ?? Math.max(0, ...data.map((d) => Number(d[x])).filter(Number.isFinite)));
  // in panels, a line is a colour in a panel: "logistic, validation"
  const lines = fx ? data.map((d) => ({...d, _line: `${String(d[stroke])}, ${String(d[fx])}`})) : data;
  const chart = Plot.plot({
    width,
    height: 220,
    caption,
    ariaLabel: `${yLabel} by epoch, by ${stroke}${fx ? ` and ${fx}` : ""}`,
    ariaDescription: `${listed(trends(lines, {series: fx ? "_line" : stroke, x, y, format: (v) => v.toFixed(3)}), 8)}.`,
    x: {label: "Epoch", domain: [1, last], ticks: epochTicks(last, fx ? 5 : 10), tickFormat: "d", grid: true},
    y: {label: yLabel, grid: true, zero: false},
    fx: fx ? {label: null} : undefined,
    // by data set: the site's colours for the training and validation splits
    color:
      stroke === "set" && !domain
        ? {legend: true, domain: ["training", "validation"], range: [SPLIT_COLORS.train, SPLIT_COLORS.valid]}
        : {legend: true, domain},
    marks: [Plot.line(data, {x, y, stroke, z: stroke, fx, marker: "circle", tip: stroke === "set" ? undefined : true})],
  });
  return quietMarks(chart);
}
