/**
 * Thresholds and workload: what a cut-off would mean. A contact is "flagged" when
 * the model says it is likely to need the outcome (score at or above the
 * threshold, or in the top k of its day); the rest are "flagged as unlikely", and
 * among those the share that did need it is the false reassurance (the false
 * omission rate). Every rate carries its counts and a Wilson 95% interval.
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
  /** among contacts flagged as unlikely, the share that did need it ("false reassurance") */
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
  treatAll: number;
  treatNone: number;
}

/**
 * Decision curve: net benefit = TP/n − FP/n · pt/(1 − pt) at threshold
 * probability pt, for the model (flag score ≥ pt), for flagging everyone, and for
 * flagging no one (0). Vickers & Elkin (2006).
 */
export function decisionCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, thresholds: number[]): NetBenefit[] {
  const n = labels.length;
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] === 1 ? 1 : 0;
  return thresholds.map((pt) => {
    const c = confusion(labels, flagByScore(scores, pt));
    const odds = pt / (1 - pt);
    return {threshold: pt, model: c.tp / n - (c.fp / n) * odds, treatAll: pos / n - ((n - pos) / n) * odds, treatNone: 0};
  });
}

export interface PeriodWorkload {
  period: string;
  n: number;
  unlikely: number;
  /** flagged as unlikely but needed it */
  missed: number;
  falseReassurance: RateInterval;
  unlikelyShare: RateInterval;
}

/** Per period (e.g. month): contacts flagged as unlikely, and how many of them did need it. */
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
