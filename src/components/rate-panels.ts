import * as Plot from "npm:@observablehq/plot";
import {listed, pct, quietMarks, trends} from "./chart-aria.js";

export interface RatePanelsOptions {
  width?: number;
  x?: string;
  y?: string;
  lo?: string;
  hi?: string;
  /** the field naming each row's group: one panel per group */
  facet?: string;
  /** the groups in panel order (default: as they first appear in the data) */
  order?: string[];
  /** a reference drawn dashed in every panel (e.g. the overall rate), so panels compare at a glance */
  baseline?: number;
  yLabel?: string;
  caption?: string;
  /** panels per row (default: 3 at 720 px and wider, 2 from 440 px, else 1) */
  columns?: number;
}

/**
 * A rate by month as small multiples: one panel per group, each with its line and
 * 95% band, all on the same scales, so no band hides another. Panels read left to
 * right, top to bottom, each titled with its group.
 * @example RatePanels(monthly, {width, order: largestGroups(rows, 6), baseline: overall.rate, yLabel: "Shared"})
 */
export function RatePanels(
  data: Record<string, unknown>[],
  {
    width = 640,
    x = "month",
    y = "rate",
    lo = "lo",
    hi = "hi",
    facet = "category",
    order,
    baseline,
    yLabel = "Rate",
    caption,
    columns,
  }: RatePanelsOptions = {},
) {
  const groups = order ?? [...new Set(data.map((d) => String(d[facet])))];
  const cols = Math.max(1, Math.min(groups.length, columns ?? (width >= 720 ? 3 : width >= 440 ? 2 : 1)));
  const place = new Map(groups.map((g, i) => [g, {col: i % cols, row: Math.floor(i / cols)}]));
  const rows = data
    .filter((d) => place.has(String(d[facet])))
    .map((d) => ({...d, _date: new Date(`${String(d[x])}-01T00:00:00Z`), ...place.get(String(d[facet]))!}));
  const titles = groups.map((g) => ({title: g, ...place.get(g)!}));
  const panelRows = Math.ceil(groups.length / cols);
  const chart = Plot.plot({
    width,
    height: 40 + 150 * panelRows,
    caption,
    marginTop: 24,
    marginLeft: 44,
    x: {type: "utc", label: null, ticks: Math.max(2, Math.floor(width / cols / 90))},
    // The label would sit on the first panel's title: ticks carry the unit, the aria-label the measure.
    y: {percent: true, grid: true, label: null, ticks: 4, tickFormat: (d: number) => `${d}%`},
    ariaLabel: `${yLabel} (%) by month, one panel per group`,
    ariaDescription: `${listed(trends(rows, {series: facet, x: "_date", y, format: (v) => pct(v)}), 12)}${baseline === undefined ? "" : `; dashed: ${pct(baseline)}`}.`,
    fx: {axis: null, paddingInner: 0.12},
    fy: {axis: null, paddingInner: 0.25},
    marks: [
      Plot.frame({stroke: "#ccc"}),
      baseline === undefined ? null : Plot.ruleY([baseline], {stroke: "#777", strokeDasharray: "4 3"}),
      Plot.areaY(rows, {x: "_date", y1: lo, y2: hi, z: facet, fx: "col", fy: "row", fill: "steelblue", fillOpacity: 0.2}),
      Plot.lineY(rows, {x: "_date", y, z: facet, fx: "col", fy: "row", stroke: "steelblue", tip: true, channels: {group: facet}}),
      Plot.text(titles, {fx: "col", fy: "row", text: "title", frameAnchor: "top-left", dy: -14, fontWeight: "bold", fontSize: 12}),
    ],
  });
  return quietMarks(chart);
}
