/**
 * A change-point scan over the sharing rate of one subgroup (say police standard-risk
 * domestic-abuse notifications), case-mix adjusted, to find an unannounced policy change by itself.
 * Each month's adjusted log-odds θ_m is the shift of the case-mix model's expected probabilities
 * (passed in; the model must not know the date) that matches the month's observed shares, with
 * variance v_m = 1 / Σ p(1 − p). For every candidate month c (at least `minSegment` months on each
 * side) a step model — one mean before c, another from c on — is fitted by weighted least squares
 * (weights 1/v_m); its likelihood-ratio statistic is the drop in the weighted sum of squares,
 * divided by the over-dispersion φ = max(1, SS/(months − 2)) of the best fit. The best month is the
 * largest. Significance is calibrated by permutation: the months are shuffled and rescanned, and p
 * is the share of shuffles whose largest statistic reaches the observed one (so a series with no
 * change is claimed at most 5% of the time, whatever the month-to-month noise). The date interval
 * and the step's interval come from a parametric bootstrap of the fitted step (each replicate
 * rescanned, so the step's interval carries the date's uncertainty). Pure, shared by Node and the
 * browser.
 *
 * @example
 *   const r = changePointScan({day, shared, expected});
 *   r.best?.month // "2017-10";  r.step // {value: -0.98, lo: -1.2, hi: -0.77, p: 0.001, …}
 */
import {shiftProbability, shiftToTotal} from "../funnel.js";
import {seeded} from "../random.js";
import {monthIndex, monthLabel} from "./periods.js";
import {estimate, percentileSummary, quantileSorted, tooFew, type Result} from "./result.js";

/** Contacts of the subgroup as aligned columns. */
export interface ChangePointRecords {
  /** contact time as a day number */
  day: ArrayLike<number>;
  /** 1 staff shared, 0 staff did not; anything else (not decided) is left out */
  shared: ArrayLike<number>;
  /** the case-mix model's probability that staff share (a model without calendar terms) */
  expected: ArrayLike<number>;
}

export interface ChangePointOptions {
  /** fewest months on each side of a candidate change */
  minSegment?: number;
  /** fewest decided contacts for a month to enter the series */
  minMonthContacts?: number;
  permutations?: number;
  bootstrap?: number;
  seed?: number;
}

export interface MonthPoint {
  month: string;
  n: number;
  observed: number;
  expected: number;
  /** case-mix adjusted log-odds of sharing against the model (0 = as the model expects) */
  logOdds: number;
  se: number;
}

export interface ChangePointResult {
  months: MonthPoint[];
  /** each candidate month's likelihood-ratio statistic (the profile, for a chart) */
  scan: {month: string; lr: number}[];
  /** the month the step starts, with its statistic; null when the series is too short */
  best: {month: string; lr: number} | null;
  /** months where the bootstrap puts the change 95% of the time */
  dateInterval: {from: string; to: string} | null;
  /** the step on the log-odds scale at the best month; p is the permutation p-value of the scan */
  step: Result;
  /** permutation p-value of the largest statistic (null when too short) */
  p: number | null;
  overdispersion: number | null;
  /** months dropped for fewer than `minMonthContacts` decided contacts */
  monthsDropped: number;
}

interface Scan {
  best: number;
  stat: number;
  stats: Float64Array;
  before: number;
  after: number;
  ss: number;
}

/** Scans a weighted series for one step; candidates c put months c… after the change. */
function scanSeries(theta: ArrayLike<number>, w: ArrayLike<number>, minSegment: number): Scan {
  const M = theta.length;
  const W = new Float64Array(M + 1);
  const S = new Float64Array(M + 1);
  const Q = new Float64Array(M + 1);
  for (let m = 0; m < M; m++) {
    W[m + 1] = W[m] + w[m];
    S[m + 1] = S[m] + w[m] * theta[m];
    Q[m + 1] = Q[m] + w[m] * theta[m] * theta[m];
  }
  const ss = (a: number, b: number) => Q[b] - Q[a] - (S[b] - S[a]) ** 2 / (W[b] - W[a]);
  const total = ss(0, M);
  const stats = new Float64Array(M);
  let best = -1;
  let stat = -Infinity;
  let bestSs = total;
  for (let c = minSegment; c <= M - minSegment; c++) {
    const within = ss(0, c) + ss(c, M);
    stats[c] = Math.max(0, total - within);
    if (stats[c] > stat) {
      stat = stats[c];
      best = c;
      bestSs = within;
    }
  }
  const before = S[best] / W[best];
  const after = (S[M] - S[best]) / (W[M] - W[best]);
  return {best, stat, stats, before, after, ss: bestSs};
}

