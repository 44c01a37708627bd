import * as Plot from "npm:@observablehq/plot";

export interface TrainingCurvesOptions {
  width?: number;
  x?: string;
  y?: string;
  stroke?: string;
  yLabel?: string;
  epochs?: number;
  caption?: string;
}

/**
 * A training curve: one line per data set (training, validation) by epoch.
 * @example TrainingCurves(state.curve, {width, y: "auc", yLabel: "AUC"})
 */
export function TrainingCurves(data: Record<string, unknown>[], {width = 320, x = "epoch", y = "loss", stroke = "set", yLabel = "Loss", epochs, caption}: TrainingCurvesOptions = {}) {
  return Plot.plot({
    width,
    height: 220,
    caption,
    x: {label: "Epoch", domain: epochs ? [1, Math.max(2, epochs)] : undefined, grid: true},
    y: {label: yLabel, grid: true, zero: false},
    color: {legend: true, domain: ["training", "validation"]},
    marks: [Plot.line(data, {x, y, stroke, z: stroke, marker: "circle"})],
  });
}
