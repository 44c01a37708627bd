/**
 * Thresholds and workload: what a cut-off would mean. A contact is "flagged" when
 * the model rates it likely to have the outcome (score at or above the threshold,
 * or in the top k of its day); the rest are "flagged as unlikely". The outcome is
 * what is recorded — for the default target, whether staff shared the contact — so
 * among the unflagged, the share with the outcome is the false reassurance measured
 * against staff decisions (the false omission rate), not against what was needed.
 * Every rate carries its counts and a Wilson 95% interval.
 *
 * @example confusion(scores, labels, scores.map((s) => s >= 0.3)) // {tp, fp, tn, fn, n}
 */
import {wilson, type RateInterval} from "./intervals.js";

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  n: number;
}

/** Counts of flagged/unflagged against the outcome. */
export function confusion(labels: ArrayLike<number>, flagged: ArrayLike<boolean | number>): Confusion {
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0;
  for (let i = 0; i < labels.length; i++) {
    if (flagged[i]) labels[i] === 1 ? tp++ : fp++;
    else labels[i] === 1 ? fn++ : tn++;
  }
  return {tp, fp, tn, fn, n: labels.length};
}

export interface ConfusionRates {
  sensitivity: RateInterval;
  specificity: RateInterval;
  ppv: RateInterval;
  npv: RateInterval;
  fpr: RateInterval;
  fnr: RateInterval;
  /** among contacts flagged as unlikely, the share with the outcome (staff shared): "false reassurance", against staff decisions */
  falseOmission: RateInterval;
  /** share of all contacts flagged as likely */
  selection: RateInterval;
  /** share of all contacts flagged as unlikely */
  unlikely: RateInterval;
}

export function rates(c: Confusion): ConfusionRates {
  return {
    sensitivity: wilson(c.tp, c.tp + c.fn),
    specificity: wilson(c.tn, c.tn + c.fp),
    ppv: wilson(c.tp, c.tp + c.fp),
    npv: wilson(c.tn, c.tn + c.fn),
    fpr: wilson(c.fp, c.fp + c.tn),
    fnr: wilson(c.fn, c.fn + c.tp),
    falseOmission: wilson(c.fn, c.fn + c.tn),
    selection: wilson(c.tp + c.fp, c.n),
    unlikely: wilson(c.fn + c.tn, c.n),
  };
}

/** Flags by score: score ≥ threshold. */
export function flagByScore(scores: ArrayLike<number>, threshold: number): Uint8Array {
  return Uint8Array.from(scores as ArrayLike<number>, (s) => (s >= threshold ? 1 : 0));
}

/** Flags by capacity: on each day, the k highest-scoring contacts (ties broken by order of appearance). */
export function flagByCapacity(scores: ArrayLike<number>, days: ArrayLike<string | number>, k: number): Uint8Array {
  const byDay = new Map<string | number, number[]>();
  for (let i = 0; i < scores.length; i++) {
    const list = byDay.get(days[i]);
    if (list) list.push(i);
    else byDay.set(days[i], [i]);
  }
  const out = new Uint8Array(scores.length);
  for (const list of byDay.values()) {
    list.sort((a, b) => scores[b] - scores[a] || a - b);
    for (let j = 0; j < Math.min(k, list.length); j++) out[list[j]] = 1;
  }
  return out;
}

export interface NetBenefit {
  threshold: number;
  model: number;
  /** 95% interval of the model's net benefit (normal approximation to a mean over contacts) */
  lo: number;
  hi: number;
  n: number;
  treatAll: number;
  treatNone: number;
}

/**
 * Decision curve: net benefit = TP/n − FP/n · pt/(1 − pt) at threshold
 * probability pt, for the model (flag score ≥ pt), for flagging everyone, and for
 * flagging no one (0). Vickers & Elkin (2006). The model's net benefit is the mean
 * over contacts of f·(y − (1 − y)·odds), so its 95% interval is mean ± 1.96·sd/√n.
 *
 * @example decisionCurve(scores, labels, [0.1, 0.2]) // [{threshold: 0.1, model, lo, hi, n, treatAll, treatNone: 0}, …]
 */
