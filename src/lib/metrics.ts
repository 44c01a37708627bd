/**
 * Discrimination and calibration metrics with their uncertainty, for any score.
 * Pure functions shared by Node and the browser. Bootstrap intervals use a seeded
 * generator, so the same inputs give the same interval; `scoreSummary` is the one
 * summary training (metrics.json) and evaluation (the evaluation pages) both use:
 * one seed per model, one set of resampled contacts, every statistic from it.
 *
 * @example scoreSummary(scores, labels, {seed: seedFromText(modelId)}).auc // {value, lo, hi, n, replicates}
 */
import {averagePrecision} from "./discrimination.js";
import {
  calibrationInTheLargeOfLogits,
  eceNoiseFloor,
  expectedCalibrationError,
  fitLine,
  logit,
  type LogisticLine,
  type NoiseFloor,
} from "./calibration.js";
import {seeded} from "./random.js";

export {seeded, seedFromText} from "./random.js";

/**
 * AUC as the Mann–Whitney statistic: P(score of a positive > score of a negative), ties counted half.
 * Scores already in ascending order (each bootstrap resample is laid out so) are not sorted again.
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = scores[i - 1] <= scores[i];
  const order = sorted ? null : Array.from({length: n}, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    const s = scores[order ? order[i] : i];
    while (j + 1 < n && scores[order ? order[j + 1] : j + 1] === s) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[order ? order[k] : k] === 1) ((rankSumPos += midRank), nPos++);
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Mean squared error of probabilities against 0/1 outcomes. */
export function brier(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) s += (probs[i] - labels[i]) ** 2;
  return s / probs.length;
}

export interface Estimate {
  value: number;
  lo: number;
  hi: number;
  n: number;
  replicates: number;
}

/** Percentile bootstrap 95% interval of `metric(scores, labels)`. */
export function bootstrap(
  metric: (s: Float64Array, l: Float64Array) => number,
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  {replicates = 200, seed = 1} = {},
): Estimate {
  const n = scores.length;
  const rand = seeded(seed);
  const values: number[] = [];
  const s = new Float64Array(n),
    l = new Float64Array(n);
  for (let b = 0; b < replicates; b++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rand() * n);
      s[i] = scores[k];
      l[i] = labels[k];
    }
    const v = metric(s, l);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, b) => a - b);
  const q = (p: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(p * (values.length - 1))))];
  return {value: metric(Float64Array.from(scores), Float64Array.from(labels)), lo: q(0.025), hi: q(0.975), n, replicates: values.length};
}

/**
 * Percentile bootstrap of the AUC in O(n log n + replicates · n): the scores are
 * sorted once, and each replicate only re-weights them by how often each contact
 * was drawn. Draws the same resamples as `bootstrap(auc, …)` with the same seed,
 * so it returns the same interval, much faster.
 */
export function bootstrapAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, {replicates = 200, seed = 1} = {}): Estimate {
  const n = scores.length;
  const order = Uint32Array.from({length: n}, (_, i) => i);
  const s = Float64Array.from(scores);
  order.sort((a, b) => s[a] - s[b]);
  // Tie groups in sorted order: group[k] is the index (in `order`) where k's group ends.
  const groupEnd = new Uint32Array(n);
  for (let i = n - 1; i >= 0; i--) groupEnd[i] = i + 1 < n && s[order[i + 1]] === s[order[i]] ? groupEnd[i + 1] : i;
  const weighted = (w: Float64Array) => {
    let negBelow = 0,
      acc = 0,
      pos = 0,
      neg = 0;
    for (let i = 0; i < n;) {
      const end = groupEnd[i];
      let gPos = 0,
        gNeg = 0;
      for (let k = i; k <= end; k++) {
        const j = order[k];
        if (labels[j] === 1) gPos += w[j];
        else gNeg += w[j];
      }
      acc += gPos * (negBelow + gNeg / 2);
      negBelow += gNeg;
      pos += gPos;
      neg += gNeg;
      i = end + 1;
    }
    return pos > 0 && neg > 0 ? acc / (pos * neg) : NaN;
  };
  const rand = seeded(seed);
  const values: number[] = [];
  const w = new Float64Array(n);
  for (let b = 0; b < replicates; b++) {
    w.fill(0);
    for (let i = 0; i < n; i++) w[Math.floor(rand() * n)]++;
    const v = weighted(w);
    if (Number.isFinite(v)) values.push(v);
  }
  values.sort((a, c) => a - c);
  const q = (p: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(p * (values.length - 1))))];
  return {value: weighted(new Float64Array(n).fill(1)), lo: q(0.025), hi: q(0.975), n, replicates: values.length};
}

