/**
 * ROC curves for the Training page's comparison of models: the true and false
 * positive rates at each score threshold, thinned to at most `maxPoints` points so
 * a curve never lists single contacts (every point aggregates many) and stays small.
 * @example rocPoints(scores, labels) // [{fpr: 0, tpr: 0}, …, {fpr: 1, tpr: 1}]
 */
import {curves} from "./discrimination.js";

export interface RocPoint {
  fpr: number;
  tpr: number;
}

export function rocPoints(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 101): RocPoint[] {
  // One sweep over the distinct thresholds, shared with the evaluation pages (discrimination.ts).
  const full = curves(
    scores,
    Array.from(labels as ArrayLike<number>, (y) => (y ? 1 : 0)),
  ).map((d) => ({fpr: d.fpr, tpr: d.tpr}));
  if (full.some((d) => !Number.isFinite(d.fpr) || !Number.isFinite(d.tpr))) return []; // no positives or no negatives
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
