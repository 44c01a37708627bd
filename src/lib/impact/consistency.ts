/**
 * Consistency between screeners, case-mix adjusted, before against during the pilot. Each
 * screener's effect on sharing is estimated on the log-odds scale against a case-mix model's
 * expected probabilities (passed in): the shift θ that makes the expected shares equal the
 * screener's observed shares, with variance 1 / Σ p(1 − p) at that shift (one-parameter logistic
 * fit with the case-mix log-odds as offset). Expected probabilities are first recalibrated in
 * the large within each period, so a change every screener shares (a policy, a season) is not
 * counted as inconsistency. The spread of screener effects in each period is the
 * DerSimonian–Laird method-of-moments between-screener variance τ²; the pilot's effect is the
 * ratio τ_during / τ_before (the SD ratio: 0.5 when every screener's bias halves; the variance
 * ratio is its square), with a percentile interval from resampling screeners (the same screeners
 * in both periods, kept paired). Only screeners with enough contacts in both periods count.
 * Pure, shared by Node and the browser.
 *
 * @example
 *   screenerConsistency({screener, shared, expected, period}).sdRatio // {value: 0.52, lo: 0.31, hi: 0.81, n: 24 screeners, …}
 */
import {shiftProbability, shiftToTotal} from "../funnel.js";
import {seeded} from "../random.js";
import {Z95} from "./distributions.js";
import {estimate, MIN_CONTACTS, percentileSummary, tooFew, type Result, type TooFew} from "./result.js";
import type {Period} from "./periods.js";

/** Contacts as aligned columns. */
export interface ScreenerRecords {
  screener: ArrayLike<string>;
  /** 1 staff shared, 0 staff did not; anything else (not decided) is left out */
  shared: ArrayLike<number>;
  /** the case-mix model's probability that staff share this contact */
  expected: ArrayLike<number>;
  /** "before", "during" or null (left out): src/lib/impact/periods.ts periodsOf */
  period: ArrayLike<Period | null>;
}

export interface ConsistencyOptions {
  /** fewest decided contacts a screener needs in each period to count */
  minContacts?: number;
  minScreeners?: number;
  replicates?: number;
  seed?: number;
}

/** One screener in one period: observed and expected shares, and the effect on the log-odds scale. */
export interface ScreenerEffect {
  screener: string;
  period: Period;
  n: number;
  observed: number;
  expected: number;
  /** log-odds shift against the case mix (0 = as expected) */
  effect: number;
  se: number;
  lo: number;
  hi: number;
}

/** The between-screener spread in one period. */
export interface PeriodSpread {
  status: "spread";
  period: Period;
  screeners: number;
  contacts: number;
  /** Cochran's Q and its degrees of freedom (screeners − 1): Q near df = no more spread than chance */
  q: number;
  df: number;
  /** τ, the SD of screener effects on the log-odds scale, with a bootstrap interval */
  tau: Result;
  tau2: number;
}

export interface ConsistencyResult {
  effects: ScreenerEffect[];
  before: PeriodSpread | TooFew;
  during: PeriodSpread | TooFew;
  /** τ_during / τ_before: 1 = as consistent as before, 0.5 = half the spread */
  sdRatio: Result;
  /** τ²_during / τ²_before */
  varianceRatio: Result;
  /** screeners left out for too few contacts in one of the periods */
  leftOut: number;
}

interface Unit {
  effect: number;
  variance: number;
}

/** DerSimonian–Laird τ² and Q of effects with known variances. */
export function dersimonianLaird(units: Unit[]): {tau2: number; q: number} {
  let sw = 0;
  let sw2 = 0;
  let swx = 0;
  for (const u of units) {
    const w = 1 / u.variance;
    sw += w;
    sw2 += w * w;
    swx += w * u.effect;
  }
  const mean = swx / sw;
  let q = 0;
  for (const u of units) q += (u.effect - mean) ** 2 / u.variance;
  const tau2 = Math.max(0, (q - (units.length - 1)) / (sw - sw2 / sw));
  return {tau2, q};
}

/** The log-odds shift of one screener's expected probabilities that matches their observed count. */
function screenerEffect(p: number[], observed: number): Unit {
  const n = p.length;
  const target = Math.min(n - 0.5, Math.max(0.5, observed));
  const theta = shiftToTotal(p, target);
  let info = 0;
  for (const q of p) {
    const r = shiftProbability(q, theta);
    info += r * (1 - r);
  }
  return {effect: theta, variance: 1 / info};
}