/**
 * A statistic of scores and 0/1 labels; NaN when it cannot be computed (AUC with one class, say).
 * `memo` is shared by the statistics of one resample (so slope and intercept fit the line once).
 */
export type Statistic = (scores: Float64Array, labels: Float64Array, memo: Map<string, unknown>) => number;

const mean = (x: Float64Array) => {
  let t = 0;
  for (let i = 0; i < x.length; i++) t += x[i];
  return t / x.length;
};
/** The scores' log-odds, computed once per resample (the bootstrap lays them out with the scores). */
function logits(s: Float64Array, memo: Map<string, unknown>): Float64Array {
  if (!memo.has("logit")) memo.set("logit", Float64Array.from(s, logit));
  return memo.get("logit") as Float64Array;
}
/** The calibration line of one resample, fitted once; a fit that throws (scores that do not vary) gives NaN. */
function line(s: Float64Array, l: Float64Array, memo: Map<string, unknown>): {slope: number; intercept: number} {
  if (!memo.has("line")) {
    try {
      memo.set("line", fitLine(logits(s, memo), l, {start: memo.get("lineStart") as LogisticLine | undefined}));
    } catch {
      memo.set("line", {slope: NaN, intercept: NaN});
    }
  }
  return memo.get("line") as {slope: number; intercept: number};
}

/**
 * Every statistic the evaluation reports for a score, by name; each is bootstrapped by `bootstrapEstimates`.
 *
 * @example STATISTICS.observedMinusPredicted(scores, labels, new Map()) // share with the outcome − mean score
 */
export const STATISTICS = {
  /** share of contacts with the outcome (for a staff-decision target: the share staff shared) */
  rate: (_s, l) => mean(l),
  meanScore: (s) => mean(s),
  auc,
  averagePrecision,
  brier,
  /** the Brier score of predicting the rate itself for everyone: rate · (1 − rate) */
  trivialBrier: (_s, l) => mean(l) * (1 - mean(l)),
  ece: (s, l) => expectedCalibrationError(s, l),
  slope: (s, l, memo) => line(s, l, memo).slope,
  intercept: (s, l, memo) => line(s, l, memo).intercept,
  calibrationInTheLarge: (s, l, memo) =>
    calibrationInTheLargeOfLogits(logits(s, memo), l, (memo.get("citlStart") as number | undefined) ?? 0),
  /** observed rate − mean score: above 0 the score under-predicts */
  observedMinusPredicted: (s, l) => mean(l) - mean(s),
} satisfies Record<string, Statistic>;

export type StatisticName = keyof typeof STATISTICS;

/** How the intervals were made, stored beside them. */
export const BOOTSTRAP_METHOD =
  "percentile bootstrap over contacts: each resample draws n contacts with replacement, and every statistic is computed on the same resamples";

function percentiles(values: number[]): {lo: number; hi: number} {
  values.sort((a, b) => a - b);
  const q = (p: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(p * (values.length - 1))))] ?? NaN;
  return {lo: q(0.025), hi: q(0.975)};
}

/**
 * Percentile bootstrap 95% intervals of several statistics from ONE set of resamples:
 * replicate b draws n contacts with replacement (the same draws as `bootstrapAuc` and
 * `bootstrap` with this seed), and every named statistic is computed on that resample.
 * The same seed on the same contacts gives the same resamples to every caller (and to
 * another score of the same contacts, e.g. a recalibrated one), so intervals agree
 * wherever they are read.
 *
 * @example bootstrapEstimates(scores, labels, ["auc", "brier"], {seed: 7}) // {auc: {value, lo, hi, n, replicates}, brier: {…}}
 */
