/**
 * The evaluation pages' view of the compact per-contact columns (see
 * loaders/pages/evaluation.ts): decode level-coded columns, pick the split,
 * turn a threshold setting into flags, and build the fairness table with
 * disparity ratios against a reference group. Pure, tested in Node.
 *
 * @example flags({mode: "band", value: 12}, view) // Uint8Array, 1 = flagged as likely (to be shared by staff)
 */
import {
  bonferroniZ,
  DEFAULT_TOLERANCE,
  groupMetrics,
  intersect,
  rateRatio,
  toleranceVerdict,
  type GroupMetrics,
  type Ratio,
  type Verdict,
} from "./fairness.js";
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

/**
 * The name of a period's contacts whose child was already seen in an earlier split: the test set
 * leaves them out, so that no child is on both sides of a comparison, but a day at the MASH holds
 * them all. The evaluation data carry them apart from the cohort (evaluation.json:
 * `testPeriod.seenContacts`), without ids or groups.
 *
 * @example seenSplit("test") // "test-seen"
 */
export const seenSplit = (split: string) => `${split}-seen`;

/** The test period's contacts of children already seen, as evaluation.json carries them (`testPeriod.seenContacts`). */
export interface SeenContacts {
  day: string[];
  y: number[];
  score: number[];
  band: number[];
}

/**
 * Every contact of the test period, for views about a day's volume (daily capacity): the test
 * contacts of `view`, then the period's contacts of children already seen. No groups (the seen
 * contacts carry none); household contributions of the seen contacts are null. Without seen
 * contacts (a score column, older data) it is the test set alone, `seen: 0`.
 *
 * @example periodView(cohort, model, evaluation.testPeriod.seenContacts).n // test contacts + seen contacts
 */
export function periodView(cohort: Cohort, model: ModelColumns, seen?: SeenContacts | null): View & {seen: number} {
  const test = view(cohort, model, "test");
  const s = seen ?? {day: [], y: [], score: [], band: []};
  if (![s.y, s.score, s.band].every((col) => col.length === s.day.length))
    throw new Error(`seen contacts: columns of different lengths (${s.day.length} days, ${s.y.length} outcomes, ${s.score.length} scores)`);
  return {
    n: test.n + s.day.length,
    seen: s.day.length,
    day: [...test.day, ...s.day],
    month: [...test.month, ...s.day.map((d) => d.slice(0, 7))],
    y: [...test.y, ...s.y],
    score: [...test.score, ...s.score],
    band: [...test.band, ...s.band],
    household: [...test.household, ...s.day.map(() => null)],
    groups: {},
  };
}

export type Threshold = {mode: "score"; value: number} | {mode: "band"; value: number} | {mode: "capacity"; value: number};

/** 1 = flagged as likely to have the outcome (for the default target: to be shared by staff); 0 = flagged as unlikely. */
export function flags(t: Threshold, v: Pick<View, "score" | "band" | "day">): Uint8Array {
  if (t.mode === "score") return Uint8Array.from(v.score, (s) => (s >= t.value ? 1 : 0));
  if (t.mode === "band") return Uint8Array.from(v.band, (b) => (b >= t.value ? 1 : 0));
  return flagByCapacity(v.score, v.day, t.value);
}

/** A disparity ratio with its multiplicity-adjusted interval and its verdict against the tolerance. */
export interface JudgedRatio extends Ratio {
  verdict: Verdict;
}

/** The rates whose ratios to the reference group the Fairness page judges, with their names there. */
export const FAIRNESS_METRICS = {fpr: "false positive rate", fnr: "false negative rate", ppv: "PPV"} as const;
export type FairnessMetric = keyof typeof FAIRNESS_METRICS;

export interface FairnessRow extends GroupMetrics {
  reference: boolean;
  fprRatio: JudgedRatio;
  fnrRatio: JudgedRatio;
  ppvRatio: JudgedRatio;
  /** mean household-history contribution to the log-odds in the group */
  householdMean: number;
}

/** How the ratio intervals of a table were widened: m comparisons, each interval at 1 − α/m (Bonferroni). */
export interface FairnessAdjustment {
  comparisons: number;
  z: number;
  /** the confidence of each single interval, e.g. 0.9967 for m = 15 */
  level: number;
  alpha: number;
}

/**
 * The comparisons a fairness table shows — every group judged against the reference (not the
 * reference, not too few to tell) times the rates judged ({@link FAIRNESS_METRICS}) — and the
 * Bonferroni multiplier that keeps all of them together at 95%.
 *
 * @example fairnessAdjustment([{reference: true, tooFew: false}, {reference: false, tooFew: false}]) // {comparisons: 3, z: 2.39, …}
 */
export function fairnessAdjustment(rows: {reference: boolean; tooFew: boolean}[], alpha = 0.05): FairnessAdjustment {
  const comparisons = rows.filter((r) => !r.reference && !r.tooFew).length * Object.keys(FAIRNESS_METRICS).length;
  return {comparisons, z: bonferroniZ(comparisons, alpha), level: 1 - alpha / Math.max(1, comparisons), alpha};
}

