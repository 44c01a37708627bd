/**
 * Discrimination: how well a score ranks contacts that needed the outcome above
 * those that did not. ROC and precision–recall curves and average precision, with
 * the same conventions as scikit-learn (one point per distinct score, thresholds
 * descending, "positive" meaning score ≥ threshold), so the values can be checked
 * against it. Pure functions shared by Node and the browser.
 *
 * @example rocCurve([0.1, 0.9, 0.4], [0, 1, 1]) // [{threshold: Infinity, fpr: 0, tpr: 0}, …]
 */

export interface CurvePoint {
  threshold: number;
  /** ROC: false positive rate; PR: recall */
  fpr: number;
  tpr: number;
  precision: number;
  recall: number;
  /** contacts at or above the threshold */
  flagged: number;
}

/** Cumulative true and false positives at each distinct score, scores taken in descending order. */
function sweep(scores: ArrayLike<number>, labels: ArrayLike<number>) {
  const n = scores.length;
  const order = Uint32Array.from({length: n}, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let pos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) pos++;
  const points: {threshold: number; tp: number; fp: number}[] = [];
  let tp = 0,
    fp = 0;
  for (let i = 0; i < n;) {
    const s = scores[order[i]];
    while (i < n && scores[order[i]] === s) {
      if (labels[order[i]] === 1) tp++;
      else fp++;
      i++;
    }
    points.push({threshold: s, tp, fp});
  }
  return {points, pos, neg: n - pos};
}

/** Every point of the ROC and precision–recall curves, from the strictest threshold (nobody flagged) down. */
export function curves(scores: ArrayLike<number>, labels: ArrayLike<number>): CurvePoint[] {
  const {points, pos, neg} = sweep(scores, labels);
  const out: CurvePoint[] = [{threshold: Infinity, fpr: 0, tpr: 0, precision: 1, recall: 0, flagged: 0}];
  for (const {threshold, tp, fp} of points) {
    out.push({
      threshold,
      fpr: neg ? fp / neg : NaN,
      tpr: pos ? tp / pos : NaN,
      precision: tp / (tp + fp),
      recall: pos ? tp / pos : NaN,
      flagged: tp + fp,
    });
  }
  return out;
}

/**
 * Average precision: Σ (recall_k − recall_{k−1}) · precision_k over the distinct
 * thresholds (scikit-learn's definition: a step function, no interpolation). Its
 * baseline is the prevalence.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  // Walked from the highest score down, one step per distinct score; a bootstrap resample comes laid out
  // in ascending order, so it is walked backwards instead of sorted (and no curve is built).
  let ascending = true;
  for (let i = 1; i < n && ascending; i++) ascending = scores[i - 1] <= scores[i];
  const order = ascending ? null : Uint32Array.from({length: n}, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) pos++;
  if (pos === 0) return NaN;
  let ap = 0,
    lastRecall = 0,
    tp = 0,
    fp = 0;
  for (let r = n - 1; r >= 0;) {
    const s = scores[order ? order[r] : r];
    while (r >= 0 && scores[order ? order[r] : r] === s) {
      if (labels[order ? order[r] : r] === 1) tp++;
      else fp++;
      r--;
    }
    const recall = tp / pos;
    ap += (recall - lastRecall) * (tp / (tp + fp));
    lastRecall = recall;
  }
  return ap;
}

/**
 * A curve thinned for drawing: keeps a point when it moved at least `step` on
 * either axis since the last one kept, and always the two ends.
 */
export function thin<T>(points: T[], x: (d: T) => number, y: (d: T) => number, step = 0.002): T[] {
  if (points.length <= 2) return points;
  const out = [points[0]];
  for (let i = 1; i < points.length - 1; i++) {
    const last = out[out.length - 1];
    if (Math.abs(x(points[i]) - x(last)) >= step || Math.abs(y(points[i]) - y(last)) >= step) out.push(points[i]);
  }
  out.push(points[points.length - 1]);
  return out;
}