export function decisionCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, thresholds: number[]): NetBenefit[] {
  const n = labels.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] === 1 ? 1 : 0;
  return thresholds.map((pt) => {
    const c = confusion(labels, flagByScore(scores, pt));
    const odds = pt / (1 - pt);
    const model = c.tp / n - (c.fp / n) * odds;
    // Σ v² over contacts: each true positive contributes 1, each false positive odds².
    const variance = n > 1 ? (c.tp + c.fp * odds * odds - n * model * model) / (n - 1) : NaN;
    const half = 1.959963984540054 * Math.sqrt(Math.max(0, variance) / n);
    return {threshold: pt, model, lo: model - half, hi: model + half, n, treatAll: pos / n - ((n - pos) / n) * odds, treatNone: 0};
  });
}

export interface PeriodWorkload {
  period: string;
  n: number;
  unlikely: number;
  /** flagged as unlikely, but staff shared it (the outcome was recorded) */
  missed: number;
  falseReassurance: RateInterval;
  unlikelyShare: RateInterval;
}

/** Per period (e.g. month): contacts flagged as unlikely, and how many of them had the outcome (staff shared them). */
export function workloadByPeriod(
  periods: ArrayLike<string>,
  labels: ArrayLike<number>,
  flagged: ArrayLike<number | boolean>,
): PeriodWorkload[] {
  const acc = new Map<string, {n: number; unlikely: number; missed: number}>();
  for (let i = 0; i < labels.length; i++) {
    const a = acc.get(periods[i]) ?? {n: 0, unlikely: 0, missed: 0};
    a.n++;
    if (!flagged[i]) {
      a.unlikely++;
      if (labels[i] === 1) a.missed++;
    }
    acc.set(periods[i], a);
  }
  return [...acc.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([period, a]) => ({period, ...a, falseReassurance: wilson(a.missed, a.unlikely), unlikelyShare: wilson(a.unlikely, a.n)}));
}

/**
 * Contacts a day over a set of contacts: n over the days with any contact, and the busiest day's count.
 *
 * @example contactsPerDay(["2018-07-01", "2018-07-01", "2018-07-02"]) // {n: 3, days: 2, perDay: 1.5, busiest: 2}
 */
export function contactsPerDay(days: ArrayLike<string | number>): {n: number; days: number; perDay: number; busiest: number} {
  const perDay = new Map<string | number, number>();
  for (let i = 0; i < days.length; i++) perDay.set(days[i], (perDay.get(days[i]) ?? 0) + 1);
  const counts = [...perDay.values()];
  return {n: days.length, days: counts.length, perDay: counts.length ? days.length / counts.length : NaN, busiest: Math.max(0, ...counts)};
}

export interface CapacityCutoff {
  /** the score from which a fixed cut-off flags about k contacts a day on average */
  threshold: number;
  /** contacts at or above it, and that per day */
  flagged: number;
  perDay: number;
  days: number;
  /** days on which the fixed cut-off flags more than k contacts, and the most it flags in a day */
  daysOver: number;
  maxInADay: number;
}

/**
 * A daily capacity turned into a fixed score cut-off: the score at or above which about
 * k · (days) of the contacts lie, i.e. k a day on average; with how often a fixed cut-off
 * would exceed k on a single day (busy days flag more than quiet ones, which top-k does not).
 *
 * @example capacityCutoff(scores, days, 15) // {threshold: 0.43, flagged: 2760, perDay: 15, days: 184, daysOver: 80, maxInADay: 27}
 */
export function capacityCutoff(scores: ArrayLike<number>, days: ArrayLike<string | number>, k: number): CapacityCutoff {
  const {days: dayCount} = contactsPerDay(days);
  const sorted = Float64Array.from(scores as ArrayLike<number>).sort((a, b) => b - a);
  const want = Math.min(sorted.length, Math.max(1, Math.round(k * dayCount)));
  const threshold = sorted.length ? sorted[want - 1] : NaN;
  const perDayCount = new Map<string | number, number>();
  let flagged = 0;
  for (let i = 0; i < scores.length; i++)
    if (scores[i] >= threshold) (flagged++, perDayCount.set(days[i], (perDayCount.get(days[i]) ?? 0) + 1));
  const counts = [...perDayCount.values()];
  return {
    threshold,
    flagged,
    perDay: dayCount ? flagged / dayCount : NaN,
    days: dayCount,
    daysOver: counts.filter((c) => c > k).length,
    maxInADay: counts.length ? Math.max(...counts) : 0,
  };
}
