/**
 * One colour meaning per concept across the site: a model keeps its colour on every chart, a
 * split its own, RAG ratings their conventional three, and groups a categorical scheme with as
 * many colours as categories (Tableau 10 then its lighter 10, so up to 20 stay distinct; beyond
 * that, charts combine the smallest groups). Raising and lowering (contributions) are fixed too.
 *
 * @example Plot.plot({color: modelColor(["logistic-1", "mlp-2"])}) // the same two colours on every page
 */

/** Distinct categorical colours, in order (Tableau 10, then Tableau 20's lighter partners). */
export const CATEGORICAL = [
  "#4e79a7",
  "#f28e2b",
  "#e15759",
  "#76b7b2",
  "#59a14f",
  "#edc948",
  "#b07aa1",
  "#ff9da7",
  "#9c755f",
  "#bab0ac",
  "#a0cbe8",
  "#ffbe7d",
  "#ff9d9a",
  "#86bcb6",
  "#8cd17d",
  "#f1ce63",
  "#d4a6c8",
  "#fabfd2",
  "#d7b5a6",
  "#79706e",
] as const;

/** Splits: training, validation, test, pilot (and a test period's contacts of children already seen). */
export const SPLIT_COLORS: Record<string, string> = {
  train: "#9c755f",
  valid: "#b07aa1",
  test: "#4e79a7",
  pilot: "#f28e2b",
  "test-seen": "#a0cbe8",
};

/** RAG ratings as staff record them, and a missing rating. */
export const RAG_COLORS: Record<string, string> = {green: "#4daf4a", amber: "#ff9f1c", red: "#d62728", missing: "#bbbbbb"};

/** A contribution that raises the score, and one that lowers it. */
export const RAISES = "#c0392b";
export const LOWERS = "#2c7fb8";

/** Model types: the logistic model and the MLP, and a score column from outside. */
export const MODEL_TYPE_COLORS: Record<string, string> = {logistic: "#4e79a7", mlp: "#e15759", score: "#59a14f"};

/** Versions of a model's scores on the reliability diagram: as trained, and recalibrated by Platt or isotonic regression. */
export const CALIBRATION_COLORS: Record<string, string> = {"as trained": "#333333", Platt: "#499894", isotonic: "#d37295"};

/** A unit on a funnel plot: inside the 99.8% limits, or outside below or above what its case mix predicts. */
export const FUNNEL_FLAG_COLORS: Record<string, string> = {
  "as expected": "#8a8a8a",
  "below expected (outside 99.8%)": "#d95f02",
  "above expected (outside 99.8%)": "#1b9e77",
};

/**
 * A Plot colour scale for a reliability diagram's versions, named by what they start with
 * ("Platt (fitted on validation)" is Platt's colour); any other version takes a categorical colour.
 */
export function calibrationColor(versions: readonly string[]): {domain: string[]; range: string[]} {
  const fallback = categorical(versions).range;
  const known = (v: string) => Object.keys(CALIBRATION_COLORS).find((k) => v === k || v.startsWith(`${k} `));
  return {domain: [...versions], range: versions.map((v, i) => CALIBRATION_COLORS[known(v) ?? ""] ?? fallback[i])};
}

/**
 * A Plot colour scale for categories: the domain as given (in order) with that many distinct
 * colours. More than CATEGORICAL holds is an error: combine the smallest first.
 */
export function categorical(domain: readonly string[]): {domain: string[]; range: string[]} {
  if (domain.length > CATEGORICAL.length)
    throw new Error(`${domain.length} categories but ${CATEGORICAL.length} distinct colours: combine the smallest groups first`);
  return {domain: [...domain], range: CATEGORICAL.slice(0, domain.length)};
}

/** A Plot colour scale for models by id: each model coloured by its type, so "logistic" is one colour everywhere. */
export function modelColor(
  ids: readonly string[],
  typeOf: (id: string) => string = (id) => id.split(/[-_]/).find((p) => p in MODEL_TYPE_COLORS) ?? "",
) {
  const fallback = categorical(ids).range;
  return {domain: [...ids], range: ids.map((id, i) => MODEL_TYPE_COLORS[typeOf(id)] ?? fallback[i])};
}

/** A Plot colour scale for splits present in the data, in the fixed order. */
export function splitColor(splits: readonly string[]): {domain: string[]; range: string[]} {
  const order = Object.keys(SPLIT_COLORS).filter((s) => splits.includes(s));
  return {domain: order, range: order.map((s) => SPLIT_COLORS[s])};
}

/** A Plot colour scale for RAG ratings (only those present, in green-amber-red order). */
export function ragColor(present: readonly string[] = Object.keys(RAG_COLORS)): {domain: string[]; range: string[]} {
  const order = Object.keys(RAG_COLORS).filter((r) => present.includes(r));
  return {domain: order, range: order.map((r) => RAG_COLORS[r])};
}
