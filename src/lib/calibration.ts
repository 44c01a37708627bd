/**
 * Calibration: when the score says 30%, do 30% of such contacts have the outcome?
 * Reliability bins (equal-count, with Wilson intervals), expected calibration
 * error and its noise floor (the ECE a perfectly calibrated score shows by chance
 * at the same n), calibration slope and intercept, and two recalibrations fitted on
 * validation contacts only (Platt: logistic on the log-odds; isotonic: pool
 * adjacent violators). Pure, shared by Node and the browser.
 *
 * @example reliability(probs, labels, {bins: 10}) // [{bin: 1, n, predicted, observed, lo, hi}, …]
 */
import {wilson} from "./intervals.js";
import {sigmoid} from "./logistic.js";
import {seeded} from "./random.js";

export interface ReliabilityBin {
  bin: number;
  n: number;
  /** mean predicted probability in the bin */
  predicted: number;
  /** observed rate, with its Wilson 95% interval */
  observed: number;
  lo: number;
  hi: number;
  k: number;
}

/** Equal-count (quantile) bins of the predicted probability: contact i of the sorted n goes to bin ⌊i·bins/n⌋. */
export function reliability(probs: ArrayLike<number>, labels: ArrayLike<number>, {bins = 10} = {}): ReliabilityBin[] {
  const n = probs.length;
  const order = ascendingOrder(probs);
  const sums = Array.from({length: bins}, () => ({n: 0, p: 0, k: 0}));
  for (let r = 0; r < n; r++) {
    const i = order ? order[r] : r;
    const b = sums[Math.floor((r * bins) / n)];
    b.n++;
    b.p += probs[i];
    b.k += labels[i] === 1 ? 1 : 0;
  }
  return sums
    .filter((b) => b.n > 0)
    .map((b, j) => {
      const w = wilson(b.k, b.n);
      return {bin: j + 1, n: b.n, predicted: b.p / b.n, observed: w.rate, lo: w.lo, hi: w.hi, k: b.k};
    });
}

/**
 * Contacts in ascending order of probability, ties by index; null when they already are (a bootstrap
 * resample is laid out so), which saves a sort per resample.
 */
function ascendingOrder(probs: ArrayLike<number>): Uint32Array | null {
  const n = probs.length;
  let ascending = true;
  for (let i = 1; i < n && ascending; i++) ascending = probs[i - 1] <= probs[i];
  return ascending ? null : Uint32Array.from({length: n}, (_, i) => i).sort((a, b) => probs[a] - probs[b] || a - b);
}

