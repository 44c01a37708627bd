/**
 * Fairness: the same error rates, group by group, with their n and intervals, and
 * disparity ratios against a reference group with an interval (Katz's log method).
 * A group with fewer than `minN` contacts reads "too few to tell" rather than a
 * verdict. Pure, shared by Node and the browser.
 *
 * @example groupMetrics(groups, labels, flagged, scores) // [{group, n, fpr, fnr, …}]
 */
import {MIN_GROUP, wilson, type RateInterval} from "./intervals.js";
import {confusion, rates, type Confusion} from "./thresholds.js";

export interface GroupMetrics {
  group: string;
  n: number;
  tooFew: boolean;
  confusion: Confusion;
  selection: RateInterval;
  fpr: RateInterval;
  fnr: RateInterval;
  falseOmission: RateInterval;
  ppv: RateInterval;
  /** observed outcome rate, and the mean score: calibration in the group */
  observed: RateInterval;
  meanScore: number;
}

/** Per group: selection rate, FPR, FNR, false omission rate, PPV and calibration (mean score vs observed). */
export function groupMetrics(
  groups: ArrayLike<string>,
  labels: ArrayLike<number>,
  flagged: ArrayLike<number | boolean>,
  scores: ArrayLike<number>,
  {minN = MIN_GROUP} = {},
): GroupMetrics[] {
  const index = new Map<string, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const list = index.get(groups[i]);
    if (list) list.push(i);
    else index.set(groups[i], [i]);
  }
  return [...index.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, rows]) => {
      const y = rows.map((i) => labels[i]);
      const c = confusion(
        y,
        rows.map((i) => flagged[i]),
      );
      const r = rates(c);
      let sum = 0;
      for (const i of rows) sum += scores[i];
      return {
        group,
        n: rows.length,
        tooFew: rows.length < minN,
        confusion: c,
        selection: r.selection,
        fpr: r.fpr,
        fnr: r.fnr,
        falseOmission: r.falseOmission,
        ppv: r.ppv,
        observed: wilson(c.tp + c.fn, c.n),
        meanScore: sum / rows.length,
      };
    });
}

export interface Ratio {
  ratio: number;
  lo: number;
  hi: number;
}

/**
 * Ratio of two proportions k1/n1 ÷ k0/n0 with a 95% interval on the log scale
 * (Katz et al. 1978): SE = √(1/k1 − 1/n1 + 1/k0 − 1/n0). NaN when either count is 0.
 */
export function rateRatio(k1: number, n1: number, k0: number, n0: number, z = 1.959963984540054): Ratio {
  if (!(k1 > 0 && k0 > 0 && n1 > 0 && n0 > 0)) return {ratio: NaN, lo: NaN, hi: NaN};
  const ratio = k1 / n1 / (k0 / n0);
  const se = Math.sqrt(1 / k1 - 1 / n1 + 1 / k0 - 1 / n0);
  return {ratio, lo: ratio * Math.exp(-z * se), hi: ratio * Math.exp(z * se)};
}

/** Joins several attributes into intersection labels: "female · white". */
export function intersect(...columns: ArrayLike<string>[]): string[] {
  const n = columns[0]?.length ?? 0;
  return Array.from({length: n}, (_, i) => columns.map((c) => c[i]).join(" · "));
}