/**
 * Per group of one attribute (or the intersection of several): the error rates, their ratios to
 * the reference group (default: the largest group) with Katz intervals widened for the number of
 * comparisons shown ({@link fairnessAdjustment}), and a verdict against the tolerance.
 *
 * @example fairnessTable(v, ["ethnicity"], flagged, {tolerance: [0.8, 1.25]})[0].fprRatio.verdict // "within tolerance"
 */
export function fairnessTable(
  v: View,
  attributes: string[],
  flagged: ArrayLike<number>,
  {
    reference,
    minN,
    tolerance = DEFAULT_TOLERANCE,
    alpha = 0.05,
  }: {reference?: string; minN?: number; tolerance?: readonly [number, number]; alpha?: number} = {},
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
  const {z} = fairnessAdjustment(
    rows.map((r) => ({reference: r === ref, tooFew: r.tooFew})),
    alpha,
  );
  const judged = (r: GroupMetrics, metric: FairnessMetric): JudgedRatio => {
    const ratio = rateRatio(r[metric].k, r[metric].n, ref[metric].k, ref[metric].n, z);
    return {...ratio, verdict: toleranceVerdict(ratio, tolerance, r.tooFew)};
  };
  return rows.map((r) => ({
    ...r,
    reference: r === ref,
    fprRatio: judged(r, "fpr"),
    fnrRatio: judged(r, "fnr"),
    ppvRatio: judged(r, "ppv"),
    householdMean: hh.get(r.group)!.s / hh.get(r.group)!.n,
  }));
}

/**
 * Of a table's groups, how many are within, outside or too few to tell for one rate
 * (the reference left out): the counts the Fairness page's answer states.
 *
 * @example verdictCounts(table, "fpr") // {within: 4, outside: 0, tooFew: 2, of: 6}
 */
export function verdictCounts(rows: FairnessRow[], metric: FairnessMetric): {within: number; outside: number; tooFew: number; of: number} {
  const judged = rows.filter((r) => !r.reference).map((r) => r[`${metric}Ratio`].verdict);
  return {
    within: judged.filter((x) => x === "within tolerance").length,
    outside: judged.filter((x) => x === "outside tolerance").length,
    tooFew: judged.filter((x) => x === "too few to tell").length,
    of: judged.length,
  };
}

/**
 * The Fairness page's answer in words, with the counts bound to the table: per rate judged, how
 * many groups are within the tolerance of the reference group, how many too few to tell and how
 * many outside.
 *
 * @example fairnessAnswer(table, [0.8, 1.25]) // "Against white (the reference), the false positive rate is within the tolerance (0.80–1.25) for 3 of 5 groups; …"
 */
export function fairnessAnswer(rows: FairnessRow[], tolerance: readonly [number, number] = DEFAULT_TOLERANCE): string {
  const ref = rows.find((r) => r.reference)?.group ?? "the reference group";
  const none = (k: number) => (k === 0 ? "none" : String(k));
  const [first, ...rest] = (Object.keys(FAIRNESS_METRICS) as FairnessMetric[]).map((m) => ({m, ...verdictCounts(rows, m)}));
  if (!first || first.of === 0) return `There is only one group (${ref}): nothing to compare.`;
  const tol = `${tolerance[0].toFixed(2)}–${tolerance[1].toFixed(2)}`;
  return (
    `Against ${ref} (the reference), the ${FAIRNESS_METRICS[first.m]} is within the tolerance (${tol} times the reference's) ` +
    `for ${first.within} of ${first.of} groups; ${none(first.tooFew)} ${first.tooFew === 1 ? "is" : "are"} too few to tell and ` +
    `${none(first.outside)} ${first.outside === 1 ? "is" : "are"} outside. ` +
    rest
      .map(
        (c) =>
          `${FAIRNESS_METRICS[c.m][0].toUpperCase()}${FAIRNESS_METRICS[c.m].slice(1)}: ${c.within} within, ${c.tooFew} too few to tell, ${c.outside} outside.`,
      )
      .join(" ")
  );
}

/** "0.772 (0.762–0.781)" for an estimate with an interval. */
export function formatEstimate(e: {value: number; lo: number; hi: number} | null | undefined, digits = 3): string {
  if (!e || !Number.isFinite(e.value)) return "—";
  return `${e.value.toFixed(digits)} (${e.lo.toFixed(digits)}–${e.hi.toFixed(digits)})`;
}

/**
 * "1.32 (1.10–1.58)" for a ratio, followed by its verdict when it has one ("1.32 (1.10–1.58): outside
 * tolerance"); "too few to tell" for a small group; "—" when it cannot be computed (a count of 0).
 *
 * @example formatRatio({ratio: 1.1, lo: 0.9, hi: 1.2, verdict: "within tolerance"}) // "1.10 (0.90–1.20): within tolerance"
 */
export function formatRatio(r: {ratio: number; lo: number; hi: number; verdict?: Verdict}, tooFew = false): string {
  if (tooFew) return "too few to tell";
  if (!Number.isFinite(r.ratio)) return "—";
  const text = `${r.ratio.toFixed(2)} (${r.lo.toFixed(2)}–${r.hi.toFixed(2)})`;
  return r.verdict ? `${text}: ${r.verdict}` : text;
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