/** Standard normal draw (Box–Muller) from a seeded uniform generator. */
function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-300))) * Math.cos(2 * Math.PI * rand());
}

/** Monthly case-mix adjusted log-odds of sharing, in time order. */
export function monthlyAdjusted(r: ChangePointRecords, minMonthContacts = 10): {months: MonthPoint[]; dropped: number} {
  const by = new Map<number, number[]>();
  for (let i = 0; i < r.day.length; i++) {
    if (r.shared[i] !== 0 && r.shared[i] !== 1) continue;
    const m = monthIndex(r.day[i]);
    const list = by.get(m) ?? [];
    list.push(i);
    by.set(m, list);
  }
  const months: MonthPoint[] = [];
  let dropped = 0;
  for (const [m, idx] of [...by.entries()].sort((a, b) => a[0] - b[0])) {
    if (idx.length < minMonthContacts) {
      dropped++;
      continue;
    }
    const p = idx.map((i) => r.expected[i]);
    const observed = idx.reduce((a, i) => a + r.shared[i], 0);
    const theta = shiftToTotal(p, Math.min(idx.length - 0.5, Math.max(0.5, observed)));
    let info = 0;
    for (const q of p) {
      const s = shiftProbability(q, theta);
      info += s * (1 - s);
    }
    months.push({
      month: monthLabel(m),
      n: idx.length,
      observed,
      expected: p.reduce((a, b) => a + b, 0),
      logOdds: theta,
      se: 1 / Math.sqrt(info),
    });
  }
  return {months, dropped};
}

/** The scan: best month, its significance by permutation, the date and step with bootstrap intervals. */
export function changePointScan(r: ChangePointRecords, options: ChangePointOptions = {}): ChangePointResult {
  const {minSegment = 3, minMonthContacts = 10, permutations = 999, bootstrap = 500, seed = 20171001} = options;
  const method =
    `Monthly case-mix adjusted log-odds of sharing scanned for one step change (weighted least squares at every month with ` +
    `${minSegment}+ months each side); significance by ${permutations} permutations of the months, date and step intervals ` +
    `from ${bootstrap} parametric bootstrap rescans.`;
  const {months, dropped} = monthlyAdjusted(r, minMonthContacts);
  const M = months.length;
  const n = months.reduce((a, m) => a + m.n, 0);
  if (M < 2 * minSegment) {
    return {
      months,
      scan: [],
      best: null,
      dateInterval: null,
      step: tooFew(n, `${M} months with at least ${minMonthContacts} decided contacts (fewer than ${2 * minSegment})`, method),
      p: null,
      overdispersion: null,
      monthsDropped: dropped,
    };
  }
  const theta = Float64Array.from(months, (m) => m.logOdds);
  const w = Float64Array.from(months, (m) => 1 / (m.se * m.se));
  const found = scanSeries(theta, w, minSegment);
  const phi = Math.max(1, found.ss / (M - 2));
  // permutation null of the largest statistic
  const rand = seeded(seed);
  const order = Array.from({length: M}, (_, i) => i);
  const pt = new Float64Array(M);
  const pw = new Float64Array(M);
  let reach = 0;
  for (let b = 0; b < permutations; b++) {
    for (let i = M - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let i = 0; i < M; i++) ((pt[i] = theta[order[i]]), (pw[i] = w[order[i]]));
    if (scanSeries(pt, pw, minSegment).stat >= found.stat - 1e-12) reach++;
  }
  const p = (reach + 1) / (permutations + 1);
  // parametric bootstrap of the fitted step, rescanned
  const bestIdx: number[] = [];
  const steps: number[] = [];
  const sim = new Float64Array(M);
  for (let b = 0; b < bootstrap; b++) {
    for (let m = 0; m < M; m++) sim[m] = (m < found.best ? found.before : found.after) + normal(rand) * Math.sqrt(phi / w[m]);
    const s = scanSeries(sim, w, minSegment);
    bestIdx.push(s.best);
    steps.push(s.after - s.before);
  }
  bestIdx.sort((a, b) => a - b);
  const value = found.after - found.before;
  const interval = percentileSummary(steps, 0);
  return {
    months,
    scan: months.map((m, c) => ({month: m.month, lr: found.stats[c] / phi})).filter((_, c) => c >= minSegment && c <= M - minSegment),
    best: {month: months[found.best].month, lr: found.stat / phi},
    dateInterval: {
      from: months[Math.floor(quantileSorted(bestIdx, 0.025))].month,
      to: months[Math.ceil(quantileSorted(bestIdx, 0.975))].month,
    },
    step: estimate({value, lo: interval.lo, hi: interval.hi, p, nullValue: 0, n, method}),
    p,
    overdispersion: phi,
    monthsDropped: dropped,
  };
}
