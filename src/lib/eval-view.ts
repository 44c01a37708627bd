/**
 * The evaluation pages' view of the compact per-contact columns (see
 * loaders/pages/evaluation.ts): decode level-coded columns, pick the split,
 * turn a threshold setting into flags, and build the fairness table with
 * disparity ratios against a reference group. Pure, tested in Node.
 *
 * @example flags({mode: "band", value: 12}, view) // Uint8Array, 1 = flagged as likely to need sharing
 */
import {groupMetrics, intersect, rateRatio, type GroupMetrics, type Ratio} from "./fairness.js";
import {flagByCapacity} from "./thresholds.js";

export interface Coded {
  levels: string[];
  codes: number[];
}

export interface Cohort {
  target: string;
  n: number;
  split: Coded;
  day: Coded;
  y: number[];
  groups: Record<string, Coded>;
}

export interface ModelColumns {
  id: string;
  cohort: number;
  score: number[];
  band: number[];
  /** household-history contribution per contact; null for a score column (no model to explain) */
  household: (number | null)[];
}

export const decode = (c: Coded): string[] => c.codes.map((k) => c.levels[k]);

/** The contacts of one split (default test) for one model: plain arrays, aligned. */
export interface View {
  n: number;
  day: string[];
  month: string[];
  y: number[];
  score: number[];
  band: number[];
  household: (number | null)[];
  groups: Record<string, string[]>;
}

export function view(cohort: Cohort, model: ModelColumns, split = "test"): View {
  const splits = decode(cohort.split);
  const idx = splits.map((s, i) => (s === split ? i : -1)).filter((i) => i >= 0);
  const day = decode(cohort.day);
  const take = <T>(xs: T[]) => idx.map((i) => xs[i]);
  return {
    n: idx.length,
    day: take(day),
    month: take(day).map((d) => d.slice(0, 7)),
    y: take(cohort.y),
    score: take(model.score),
    band: take(model.band),
    household: take(model.household),
    groups: Object.fromEntries(Object.entries(cohort.groups).map(([k, c]) => [k, take(decode(c))])),
  };
}

export type Threshold = {mode: "score"; value: number} | {mode: "band"; value: number} | {mode: "capacity"; value: number};

/** 1 = flagged as likely to need the outcome; 0 = flagged as unlikely. */
export function flags(t: Threshold, v: Pick<View, "score" | "band" | "day">): Uint8Array {
  if (t.mode === "score") return Uint8Array.from(v.score, (s) => (s >= t.value ? 1 : 0));
  if (t.mode === "band") return Uint8Array.from(v.band, (b) => (b >= t.value ? 1 : 0));
  return flagByCapacity(v.score, v.day, t.value);
}

export interface FairnessRow extends GroupMetrics {
  reference: boolean;
  fprRatio: Ratio;
  fnrRatio: Ratio;
  selectionRatio: Ratio;
  /** mean household-history contribution to the log-odds in the group */
  householdMean: number;
}

/**
 * Per group of one attribute (or the intersection of several): the error rates
 * and their ratios to the reference group (default: the largest group).
 */
export function fairnessTable(
  v: View,
  attributes: string[],
  flagged: ArrayLike<number>,
  {reference, minN}: {reference?: string; minN?: number} = {},
): FairnessRow[] {
  if (!attributes.length) throw new Error("fairness: choose at least one attribute");
  for (const a of attributes)
    if (!v.groups[a]) throw new Error(`fairness: unknown attribute "${a}"; known: ${Object.keys(v.groups).join(", ")}`);
  const groups = attributes.length === 1 ? v.groups[attributes[0]] : intersect(...attributes.map((a) => v.groups[a]));
  const rows = groupMetrics(groups, v.y, flagged, v.score, {minN});
  const ref = rows.find((r) => r.group === reference) ?? [...rows].sort((a, b) => b.n - a.n)[0];
  const hh = new Map<string, {s: number; n: number}>();
  groups.forEach((g, i) => {
    const a = hh.get(g) ?? {s: 0, n: 0};
    a.s += v.household[i] ?? NaN;
    a.n++;
    hh.set(g, a);
  });
  return rows.map((r) => ({
    ...r,
    reference: r === ref,
    fprRatio: rateRatio(r.fpr.k, r.fpr.n, ref.fpr.k, ref.fpr.n),
    fnrRatio: rateRatio(r.fnr.k, r.fnr.n, ref.fnr.k, ref.fnr.n),
    selectionRatio: rateRatio(r.selection.k, r.selection.n, ref.selection.k, ref.selection.n),
    householdMean: hh.get(r.group)!.s / hh.get(r.group)!.n,
  }));
}

/** "0.772 (0.762–0.781)" for an estimate with an interval. */
export function formatEstimate(e: {value: number; lo: number; hi: number} | null | undefined, digits = 3): string {
  if (!e || !Number.isFinite(e.value)) return "—";
  return `${e.value.toFixed(digits)} (${e.lo.toFixed(digits)}–${e.hi.toFixed(digits)})`;
}

/** "1.32 (1.10–1.58)" for a ratio, "too few to tell" for a small group, "—" when it cannot be computed. */
export function formatRatio(r: {ratio: number; lo: number; hi: number}, tooFew = false): string {
  if (tooFew) return "too few to tell";
  return Number.isFinite(r.ratio) ? `${r.ratio.toFixed(2)} (${r.lo.toFixed(2)}–${r.hi.toFixed(2)})` : "—";
}

/**
 * The cut-off slider for a model's scores: probabilities from 0.02 to 0.9, any other score
 * (e.g. an existing 1–10 decile) over its own range, in whole steps when its values are whole.
 *
 * @example scoreSlider([1, 4, 10]) // {min: 1, max: 10, step: 1, value: 6}
 */
export function scoreSlider(scores: ArrayLike<number>): {min: number; max: number; step: number; value: number} {
  let min = Infinity,
    max = -Infinity,
    whole = true;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) continue;
    if (s < min) min = s;
    if (s > max) max = s;
    if (!Number.isInteger(s)) whole = false;
  }
  if (!(min <= max) || (min >= 0 && max <= 1)) return {min: 0.02, max: 0.9, step: 0.01, value: 0.2};
  const step = whole ? 1 : (max - min) / 100;
  const value = whole ? Math.round(min + 0.55 * (max - min)) : min + 0.55 * (max - min);
  return {min, max, step, value};
}
