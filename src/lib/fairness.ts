/**
 * Fairness: the same error rates, group by group, with their n and intervals, and
 * disparity ratios against a reference group with an interval (Katz's log method),
 * judged against a disparity tolerance with intervals widened for the number of
 * comparisons shown (Bonferroni). A group with fewer than `minN` contacts reads
 * "too few to tell" rather than a verdict. Pure, shared by Node and the browser.
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

/**
 * The standard normal quantile Φ⁻¹(p), by Acklam's rational approximation (relative error
 * below 1.2e-9 over 0 < p < 1): enough for interval multipliers.
 *
 * @example normalQuantile(0.975) // 1.959963…
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p must lie strictly between 0 and 1, got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

/**
 * The two-sided interval multiplier when `comparisons` intervals are read together (Bonferroni):
 * z at 1 − α/(2m), so that all m intervals hold together with probability at least 1 − α. Holm's
 * method is sharper for tests but gives no intervals; Bonferroni's are simple and conservative.
 * Fewer than one comparison: the plain 95% z.
 *
 * @example bonferroniZ(15) // 2.935… (each interval at 99.67%)
 */
export function bonferroniZ(comparisons: number, alpha = 0.05): number {
  return normalQuantile(1 - alpha / (2 * Math.max(1, comparisons)));
}

/** What a disparity ratio says against the tolerance. */
export type Verdict = "within tolerance" | "outside tolerance" | "too few to tell";

/** The default disparity tolerance: a ratio from 0.8 to 1.25 (1/0.8) counts as parity. */
export const DEFAULT_TOLERANCE: readonly [number, number] = [0.8, 1.25];

/**
 * A ratio's verdict against a tolerance [lo, hi]: "within tolerance" when its whole interval lies
 * inside, "outside tolerance" when the whole interval lies beyond one bound, "too few to tell" when
 * the interval spans a bound, cannot be computed (a count of 0) or the group is too small.
 *
 * @example toleranceVerdict({ratio: 1.1, lo: 0.9, hi: 1.2}, [0.8, 1.25]) // "within tolerance"
 */
export function toleranceVerdict(r: Ratio, [lo, hi]: readonly [number, number] = DEFAULT_TOLERANCE, tooFew = false): Verdict {
  if (tooFew || !Number.isFinite(r.lo) || !Number.isFinite(r.hi)) return "too few to tell";
  if (r.lo >= lo && r.hi <= hi) return "within tolerance";
  if (r.hi < lo || r.lo > hi) return "outside tolerance";
  return "too few to tell";
}