/** Expected calibration error: Σ (n_b / n) · |observed_b − predicted_b| over the equal-count bins of `reliability`. */
export function expectedCalibrationError(probs: ArrayLike<number>, labels: ArrayLike<number>, {bins = 10} = {}): number {
  const n = probs.length;
  const order = ascendingOrder(probs);
  const size = new Float64Array(bins),
    predicted = new Float64Array(bins),
    k = new Float64Array(bins);
  for (let r = 0; r < n; r++) {
    const i = order ? order[r] : r;
    const b = Math.floor((r * bins) / n);
    size[b]++;
    predicted[b] += probs[i];
    k[b] += labels[i] === 1 ? 1 : 0;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (size[b] > 0) ece += (size[b] / n) * Math.abs(k[b] / size[b] - predicted[b] / size[b]);
  return ece;
}

/** The ECE a perfectly calibrated score would show by chance alone, at the same n and scores. */
export interface NoiseFloor {
  /** median ECE over the simulated outcomes */
  median: number;
  /** 95th percentile: an ECE above it is more than chance alone gives a calibrated score (at the 5% level) */
  p95: number;
  /** contacts (the scores the outcomes were simulated for) */
  n: number;
  bins: number;
  replicates: number;
  seed: number;
}

/**
 * The noise floor of the expected calibration error: outcomes are simulated as
 * y ~ Bernoulli(score) for every contact — a score that is perfectly calibrated by
 * construction — `replicates` times with a fixed seed, and the ECE of each simulation
 * is computed with the same equal-count bins as `expectedCalibrationError` (the bins
 * depend on the scores alone, so they are fixed). An observed ECE near the median is
 * what chance alone gives at this n; above the 95th percentile it is more than chance.
 *
 * Past `normalAbove` contacts (default `NOISE_FLOOR_NORMAL_ABOVE`: each bin then holds at least 5,000 at 10 bins) a bin's
 * simulated count is drawn from its normal approximation (mean Σ p, variance Σ p(1 − p)) instead of
 * contact by contact: the sum of that many independent draws is normal to far below the figure's
 * precision, and each simulation costs `bins` draws instead of n.
 *
 * @example eceNoiseFloor(scores, {seed: 7}) // {median: 0.009, p95: 0.013, n: 12466, bins: 10, replicates: 1000, seed: 7}
 */
/** Contacts past which `eceNoiseFloor` draws each bin's count from its normal approximation. */
export const NOISE_FLOOR_NORMAL_ABOVE = 50000;

export function eceNoiseFloor(
  probs: ArrayLike<number>,
  {bins = 10, replicates = 1000, seed = 1, normalAbove = NOISE_FLOOR_NORMAL_ABOVE} = {},
): NoiseFloor {
  const n = probs.length;
  if (n === 0) return {median: NaN, p95: NaN, n, bins, replicates: 0, seed};
  const order = Uint32Array.from({length: n}, (_, i) => i).sort((a, b) => probs[a] - probs[b] || a - b);
  const sorted = Float64Array.from(order, (i) => probs[i]);
  const binOf = Uint16Array.from({length: n}, (_, r) => Math.floor((r * bins) / n));
  const size = new Float64Array(bins),
    predicted = new Float64Array(bins);
  for (let r = 0; r < n; r++) (size[binOf[r]]++, (predicted[binOf[r]] += sorted[r]));
  const rand = seeded(seed);
  const k = new Float64Array(bins);
  const values = new Float64Array(replicates);
  const normal = n > normalAbove;
  const sd = new Float64Array(bins);
  if (normal) for (let r = 0; r < n; r++) sd[binOf[r]] += sorted[r] * (1 - sorted[r]);
  for (let j = 0; j < bins; j++) sd[j] = Math.sqrt(sd[j]);
  for (let b = 0; b < replicates; b++) {
    k.fill(0);
    if (normal)
      // Box–Muller: a standard normal draw from two uniform ones.
      for (let j = 0; j < bins; j++) k[j] = predicted[j] + sd[j] * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    else for (let r = 0; r < n; r++) if (rand() < sorted[r]) k[binOf[r]]++;
    let ece = 0;
    for (let j = 0; j < bins; j++) if (size[j] > 0) ece += (size[j] / n) * Math.abs((k[j] - predicted[j]) / size[j]);
    values[b] = ece;
  }
  values.sort();
  const q = (p: number) => values[Math.min(replicates - 1, Math.max(0, Math.round(p * (replicates - 1))))];
  return {median: q(0.5), p95: q(0.95), n, bins, replicates, seed};
}

const clampP = (p: number) => Math.min(1 - 1e-12, Math.max(1e-12, p));
export const logit = (p: number) => Math.log(clampP(p) / (1 - clampP(p)));

export interface LogisticLine {
  intercept: number;
  slope: number;
}

/**
 * Maximum-likelihood fit of y ~ intercept + slope · x by Newton's method (two
 * parameters, no penalty). With x = logit(score) this is the calibration slope and
 * intercept (slope 1, intercept 0 for a perfectly calibrated score) and also
 * Platt's recalibration.
 */
export function fitLine(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  {
    tolerance = 1e-13,
    maxIterations = 100,
    start = {intercept: 0, slope: 0},
  }: {tolerance?: number; maxIterations?: number; start?: LogisticLine} = {},
): LogisticLine {
  // `start`: where Newton's method begins (a bootstrap resample starts at the whole sample's fit: fewer steps, same optimum).
  let a = start.intercept,
    b = start.slope;
  const n = x.length;
  for (let it = 0; it < maxIterations; it++) {
    let g0 = 0,
      g1 = 0,
      h00 = 0,
      h01 = 0,
      h11 = 0;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a + b * x[i]);
      const r = y[i] - p,
        w = p * (1 - p);
      g0 += r;
      g1 += r * x[i];
      h00 += w;
      h01 += w * x[i];
      h11 += w * x[i] * x[i];
    }
    const det = h00 * h11 - h01 * h01;
    if (!(det > 0)) throw new Error("calibration fit: the scores do not vary, so no slope can be fitted");
    const da = (h11 * g0 - h01 * g1) / det,
      db = (h00 * g1 - h01 * g0) / det;
    a += da;
    b += db;
    if (Math.max(Math.abs(g0), Math.abs(g1)) / n < tolerance) break;
  }
  return {intercept: a, slope: b};
}

