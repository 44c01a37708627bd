import * as Plot from "npm:@observablehq/plot";
import {categorical, CATEGORICAL} from "../lib/palette.js";
import {count, inSentence, listed, quietMarks, totals} from "./chart-aria.js";

export interface ContactsByMonthOptions {
  width?: number;
  height?: number;
  x?: string;
  y?: string;
  fill?: string;
  /** code → label, for the legend */
  labels?: Record<string, string>;
  /** what the colours stand for, for the legend (e.g. the breakdown variable's label) */
  fillLabel?: string;
  /** the most colours drawn: the site's categorical palette's size (20), so no two groups share one */
  maxGroups?: number;
  caption?: string;
}

/** The groups a chart draws: the largest as they are, the rest summed into one, named by the groups it holds. */
export interface GroupedRows {
  rows: {month: string; label: string; n: number}[];
  /** the colour domain: largest group first, the combined one last */
  domain: string[];
  /** the labels summed into the combined group (empty when every group has its colour) */
  combined: string[];
  /** the combined group's label ("" when there is none) */
  combinedLabel: string;
}

/**
 * Keeps the `max - 1` largest groups (by total) and sums the rest per month into one
 * group, when there are more than `max`; labels come from `labels` (code → label).
 * @example groupSmallest(overview.monthly, {max: 10, labels}).combined // ["Housing", "Unknown"]
 */
export function groupSmallest(
  data: Record<string, unknown>[],
  {
    x = "month",
    y = "n",
    fill = "code",
    labels = {},
    max = CATEGORICAL.length,
  }: {x?: string; y?: string; fill?: string; labels?: Record<string, string>; max?: number} = {},
): GroupedRows {
  const labelOf = (d: Record<string, unknown>) => labels[String(d[fill])] ?? String(d[fill]);
  const totals = new Map<string, number>();
  for (const d of data) totals.set(labelOf(d), (totals.get(labelOf(d)) ?? 0) + Number(d[y]));
  const bySize = [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
  const kept = bySize.length > max ? bySize.slice(0, max - 1) : bySize;
  const combined = bySize.slice(kept.length);
  const combinedLabel = combined.length ? `${combined.length} smaller groups combined` : "";
  const sums = new Map<string, {month: string; label: string; n: number}>();
  for (const d of data) {
    const label = combined.includes(labelOf(d)) ? combinedLabel : labelOf(d);
    const key = `${String(d[x])}\u0000${label}`;
    const row = sums.get(key) ?? {month: String(d[x]), label, n: 0};
    row.n += Number(d[y]);
    sums.set(key, row);
  }
  return {rows: [...sums.values()], domain: [...kept, ...(combinedLabel ? [combinedLabel] : [])], combined, combinedLabel};
}

/**
 * Contacts per month, stacked by a category (referral source by default), largest
 * at the bottom. At most `maxGroups` colours: beyond that the smallest groups are
 * summed into one, and the caption names them.
 * @example ContactsByMonth(overview.monthly, {width, labels: {police: "Police"}, fillLabel: "Who made the contact"})
 */
export function ContactsByMonth(
  data: Record<string, unknown>[],
  {
    width = 640,
    height = 320,
    x = "month",
    y = "n",
    fill = "code",
    labels = {},
    fillLabel = "Referral source",
    maxGroups = CATEGORICAL.length,
    caption,
  }: ContactsByMonthOptions = {},
): SVGSVGElement | HTMLElement {
  const grouped = groupSmallest(data, {x, y, fill, labels, max: maxGroups});
  const rows = grouped.rows.map((d) => ({...d, _date: new Date(`${d.month}-01T00:00:00Z`)}));
  const note = grouped.combined.length ? `"${grouped.combinedLabel}": ${grouped.combined.join(", ")}.` : "";
  const months = [...new Set(grouped.rows.map((d) => d.month))].sort();
  const chart = Plot.plot({
    width,
    height,
    caption: [caption, note].filter(Boolean).join(" ") || undefined,
    ariaLabel: `Contacts per month by ${inSentence(fillLabel)}`,
    ariaDescription: `${months.length} months, ${months[0]} to ${months[months.length - 1]}; in all, ${listed(
      totals(grouped.rows, "label", "n").map(([k, v]) => `${k} ${count(v)}`),
      10,
    )}.`,
    x: {type: "utc", label: null},
    y: {grid: true, label: "Contacts per month"},
    color: {legend: true, label: fillLabel, ...categorical(grouped.domain)},
    marks: [
      Plot.rectY(rows, {
        x: "_date",
        interval: "month",
        y: "n",
        fill: "label",
        order: grouped.domain,
        tip: true,
        title: (d: {label: string; n: number}) => `${d.label}: ${d.n.toLocaleString("en-GB")}`,
      }),
      Plot.ruleY([0]),
    ],
  });
  return quietMarks(chart);
}
