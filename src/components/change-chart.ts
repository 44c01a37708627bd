import * as Plot from "npm:@observablehq/plot";
import {categorical} from "../lib/palette.js";
import {listed, pct, quietMarks, trends} from "./chart-aria.js";

export interface ChangeChartOptions {
  width?: number;
  x?: string;
  y?: string;
  lo?: string;
  hi?: string;
  /** field of the model's expected rate (dashed) */
  expected?: string;
  stroke?: string;
  /** a change date (vertical rule) or window (shaded) to mark, with its label */
  event?: {label: string; start: string; end?: string};
  yLabel?: string;
  caption?: string;
}

const monthDate = (m: unknown) => new Date(`${String(m)}-01T00:00:00Z`);

/**
 * Sharing rate by month per series with its 95% band, the model's expected rate
 * dashed, and a known change marked (a rule at its date, or a shaded window).
 * @example ChangeChart(rows, {width, stroke: "series", event: {label: "Guidance", start: "2017-10-01"}})
 */
export function ChangeChart(
  data: Record<string, unknown>[],
  {
    width = 640,
    x = "month",
    y = "rate",
    lo = "lo",
    hi = "hi",
    expected = "expected",
    stroke = "series",
    event,
    yLabel = "Shared",
    caption,
  }: ChangeChartOptions = {},
) {
  const rows: Record<string, unknown>[] = data.map((d) => ({...d, _date: monthDate(d[x])}));
  const start = event ? new Date(`${event.start}T00:00:00Z`) : null;
  const end = event?.end ? new Date(Date.parse(`${event.end}T00:00:00Z`) + 864e5) : null;
  const series = [...new Set(rows.map((d) => String(d[stroke])))];
  const marked = event ? `; marked: ${event.label}, ${event.end ? `${event.start} to ${event.end}` : `from ${event.start}`}` : "";
  const chart = Plot.plot({
    width,
    height: 300,
    caption,
    ariaLabel: `${yLabel} (%) by month, ${series.length} series${event ? `, around ${event.label}` : ""}`,
    ariaDescription: `${listed(trends(rows, {series: stroke, x: "_date", y, format: (v) => pct(v)}))}. Shaded: 95% interval; dashed: the model's expected rate${marked}.`,
    x: {type: "utc", label: null},
    y: {percent: true, grid: true, zero: true, label: `${yLabel} (%)`},
    // the site's categorical palette, one colour per series (in order, as the legend lists them)
    color: {legend: true, ...categorical([...series].sort())},
    marks: [
      start && end ? Plot.rectX([{start, end}], {x1: "start", x2: "end", fill: "#f2d98b", fillOpacity: 0.5}) : null,
      start && !end ? Plot.ruleX([start], {stroke: "#b8860b", strokeWidth: 1.5}) : null,
      // A window's label sits left of it (windows tend to end the extract); a change's label right of its rule.
      event
        ? Plot.text([{d: start, t: event.label}], {
            x: "d",
            text: "t",
            frameAnchor: "top",
            dy: 4,
            dx: end ? -4 : 4,
            textAnchor: end ? "end" : "start",
            fontSize: 11,
          })
        : null,
      Plot.areaY(rows, {x: "_date", y1: lo, y2: hi, fill: stroke, fillOpacity: 0.15}),
      Plot.lineY(rows, {x: "_date", y: expected, stroke, strokeDasharray: "4 3", strokeOpacity: 0.8}),
      Plot.lineY(rows, {x: "_date", y, stroke, tip: true, channels: {n: "n"}}),
    ],
  });
  return quietMarks(chart);
}
