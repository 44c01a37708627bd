import * as Plot from "npm:@observablehq/plot";
import {categorical, modelColor} from "../lib/palette.js";
import {curveArea, listed, pct, quietMarks} from "./chart-aria.js";

/** Models coloured by type (the palette's one colour per model type); when two share a type, one distinct colour each. */
function modelScale(models: readonly string[]): {domain: string[]; range: string[]} {
  const byType = modelColor(models);
  return new Set(byType.range).size === models.length ? byType : categorical(models);
}

export interface CurveChartOptions {
  width?: number;
  x?: string;
  y?: string;
  /** the series field (one line per model) */
  z?: string;
  /** a horizontal reference line (PR: the prevalence) */
  baseline?: number;
  xLabel?: string;
  yLabel?: string;
  caption?: string;
}

/**
 * ROC curves of several models on the same contacts, with the diagonal of a score that ranks at random.
 * @example RocChart(rows, {width, z: "model"})
 */
export function RocChart(
  data: Record<string, unknown>[],
  {
    width = 480,
    x = "fpr",
    y = "tpr",
    z = "model",
    xLabel = "False positive rate",
    yLabel = "True positive rate (sensitivity)",
    caption,
  }: CurveChartOptions = {},
) {
  const models = [...new Set(data.map((d) => String(d[z])))];
  const of = (m: string) => data.filter((d) => String(d[z]) === m);
  const auc = (m: string) => curveArea(of(m), x, y).toFixed(3);
  const chart = Plot.plot({
    width,
    height: Math.min(width, 420),
    caption,
    ariaLabel: `ROC curves of ${models.length} model${models.length === 1 ? "" : "s"}`,
    ariaDescription: `${yLabel} against ${xLabel.toLowerCase()} for ${listed(models.map((m) => `${m} (area under the curve ${auc(m)})`))}; the dashed diagonal is a score that ranks at random (area 0.5).`,
    grid: true,
    x: {domain: [0, 1], label: xLabel},
    y: {domain: [0, 1], label: yLabel},
    color: {legend: true, ...modelScale(models)},
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1],
        ],
        {stroke: "#aaa", strokeDasharray: "4 3"},
      ),
      Plot.line(data, {x, y, stroke: z, strokeWidth: 1.5}),
    ],
  });
  return quietMarks(chart);
}

/**
 * Precision–recall curves; the dashed line is the prevalence (a score with no information).
 * @example PrChart(rows, {width, baseline: 0.26})
 */
export function PrChart(
  data: Record<string, unknown>[],
  {
    width = 480,
    x = "recall",
    y = "precision",
    z = "model",
    baseline,
    xLabel = "Recall (sensitivity)",
    yLabel = "Precision (PPV)",
    caption,
  }: CurveChartOptions = {},
) {
  const models = [...new Set(data.map((d) => String(d[z])))];
  const chart = Plot.plot({
    width,
    height: Math.min(width, 420),
    caption,
    ariaLabel: `Precision–recall curves of ${models.length} model${models.length === 1 ? "" : "s"}`,
    ariaDescription: `${yLabel} against ${xLabel.toLowerCase()} for ${listed(models)}${baseline === undefined ? "" : `; the dashed line is the prevalence, ${pct(baseline)} (a score with no information)`}.`,
    grid: true,
    x: {domain: [0, 1], label: xLabel},
    y: {domain: [0, 1], label: yLabel},
    color: {legend: true, ...modelScale(models)},
    marks: [
      baseline === undefined ? null : Plot.ruleY([baseline], {stroke: "#aaa", strokeDasharray: "4 3"}),
      Plot.line(data, {x, y, stroke: z, strokeWidth: 1.5}),
    ],
  });
  return quietMarks(chart);
}
