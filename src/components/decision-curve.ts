import * as Plot from "npm:@observablehq/plot";
import {pct, quietMarks} from "./chart-aria.js";

/**
 * Decision curve: net benefit of acting on the model at each threshold probability,
 * against acting on everyone and on no one; a band shows the model's 95% interval
 * when the rows carry `lo` and `hi` (src/lib/thresholds.ts decisionCurve).
 * @example DecisionCurve(rows, {width})
 */
export function DecisionCurve(
  data: {threshold: number; model: number; lo?: number; hi?: number; treatAll: number; treatNone: number}[],
  {width = 640, marker, caption}: {width?: number; marker?: number; caption?: string} = {},
) {
  const long = data.flatMap((d) => [
    {threshold: d.threshold, strategy: "the model", value: d.model},
    {threshold: d.threshold, strategy: "share everything", value: d.treatAll},
    {threshold: d.threshold, strategy: "share nothing", value: d.treatNone},
  ]);
  const top = Math.max(...data.map((d) => d.model), ...data.map((d) => d.treatAll), 0.01);
  const better = data.filter((d) => d.model > Math.max(d.treatAll, d.treatNone)).map((d) => d.threshold);
  const chart = Plot.plot({
    width,
    height: 280,
    caption,
    ariaLabel: "Decision curve: net benefit of the model, of sharing everything and of sharing nothing",
    ariaDescription: better.length
      ? `The model's net benefit is above both alternatives at thresholds from ${pct(Math.min(...better))} to ${pct(Math.max(...better))}.`
      : "The model's net benefit is above neither alternative at any threshold drawn.",
    grid: true,
    x: {label: "Threshold probability", percent: true},
    y: {label: "Net benefit (per contact)", domain: [-0.05, top * 1.1], clamp: true},
    color: {legend: true},
    marks: [
      marker === undefined ? null : Plot.ruleX([marker], {stroke: "#888", strokeDasharray: "2 2"}),
      data.every((d) => d.lo !== undefined && d.hi !== undefined)
        ? Plot.areaY(data, {x: "threshold", y1: "lo", y2: "hi", fill: "currentColor", fillOpacity: 0.12, clip: true})
        : null,
      Plot.line(long, {x: "threshold", y: "value", stroke: "strategy", clip: true}),
    ],
  });
  return quietMarks(chart);
}
