import * as Plot from "npm:@observablehq/plot";
import {categorical, modelColor} from "../lib/palette.js";
import {curveArea, listed, quietMarks} from "./chart-aria.js";

export interface RocCurvesOptions {
  width?: number;
  x?: string;
  y?: string;
  stroke?: string;
  caption?: string;
  /** the colour domain (e.g. every model compared), so colours match across charts */
  domain?: string[];
}

/** Models coloured by type (the palette's one colour per model type); when two share a type, one distinct colour each. */
function modelScale(models: readonly string[]): {domain: string[]; range: string[]} {
  const byType = modelColor(models);
  return new Set(byType.range).size === models.length ? byType : categorical(models);
}

/**
 * ROC curves, one line per model, over the diagonal of a model that ranks at chance.
 * @example RocCurves(roc, {width, stroke: "model"})
 */
export function RocCurves(
  data: Record<string, unknown>[],
  {width = 320, x = "fpr", y = "tpr", stroke = "model", caption, domain}: RocCurvesOptions = {},
) {
  const models = [...new Set(data.map((d) => String(d[stroke])))];
  const of = (m: string) => data.filter((d) => String(d[stroke]) === m);
  const auc = (m: string) => curveArea(of(m), x, y).toFixed(3);
  const chart = Plot.plot({
    width,
    height: Math.min(320, width),
    caption,
    ariaLabel: `ROC curves of ${models.length} model${models.length === 1 ? "" : "s"}`,
    ariaDescription: `True positive rate against false positive rate for ${listed(models.map((m) => `${m} (area under the curve ${auc(m)})`))}; the dashed diagonal is a model that ranks at chance (area 0.5).`,
    x: {label: "False positive rate", domain: [0, 1], grid: true},
    y: {label: "True positive rate", domain: [0, 1], grid: true},
    color: {legend: true, ...modelScale(domain ?? models)},
    marks: [
      Plot.line(
        [
          [0, 0],
          [1, 1],
        ],
        {stroke: "currentColor", strokeOpacity: 0.3, strokeDasharray: "4,3"},
      ),
      Plot.line(data, {x, y, stroke, z: stroke, tip: true}),
    ],
  });
  return quietMarks(chart);
}
