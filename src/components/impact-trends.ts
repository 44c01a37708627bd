import * as Plot from "npm:@observablehq/plot";
import {SPLIT_COLORS} from "../lib/palette.js";
import {count, quietMarks} from "./chart-aria.js";

/**
 * Geometric mean hours from contact to decision by month for the pilot teams and the other teams
 * (the parallel-trends picture of a difference-in-differences), the pilot window shaded.
 * @example ImpactTrends(d.decisionTime.monthly, {width, window: {start: "2019-01-01", end: "2019-03-31"}})
 */
export function ImpactTrends(
  data: {month: string; group: string; n: number; geometricMeanHours: number}[],
  {
    width = 640,
    window,
    x = "month",
    y = "geometricMeanHours",
    stroke = "group",
    caption,
  }: {width?: number; window?: {start: string; end: string}; x?: string; y?: string; stroke?: string; caption?: string} = {},
) {
  const rows = data.map((d) => ({...d, date: new Date(`${String((d as Record<string, unknown>)[x])}-01T00:00:00Z`)}));
  const groups = [...new Set(rows.map((d) => String((d as Record<string, unknown>)[stroke])))];
  const summary = groups
    .map((g) => {
      const v = rows
        .filter((d) => String((d as Record<string, unknown>)[stroke]) === g)
        .map((d) => Number((d as Record<string, unknown>)[y]));
      return v.length
        ? `${g}: ${Math.min(...v).toFixed(1)} to ${Math.max(...v).toFixed(1)} hours over ${count(v.length)} months`
        : `${g}: no months`;
    })
    .join("; ");
  return quietMarks(
    Plot.plot({
      width,
      height: 280,
      caption,
      ariaLabel: `Geometric mean hours from contact to decision by month, ${groups.join(" and ")}`,
      ariaDescription: `${summary}.${window ? ` The pilot window ${window.start} to ${window.end} is shaded.` : ""}`,
      x: {type: "utc", label: null},
      y: {grid: true, label: "Hours to decision (geometric mean)", zero: true},
      color: {domain: ["pilot teams", "other teams"], range: [SPLIT_COLORS.pilot, "#7f7f7f"], legend: true},
      marks: [
        window
          ? Plot.rectX([window], {
              x1: (w) => new Date(`${w.start}T00:00:00Z`),
              x2: (w) => new Date(`${w.end}T23:59:59Z`),
              fill: SPLIT_COLORS.pilot,
              fillOpacity: 0.12,
            })
          : null,
        Plot.line(rows, {x: "date", y, stroke, strokeWidth: 1.5}),
        Plot.dot(rows, {x: "date", y, fill: stroke, r: 2, tip: true, channels: {contacts: "n"}}),
      ],
    }),
  );
}
