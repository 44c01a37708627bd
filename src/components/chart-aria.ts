/**
 * What a chart says to assistive technology (WCAG 2.2 AA, issue 21). Each chart
 * component passes Plot's top-level `ariaLabel` (the chart's accessible name) and
 * `ariaDescription` (a text summary of what it draws, from its data) and returns
 * the chart through {@link quietMarks}. The e2e page checks run axe-core on every
 * page and fail on a Plot chart without a name (tests/e2e/helpers/browser.ts).
 */

/**
 * The chart, with its mark groups that hold no text hidden from assistive technology.
 * Plot labels each mark's `<g>` with the mark's type ("bar", "line", "dot") but gives
 * it no role, where an aria-label is not allowed (axe-core: aria-prohibited-attr) and
 * tells a listener nothing the chart's name and description do not. Groups holding
 * text (axes, value labels) stay readable. Works on a bare svg or a figure.
 * @example return quietMarks(Plot.plot({ariaLabel: "ROC curves of 2 models", ariaDescription, marks}))
 */
export function quietMarks<T extends Element>(chart: T): T {
  for (const g of chart.querySelectorAll("svg g[aria-label]")) {
    if (!(g.textContent ?? "").trim()) g.setAttribute("aria-hidden", "true");
  }
  return chart;
}

/**
 * Items for a sentence: "a, b and c"; beyond `max`, the first `max` and how many more.
 * @example listed(["police", "school", "health", "LA", "other"], 3) // "police, school, health and 2 more"
 */
export function listed(items: readonly string[], max = 6): string {
  if (items.length === 0) return "none";
  if (items.length > max) return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * A proportion as a percentage for a sentence (NaN as "–").
 * @example pct(0.1234) // "12.3%"
 */
export function pct(x: unknown, digits = 1): string {
  const v = Number(x);
  return Number.isFinite(v) ? `${(100 * v).toFixed(digits)}%` : "–";
}

/**
 * A count for a sentence, grouped as the pages write them.
 * @example count(12345) // "12,345"
 */
export function count(x: unknown): string {
  const v = Number(x);
  return Number.isFinite(v) ? v.toLocaleString("en-GB") : "–";
}

/**
 * Sums of `y` by the value of `key`, largest first.
 * @example totals([{k: "a", n: 2}, {k: "b", n: 5}, {k: "a", n: 4}], "k", "n") // [["a", 6], ["b", 5]]
 */
export function totals(data: readonly Record<string, unknown>[], key: string, y: string): [string, number][] {
  const sums = new Map<string, number>();
  for (const d of data) sums.set(String(d[key]), (sums.get(String(d[key])) ?? 0) + (Number(d[y]) || 0));
  return [...sums].sort((a, b) => b[1] - a[1]);
}

/**
 * Each series' first and last value along `x` (rows in any order), for a line chart's summary:
 * "training: 0.62 (1) to 0.41 (20)".
 * @example trends(rows, {series: "model", x: "epoch", y: "loss", format: (v) => v.toFixed(2)})
 */
export function trends(
  data: readonly Record<string, unknown>[],
  {series, x, y, format}: {series?: string; x: string; y: string; format: (v: number) => string},
): string[] {
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const d of data) {
    if (!Number.isFinite(Number(d[y])) || d[y] === null) continue;
    const k = series ? String(d[series]) : "";
    const rows = groups.get(k) ?? [];
    rows.push(d);
    groups.set(k, rows);
  }
  const order = (v: unknown) => (v instanceof Date ? v.getTime() : (v as number | string));
  const at = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 7) : String(v));
  return [...groups].map(([k, rows]) => {
    const sorted = [...rows].sort((a, b) => (order(a[x]) < order(b[x]) ? -1 : order(a[x]) > order(b[x]) ? 1 : 0));
    const first = sorted[0],
      last = sorted[sorted.length - 1];
    return `${k ? `${k}: ` : ""}${format(Number(first[y]))} (${at(first[x])}) to ${format(Number(last[y]))} (${at(last[x])})`;
  });
}

/**
 * The area under a curve given as points (trapezoids along x, points sorted by x then y):
 * the AUC of an ROC curve drawn from its points.
 * @example curveArea([{fpr: 0, tpr: 0}, {fpr: 1, tpr: 1}], "fpr", "tpr") // 0.5
 */
export function curveArea(points: readonly Record<string, unknown>[], x: string, y: string): number {
  const p = points.map((d) => [Number(d[x]), Number(d[y])]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  p.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let area = 0;
  for (let i = 1; i < p.length; i++) area += ((p[i][0] - p[i - 1][0]) * (p[i][1] + p[i - 1][1])) / 2;
  return area;
}

/**
 * A label for use inside a sentence: first letter lower-cased unless the word is an acronym.
 * @example inSentence("Referral source") // "referral source"
 * @example inSentence("LA services") // "LA services"
 */
export function inSentence(label: string): string {
  return /^\p{Lu}\p{Ll}/u.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}

/**
 * A count with its noun, singular or plural.
 * @example counted(1, "input") // "1 input"
 * @example counted(3, "category", "categories") // "3 categories"
 */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? singular : plural}`;
}