export function bootstrapEstimates<K extends StatisticName>(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  names: readonly K[],
  {seed, replicates = 200}: {seed: number; replicates?: number},
): Record<K, Estimate> {
  return groupEstimates(scores, labels, new Uint32Array(scores.length), 1, names, {seed, replicates})[0];
}

/**
 * The statistics of several groups of contacts (quarters, say) from ONE set of resamples of all
 * of them: replicate b draws n contacts with replacement from the whole set (the draws
 * `bootstrapEstimates` makes with this seed), and each group's statistics are computed on the
 * drawn contacts of that group, so a group's size varies between replicates as it would between
 * samples. With one group this IS `bootstrapEstimates`. `group[i]` is contact i's group, 0 … groups − 1;
 * each estimate's n is the group's size.
 *
 * @example groupEstimates(scores, labels, quarterIndex, 4, ["auc"], {seed: 7})[2].auc // the third quarter's AUC with its interval
 */
export function groupEstimates<K extends StatisticName>(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  group: ArrayLike<number>,
  groups: number,
  names: readonly K[],
  {seed, replicates = 200}: {seed: number; replicates?: number},
): Record<K, Estimate>[] {
  const n = scores.length;
  const s0 = Float64Array.from(scores),
    l0 = Float64Array.from(labels),
    g0 = Float64Array.from(s0, logit);
  // Contacts by group, then in score order (ties by index): each group's resample is laid out in score
  // order, so the statistics' own sorts find it sorted.
  const order = Uint32Array.from({length: n}, (_, i) => i).sort((a, b) => group[a] - group[b] || s0[a] - s0[b] || a - b);
  const bounds = new Uint32Array(groups + 1);
  for (let i = 0; i < n; i++) bounds[group[i] + 1]++;
  for (let g = 0; g < groups; g++) bounds[g + 1] += bounds[g];
  const values = Array.from({length: groups}, () => names.map(() => [] as number[]));
  // Each resample's calibration fits start from the group's whole-sample fit: a few Newton steps fewer each.
  const fits = names.some((name) => name === "slope" || name === "intercept" || name === "calibrationInTheLarge");
  const starts = Array.from({length: groups}, (_, g) => {
    const start = new Map<string, unknown>();
    if (!fits || bounds[g + 1] === bounds[g]) return start;
    const x = Float64Array.from(order.subarray(bounds[g], bounds[g + 1]), (k) => g0[k]),
      y = Float64Array.from(order.subarray(bounds[g], bounds[g + 1]), (k) => l0[k]);
    try {
      start.set("lineStart", fitLine(x, y));
    } catch {
      // scores that do not vary: each resample's fit says so itself
    }
    start.set("citlStart", calibrationInTheLargeOfLogits(x, y));
    return start;
  });
  const rand = seeded(seed);
  const w = new Uint32Array(n),
    s = new Float64Array(n),
    l = new Float64Array(n),
    x = new Float64Array(n);
  for (let b = 0; n > 0 && b < replicates; b++) {
    w.fill(0);
    for (let i = 0; i < n; i++) w[Math.floor(rand() * n)]++;
    for (let g = 0; g < groups; g++) {
      let m = 0;
      for (let r = bounds[g]; r < bounds[g + 1]; r++) {
        const k = order[r];
        for (let c = w[k]; c > 0; c--) ((s[m] = s0[k]), (l[m] = l0[k]), (x[m] = g0[k]), m++);
      }
      if (m === 0) continue; // no contact of this group drawn: no statistic of it
      const memo = new Map<string, unknown>([...starts[g], ["logit", x.subarray(0, m)]]);
      const sg = s.subarray(0, m),
        lg = l.subarray(0, m);
      names.forEach((name, j) => {
        const v = STATISTICS[name](sg, lg, memo);
        if (Number.isFinite(v)) values[g][j].push(v);
      });
    }
  }
  return values.map((groupValues, g) => {
    // The group's own value, from its contacts in their given order (with one group, exactly the inputs).
    const members = order.slice(bounds[g], bounds[g + 1]).sort();
    const sg = Float64Array.from(members, (k) => s0[k]),
      lg = Float64Array.from(members, (k) => l0[k]);
    const full = new Map<string, unknown>();
    const size = members.length;
    return Object.fromEntries(
      names.map((name, j) => [
        name,
        {value: size ? STATISTICS[name](sg, lg, full) : NaN, ...percentiles(groupValues[j]), n: size, replicates: groupValues[j].length},
      ]),
    ) as Record<K, Estimate>;
  });
}

