/**
 * Global explanations that work for any model, given only a way to score rows:
 * permutation importance (how much the AUC drops when a feature's columns are
 * shuffled across contacts, breaking its link to the outcome) and partial
 * dependence (the average score when every contact is given the same value of a
 * feature). Pure: the caller passes `predict`, so Node (tfjs-node wasm) and the
 * browser share it.
 *
 * @example permutationImportance(predict, X, n, p, labels, [{name: "source", columns: [0, 1, 2]}])
 */
import {auc, seeded} from "./metrics.js";

export type Predict = (X: Float32Array, n: number) => ArrayLike<number>;

export interface FeatureGroup {
  name: string;
  /** the encoded columns that belong to the feature (one-hot columns move together) */
  columns: number[];
}

export interface Importance {
  name: string;
  /** mean AUC drop over the repeats */
  drop: number;
  /** smallest and largest drop over the repeats */
  min: number;
  max: number;
  repeats: number;
  n: number;
}

/** AUC drop when each feature group's columns are permuted together, `repeats` seeded shuffles each. */
export function permutationImportance(
  predict: Predict,
  X: Float32Array,
  n: number,
  p: number,
  labels: ArrayLike<number>,
  groups: FeatureGroup[],
  {repeats = 3, seed = 1} = {},
): Importance[] {
  const base = auc(predict(X, n), labels);
  const rand = seeded(seed);
  const work = new Float32Array(X);
  return groups.map((g) => {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const perm = Uint32Array.from({length: n}, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      for (let i = 0; i < n; i++) for (const c of g.columns) work[i * p + c] = X[perm[i] * p + c];
      drops.push(base - auc(predict(work, n), labels));
      for (let i = 0; i < n; i++) for (const c of g.columns) work[i * p + c] = X[i * p + c];
    }
    return {name: g.name, drop: drops.reduce((a, b) => a + b, 0) / repeats, min: Math.min(...drops), max: Math.max(...drops), repeats, n};
  });
}

export interface Dependence {
  /** the label of the setting (a code, or a number) */
  value: string | number;
  /** mean score with every contact set to it */
  mean: number;
  n: number;
}

/**
 * Partial dependence of the mean score on one feature: for each setting (the
 * values its encoded columns take), every contact gets that setting and the scores
 * are averaged.
 */
export function partialDependence(
  predict: Predict,
  X: Float32Array,
  n: number,
  p: number,
  group: FeatureGroup,
  settings: {value: string | number; columns: number[]}[],
): Dependence[] {
  const work = new Float32Array(X);
  return settings.map((s) => {
    for (let i = 0; i < n; i++) group.columns.forEach((c, j) => (work[i * p + c] = s.columns[j]));
    const scores = predict(work, n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += scores[i];
    return {value: s.value, mean: sum / n, n};
  });
}
