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
import {contrasts, penaltyPull, summariseContrasts, type CategoryBlock, type Contrast} from "./contrasts.js";
import {inSentence} from "./labels.js";

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

/** Dictionary labels for the names an explanation shows (loaders/evaluate/explanations.ts `labelsFor`). */
export interface ExplanationLabels {
  variables: Record<string, string>;
  codes: Record<string, Record<string, string>>;
  columns: Record<string, string>;
}

/**
 * The label of a variable's value as partial dependence names it: a code, "a + b" (several
 * codes together), "(none)" or a number.
 *
 * @example labelValue(labels, "source", "police + school") // "Police + Schools"
 */
export function labelValue(labels: ExplanationLabels | undefined, variable: string, value: string | number): string {
  if (typeof value === "number") return value.toLocaleString("en-GB");
  return value
    .split(" + ")
    .map((code) => labels?.codes[variable]?.[code] ?? code)
    .join(" + ");
}

/**
 * A signed log-odds figure with a true minus sign.
 * @example signed(-0.235) // "−0.24"
 */
export const signed = (x: number, digits = 2): string => `${x < 0 ? "−" : "+"}${Math.abs(x).toFixed(digits)}`;
const plain = (x: number, digits = 2) => `${x < 0 ? "−" : ""}${Math.abs(x).toFixed(digits)}`;
const count = (n: number) => n.toLocaleString("en-GB");

/** A category block as the loader ships it: with the dictionary's labels. */
export type LabelledBlock = Omit<CategoryBlock, "levels"> & {label: string; levels: (CategoryBlock["levels"][number] & {label: string})[]};

/** What the answer needs of one model's explanations (the loader's output). */
export interface AnswerInput {
  n: number;
  importance: Importance[];
  labels?: ExplanationLabels;
  coefficients: {
    n: number;
    ridge: number;
    focus: string | null;
    categories: LabelledBlock[];
    rows: {label: string; n: number; shrinkage: number}[];
  } | null;
}

/**
 * The Explanations page's plain-English answer for a MASH manager, every number bound to the
 * data: which input matters most (permutation importance), and for the logistic model which
 * levels of the focus category raise and lower the score against its most frequent level,
 * how many differ beyond chance, and what the penalty does to estimates and intervals.
 *
 * @example explanationAnswer(model.explanations) // ["Of the inputs, Concerns matters most …", "Compared with …", "The model is penalised …"]
 */
export function explanationAnswer(ex: AnswerInput): string[] {
  const out: string[] = [];
  const top = [...ex.importance].sort((a, b) => b.drop - a.drop)[0];
  if (top)
    out.push(
      `Of the inputs, ${ex.labels?.variables[top.name] ?? top.name} matters most to the score: shuffling it across the ${count(top.n)} test contacts ` +
        `lowers the AUC by ${top.drop.toFixed(3)} (${top.min.toFixed(3)} to ${top.max.toFixed(3)} over ${top.repeats} shuffles).`,
    );
  const c = ex.coefficients;
  if (!c) {
    out.push(
      "This model is a neural network: it has no coefficients, since it combines the inputs in ways no single number per input describes. " +
        "Choose a logistic model to compare categories level by level.",
    );
    return out;
  }
  const block = c.categories.find((b) => b.variable === c.focus);
  if (block) {
    const label = (code: string) => block.levels.find((l) => l.code === code)?.label ?? code;
    const s = summariseContrasts(block);
    const ref = block.levels.find((l) => l.code === block.reference)!;
    const say = (x: Contrast) =>
      `${label(x.level)} (${signed(x.estimate)} on the log-odds scale, 95% interval ${plain(x.lo)} to ${plain(x.hi)}, n = ${count(x.n)}: ` +
      `about ${Math.exp(x.estimate).toFixed(2)} times the odds)`;
    const parts = [
      s.highest && s.highest.estimate > 0 ? `${say(s.highest)} raises the score most` : "no level raises the score",
      s.lowest && s.lowest.estimate < 0 ? `${say(s.lowest)} lowers it most` : "no level lowers it",
    ];
    out.push(
      `Compared with contacts where ${inSentence(block.label)} is ${ref.label} (the most frequent: n = ${count(ref.n)} training contacts) and ` +
        `every other input is the same, ${parts.join(", and ")}; ${s.beyondChance} of the ${s.estimable} other levels differ from ` +
        `${ref.label} beyond chance (their 95% interval excludes 0).`,
    );
  }
  const pull = penaltyPull([
    ...c.categories.flatMap((b) =>
      contrasts(b).map((x) => ({...x, label: `${b.label}: ${b.levels.find((l) => l.code === x.level)?.label}`})),
    ),
    ...c.rows,
  ]);
  out.push(
    `The model is penalised (ridge λ = ${c.ridge} over ${count(c.n)} training contacts): the penalty pulls estimates towards zero, rare ` +
      `levels most, and makes their intervals narrower than an unpenalised fit's — by under 1% for ${pull.underOnePercent} of the ` +
      `${pull.count} estimates shown` +
      (pull.largest ? `, at most ${(100 * pull.largest.shrinkage).toFixed(1)}% (${pull.largest.label})` : "") +
      `; the intervals are centred on the pulled estimates.` +
      (pull.notEstimable.length
        ? ` ${pull.notEstimable.length} ${pull.notEstimable.length === 1 ? "is" : "are"} set by the penalty rather than the data and shown without an interval.`
        : ""),
  );
  return out;
}