/** Calibration slope and intercept of probabilities: y ~ a + b · logit(p). */
export function calibrationLine(probs: ArrayLike<number>, labels: ArrayLike<number>): LogisticLine {
  return fitLine(Float64Array.from(probs as ArrayLike<number>, logit), labels);
}

/** Calibration-in-the-large: the intercept a of y ~ a + offset(logit p); 0 when the mean prediction is right. */
export function calibrationInTheLarge(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  return calibrationInTheLargeOfLogits(Float64Array.from(probs, logit), labels);
}

/** `calibrationInTheLarge` from the scores' log-odds, computed once by the caller (a bootstrap resample shares them). */
export function calibrationInTheLargeOfLogits(logits: ArrayLike<number>, labels: ArrayLike<number>, start = 0): number {
  let a = start;
  for (let it = 0; it < 100; it++) {
    let g = 0,
      h = 0;
    for (let i = 0; i < logits.length; i++) {
      const p = sigmoid(a + logits[i]);
      g += labels[i] - p;
      h += p * (1 - p);
    }
    a += g / h;
    if (Math.abs(g) / logits.length < 1e-13) break;
  }
  return a;
}

/** Platt recalibration fitted on validation contacts: p' = σ(a + b · logit(p)). */
export function fitPlatt(probs: ArrayLike<number>, labels: ArrayLike<number>): (p: number) => number {
  const {intercept, slope} = calibrationLine(probs, labels);
  return (p) => sigmoid(intercept + slope * logit(p));
}

export interface IsotonicFit {
  /** increasing distinct scores … */
  x: number[];
  /** … and the fitted non-decreasing probabilities there */
  y: number[];
}

/**
 * Isotonic regression by pool-adjacent-violators: tied scores are first averaged
 * (as scikit-learn does), then adjacent blocks that break monotonicity are merged.
 */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): IsotonicFit {
  const order = Array.from({length: scores.length}, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const xs: number[] = [],
    ys: number[] = [],
    ws: number[] = [];
  for (let r = 0; r < order.length;) {
    const s = scores[order[r]];
    let sum = 0,
      w = 0;
    while (r < order.length && scores[order[r]] === s) ((sum += labels[order[r]]), w++, r++);
    xs.push(s);
    ys.push(sum / w);
    ws.push(w);
  }
  // blocks: [start index, weight, mean]
  const start: number[] = [],
    weight: number[] = [],
    mean: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    start.push(i);
    weight.push(ws[i]);
    mean.push(ys[i]);
    while (mean.length > 1 && mean[mean.length - 2] > mean[mean.length - 1]) {
      const w = weight[weight.length - 2] + weight[weight.length - 1];
      const m = (mean[mean.length - 2] * weight[weight.length - 2] + mean[mean.length - 1] * weight[weight.length - 1]) / w;
      start.pop();
      weight.pop();
      mean.pop();
      weight[weight.length - 1] = w;
      mean[mean.length - 1] = m;
    }
  }
  const y = new Array<number>(xs.length);
  for (let b = 0; b < start.length; b++) {
    const end = b + 1 < start.length ? start[b + 1] : xs.length;
    for (let i = start[b]; i < end; i++) y[i] = mean[b];
  }
  return {x: xs, y};
}

/** Applies an isotonic fit: linear interpolation between fitted scores, clipped at the ends (scikit-learn's default). */
export function applyIsotonic(fit: IsotonicFit, score: number): number {
  const {x, y} = fit;
  if (score <= x[0]) return y[0];
  if (score >= x[x.length - 1]) return y[y.length - 1];
  let lo = 0,
    hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= score) lo = mid;
    else hi = mid;
  }
  return y[lo] + ((y[hi] - y[lo]) * (score - x[lo])) / (x[hi] - x[lo]);
}
