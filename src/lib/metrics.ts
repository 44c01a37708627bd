/**
 * Discrimination and calibration metrics with their uncertainty, for any score.
 * Pure functions shared by Node and the browser. Bootstrap intervals use a seeded
 * generator, so the same inputs give the same interval.
 */

/** AUC as the Mann–Whitney statistic: P(score of a positive > score of a negative), ties counted half. */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({length: n}, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[order[k]] === 1) ((rankSumPos += midRank), nPos++);
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

/** A small seeded generator (mulberry32) for bootstrap resampling. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
