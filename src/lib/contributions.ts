/**
 * Exact per-contact explanations for a logistic model, on the log-odds scale:
 * contribution_j = w_j · (x_j − mean_j), where mean_j is the training mean of
 * column j. They sum to logit(score) − logit(score of an average training contact),
 * so every factor shown adds up to the score shown.
 * @example contributions(x, weights, means) // Float64Array of signed log-odds
 */
export function contributions(x: ArrayLike<number>, weights: ArrayLike<number>, means: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  for (let j = 0; j < weights.length; j++) out[j] = weights[j] * (x[j] - means[j]);
  return out;
}

/** The log-odds of an average training contact: intercept + Σ w_j · mean_j. */
export function baselineLogit(intercept: number, weights: ArrayLike<number>, means: ArrayLike<number>): number {
  let z = intercept;
  for (let j = 0; j < weights.length; j++) z += weights[j] * means[j];
  return z;
}

/** The k largest contributions by size, with their column names. */
export function topFactors(names: string[], contrib: ArrayLike<number>, k = 3): {name: string; value: number}[] {
  return names
    .map((name, j) => ({name, value: contrib[j]}))
    .filter((f) => f.value !== 0)
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.name.localeCompare(b.name))
    .slice(0, k);
}

/** 1–20 band: 1 + the number of training ventiles at or below the score. */
export function band(score: number, ventiles: ArrayLike<number>): number {
  let b = 1;
  for (let i = 0; i < ventiles.length; i++) if (score >= ventiles[i]) b++;
  return b;
}
