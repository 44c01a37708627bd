import * as Plot from "npm:@observablehq/plot";

export interface ContactsByMonthOptions {
  width?: number;
  height?: number;
  x?: string;
  y?: string;
  fill?: string;
  /** code → label, for the legend */
  labels?: Record<string, string>;
  caption?: string;
}

/**
 * Contacts per month, stacked by a category (referral source by default).
 * @example ContactsByMonth(overview.monthly, {width, labels: {police: "Police"}})
 */
export function ContactsByMonth(
  data: Record<string, unknown>[],
  {width = 640, height = 320, x = "month", y = "n", fill = "code", labels = {}, caption}: ContactsByMonthOptions = {},
): SVGSVGElement | HTMLElement {
  const rows = data.map((d) => ({
    ...d,
    _date: new Date(`${String(d[x])}-01T00:00:00Z`),
    _label: labels[String(d[fill])] ?? String(d[fill]),
  }));
  return Plot.plot({
    width,
    height,
    caption,
    x: {type: "utc", label: null},
    y: {grid: true, label: "Contacts per month"},
    color: {legend: true, label: "Referral source"},
    marks: [
      Plot.rectY(rows, {x: "_date", interval: "month", y, fill: "_label", tip: true, title: (d: any) => `${d._label}: ${d[y]}`}),
      Plot.ruleY([0]),
    ],
  });
}
