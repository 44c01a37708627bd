/**
 * ROC curves for the Training page's comparison of models: the true and false
 * positive rates at each score threshold, thinned to at most `maxPoints` points so
 * a curve never lists single contacts (every point aggregates many) and stays small.
 * @example rocPoints(scores, labels) // [{fpr: 0, tpr: 0}, …, {fpr: 1, tpr: 1}]
 */
export interface RocPoint {
  fpr: number;
  tpr: number;
}

export function rocPoints(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 101): RocPoint[] {
  const n = labels.length;
  const order = Array.from({length: n}, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let pos = 0;
  for (let i = 0; i < n; i++) pos += labels[i] ? 1 : 0;
  const neg = n - pos;
  if (!pos || !neg) return [];
  // Cumulative counts at each distinct threshold (tied scores move together).
  const full: RocPoint[] = [{fpr: 0, tpr: 0}];
  let tp = 0, fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (labels[i]) tp++;
    else fp++;
    if (k === n - 1 || scores[order[k + 1]] !== scores[i]) full.push({fpr: fp / neg, tpr: tp / pos});
  }
  if (full.length <= maxPoints) return full;
  // Keep evenly spaced points along the curve, always the two ends.
  const step = (full.length - 1) / (maxPoints - 1);
  return Array.from({length: maxPoints}, (_, k) => full[Math.round(k * step)]);
}

/** Area under a list of ROC points (trapezoids): equals the rank AUC when no points were thinned. */
export function rocArea(points: RocPoint[]): number {
  let a = 0;
  for (let k = 1; k < points.length; k++) a += ((points[k].fpr - points[k - 1].fpr) * (points[k].tpr + points[k - 1].tpr)) / 2;
  return a;
}