/** What `scoreSummary` bootstraps. */
export const SUMMARY_STATISTICS = [
  "rate",
  "meanScore",
  "auc",
  "averagePrecision",
  "brier",
  "trivialBrier",
  "ece",
  "slope",
  "intercept",
  "calibrationInTheLarge",
  "observedMinusPredicted",
] as const satisfies readonly StatisticName[];

/** What `calibrationSummary` bootstraps (a recalibrated score of the same contacts). */
export const CALIBRATION_STATISTICS = [
  "meanScore",
  "brier",
  "ece",
  "slope",
  "intercept",
  "calibrationInTheLarge",
] as const satisfies readonly StatisticName[];

export type CalibrationSummary = Record<(typeof CALIBRATION_STATISTICS)[number], Estimate> & {
  n: number;
  /** the ECE a perfectly calibrated score shows by chance at this n (simulated, same seed) */
  eceNoiseFloor: NoiseFloor;
  bootstrap: {seed: number; replicates: number; method: string};
};

export type ScoreSummary = Record<(typeof SUMMARY_STATISTICS)[number], Estimate> &
  CalibrationSummary & {
    positives: number;
    prevalence: number;
    /** rate · (1 − rate), as a plain number (trivialBrier carries its interval) */
    baselineBrier: number;
  };

/**
 * Calibration of a score with intervals: Brier, ECE (beside its noise floor), slope,
 * intercept and calibration-in-the-large, bootstrapped with `seed`. Pass the model's
 * seed to share the resamples of its other summaries on the same contacts.
 *
 * @example calibrationSummary(plattScores, labels, {seed}).ece // {value, lo, hi, n, replicates}
 */
export function calibrationSummary(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  {seed, replicates = 200}: {seed: number; replicates?: number},
): CalibrationSummary {
  return {
    n: scores.length,
    ...bootstrapEstimates(scores, labels, CALIBRATION_STATISTICS, {seed, replicates}),
    eceNoiseFloor: eceNoiseFloor(scores, {seed}),
    bootstrap: {seed, replicates, method: BOOTSTRAP_METHOD},
  };
}

/**
 * The one summary of a score on a set of contacts, used by training (metrics.json) and
 * by the evaluation pages alike: counts, the rate, discrimination (AUC, average
 * precision), Brier beside the trivial Brier, calibration (ECE with its noise floor,
 * slope, intercept, calibration-in-the-large), each with a 95% interval from ONE
 * bootstrap seeded once per model (`seedFromText(modelId)`).
 *
 * @example scoreSummary(testScores, testLabels, {seed: seedFromText(id)}) // {n, positives, auc: {value, lo, hi, n, replicates}, …}
 */
export function scoreSummary(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  {seed, replicates = 200}: {seed: number; replicates?: number},
): ScoreSummary {
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i] === 1 ? 1 : 0;
  const prevalence = positives / n;
  return {
    n,
    positives,
    prevalence,
    baselineBrier: prevalence * (1 - prevalence),
    ...bootstrapEstimates(scores, labels, SUMMARY_STATISTICS, {seed, replicates}),
    eceNoiseFloor: eceNoiseFloor(scores, {seed}),
    bootstrap: {seed, replicates, method: BOOTSTRAP_METHOD},
  };
}
