/**
 * What every impact estimate returns: a value with its 95% interval, n, a p-value against "no
 * effect" and the method in one sentence the page prints — or, when the data cannot support it,
 * "too few to tell" with the reason, never NaN. Pure, shared by Node and the browser.
 *
 * @example
 *   const r = estimate({value: 0.76, lo: 0.7, hi: 0.82, p: 0.0001, nullValue: 1, n: 5210, method: "…"});
 *   isClaimed(r) // true: the interval excludes 1 and p < 0.05
 *   tooFew(12, "fewer than 30 contacts in the pilot teams during the pilot", "…").status // "too few"
 */

/** An estimate the data support. */
export interface Estimate {
  status: "estimate";
  value: number;
  lo: number;
  hi: number;
  /** two-sided p-value against `nullValue` (the "no effect" value) */
  p: number;
  /** the value meaning "no effect": 1 for ratios, 0 for differences and slopes */
  nullValue: number;
  /** contacts (or the units named in `unit`) the estimate rests on */
  n: number;
  unit: string;
  /** the method in one sentence, for the page */
  method: string;
}

/** An estimate the data cannot support, with the reason in words. */
export interface TooFew {
  status: "too few";
  n: number;
  unit: string;
  reason: string;
  method: string;
}

export type Result = Estimate | TooFew;

/** Below this many contacts in a cell, an estimate reads "too few to tell" (the house rule, src/lib/intervals.ts). */
export const MIN_CONTACTS = 30;

/** Builds an estimate; refuses non-finite numbers so a NaN never reaches a page. */
export function estimate(e: Omit<Estimate, "status" | "unit"> & {unit?: string}): Estimate {
  for (const key of ["value", "lo", "hi", "p", "n"] as const)
    if (!Number.isFinite(e[key])) throw new Error(`impact estimate: ${key} is not a finite number (${e[key]}) in "${e.method}"`);
  return {status: "estimate", unit: "contacts", ...e};
}

/** "Too few to tell", with the reason. */
export function tooFew(n: number, reason: string, method: string, unit = "contacts"): TooFew {
  return {status: "too few", n, unit, reason, method};
}

/** Whether an estimate claims an effect at level `alpha` (p < alpha). "Too few" never does. */
export function isClaimed(r: Result, alpha = 0.05): boolean {
  return r.status === "estimate" && r.p < alpha;
}

/**
 * The estimate in words with its interval and n, or "too few to tell (reason)".
 * @example formatResult(r, (x) => x.toFixed(2)) // "0.76 (95% interval 0.70 to 0.82; n = 5,210 contacts)"
 */
export function formatResult(r: Result, format: (x: number) => string = (x) => x.toFixed(2)): string {
  if (r.status === "too few") return `too few to tell (${r.reason})`;
  return `${format(r.value)} (95% interval ${format(r.lo)} to ${format(r.hi)}; n = ${r.n.toLocaleString("en-GB")} ${r.unit})`;
}

/** The q-quantile of sorted finite values (linear interpolation between order statistics). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const h = (m - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(m - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * A percentile interval and a two-sided p-value from bootstrap replicates: p is twice the smaller
 * share of replicates on either side of `nullValue` (the interval-inversion p-value), at least
 * 1/(replicates + 1).
 */
export function percentileSummary(replicates: number[], nullValue: number): {lo: number; hi: number; p: number; replicates: number} {
  const v = replicates.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const B = v.length;
  if (B === 0) return {lo: NaN, hi: NaN, p: NaN, replicates: 0};
  let below = 0;
  let above = 0;
  for (const x of v) {
    if (x <= nullValue) below++;
    if (x >= nullValue) above++;
  }
  const p = Math.min(1, Math.max(1 / (B + 1), (2 * Math.min(below, above)) / B));
  return {lo: quantileSorted(v, 0.025), hi: quantileSorted(v, 0.975), p, replicates: B};
}
