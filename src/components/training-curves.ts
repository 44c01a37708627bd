import * as Plot from "npm:@observablehq/plot";

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
 * A training curve: one line per data set (training, validation) by epoch — or, with
 * `stroke: "model", fx: "set"`, one line per model in a panel per data set.
 * @example TrainingCurves(state.curve, {width, y: "auc", yLabel: "AUC"})
 * @example TrainingCurves(learning, {width, stroke: "model", fx: "set"})
 */
export function TrainingCurves(
  data: Record<string, unknown>[],
  {width = 320, x = "epoch", y = "loss", stroke = "set", fx, yLabel = "Loss", epochs, caption, domain}: TrainingCurvesOptions = {},
) {
  return Plot.plot({
    width,
    height: 220,
    caption,
    x: {label: "Epoch", domain: epochs ? [1, Math.max(2, epochs)] : undefined, grid: true},
    y: {label: yLabel, grid: true, zero: false},
    fx: fx ? {label: null} : undefined,
    color: {legend: true, domain: domain ?? (stroke === "set" ? ["training", "validation"] : undefined)},
    marks: [Plot.line(data, {x, y, stroke, z: stroke, fx, marker: "circle", tip: stroke === "set" ? undefined : true})],
  });
}