/** The spread of screener effects before and during the pilot, and their ratio. */
export function screenerConsistency(r: ScreenerRecords, options: ConsistencyOptions = {}): ConsistencyResult {
  const {minContacts = MIN_CONTACTS, minScreeners = 5, replicates = 1000, seed = 20190101} = options;
  const method =
    `Screener effects on sharing on the log-odds scale against the case-mix model (recalibrated within each period), ` +
    `their spread as the DerSimonian–Laird between-screener SD, and the ratio during ÷ before with a 95% percentile ` +
    `interval from ${replicates} resamples of screeners (paired across periods; screeners with at least ${minContacts} decided contacts in both periods).`;
  // recalibrate the case mix in the large within each period
  const rows: Record<Period, number[]> = {before: [], during: []};
  for (let i = 0; i < r.screener.length; i++) {
    const p = r.period[i];
    if (p && (r.shared[i] === 0 || r.shared[i] === 1)) rows[p].push(i);
  }
  const adjusted = new Float64Array(r.screener.length);
  for (const period of ["before", "during"] as const) {
    const idx = rows[period];
    const obs = idx.reduce((a, i) => a + r.shared[i], 0);
    const delta =
      idx.length && obs > 0 && obs < idx.length
        ? shiftToTotal(
            idx.map((i) => r.expected[i]),
            obs,
          )
        : 0;
    for (const i of idx) adjusted[i] = shiftProbability(r.expected[i], delta);
  }
  // per screener and period
  const effects: ScreenerEffect[] = [];
  const units = new Map<string, Partial<Record<Period, Unit & {n: number}>>>();
  for (const period of ["before", "during"] as const) {
    const by = new Map<string, number[]>();
    for (const i of rows[period]) {
      const list = by.get(r.screener[i]) ?? [];
      list.push(i);
      by.set(r.screener[i], list);
    }
    for (const [screener, idx] of [...by.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const p = idx.map((i) => adjusted[i]);
      const observed = idx.reduce((a, i) => a + r.shared[i], 0);
      const u = screenerEffect(p, observed);
      const se = Math.sqrt(u.variance);
      const expectedCount = p.reduce((a, b) => a + b, 0);
      effects.push({
        screener,
        period,
        n: idx.length,
        observed,
        expected: expectedCount,
        effect: u.effect,
        se,
        lo: u.effect - Z95 * se,
        hi: u.effect + Z95 * se,
      });
      if (idx.length >= minContacts) units.set(screener, {...units.get(screener), [period]: {...u, n: idx.length}});
    }
  }
  const paired = [...units.entries()].filter(([, u]) => u.before && u.during).map(([, u]) => u as Record<Period, Unit & {n: number}>);
  const allScreeners = new Set(effects.map((e) => e.screener)).size;
  const leftOut = allScreeners - paired.length;
  const contactsOf = (period: Period) => paired.reduce((a, u) => a + u[period].n, 0);
  if (paired.length < minScreeners) {
    const reason = `${paired.length} screeners with at least ${minContacts} decided contacts in both periods (fewer than ${minScreeners})`;
    const none = tooFew(paired.length, reason, method, "screeners");
    return {effects, before: none, during: none, sdRatio: none, varianceRatio: none, leftOut};
  }
  const dl = (period: Period, list: Record<Period, Unit>[]) => dersimonianLaird(list.map((u) => u[period]));
  const before = dl("before", paired);
  const during = dl("during", paired);
  // bootstrap over screeners, paired
  const rand = seeded(seed);
  const tauB: number[] = [];
  const tauD: number[] = [];
  const ratios: number[] = [];
  for (let b = 0; b < replicates; b++) {
    const sample = Array.from({length: paired.length}, () => paired[Math.floor(rand() * paired.length)]);
    const x = dl("before", sample).tau2;
    const y = dl("during", sample).tau2;
    tauB.push(Math.sqrt(x));
    tauD.push(Math.sqrt(y));
    ratios.push(x > 0 ? Math.sqrt(y / x) : y > 0 ? Infinity : 1);
  }
  const spread = (period: Period, fit: {tau2: number; q: number}, boot: number[]): PeriodSpread => {
    const s = percentileSummary(boot, 0);
    return {
      status: "spread",
      period,
      screeners: paired.length,
      contacts: contactsOf(period),
      q: fit.q,
      df: paired.length - 1,
      tau2: fit.tau2,
      tau: estimate({value: Math.sqrt(fit.tau2), lo: s.lo, hi: s.hi, p: s.p, nullValue: 0, n: paired.length, unit: "screeners", method}),
    };
  };
  const n = paired.length;
  let sdRatio: Result;
  let varianceRatio: Result;
  const s = percentileSummary(ratios, 1);
  if (!(before.tau2 > 0) || !Number.isFinite(s.hi)) {
    const reason = "the spread before the pilot cannot be told apart from none, so a ratio to it has no upper limit";
    sdRatio = tooFew(n, reason, method, "screeners");
    varianceRatio = tooFew(n, reason, method, "screeners");
  } else {
    const value = Math.sqrt(during.tau2 / before.tau2);
    sdRatio = estimate({value, lo: s.lo, hi: s.hi, p: s.p, nullValue: 1, n, unit: "screeners", method});
    varianceRatio = estimate({
      value: value ** 2,
      lo: s.lo ** 2,
      hi: s.hi ** 2,
      p: s.p,
      nullValue: 1,
      n,
      unit: "screeners",
      method: method.replace("the ratio during ÷ before", "the ratio of variances during ÷ before"),
    });
  }
  return {effects, before: spread("before", before, tauB), during: spread("during", during, tauD), sdRatio, varianceRatio, leftOut};
}
