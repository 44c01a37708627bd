/**
 * What a registered model's evaluation says beyond its metrics: how much of each score comes
 * from the group's history, input drift by quarter, global explanations (permutation importance,
 * partial dependence; for the logistic model, each category's levels as contrasts against a
 * reference level and the other coefficients, with sandwich intervals from src/lib/contrasts.ts)
 * and worked examples of single contacts; with the dictionary's labels for every name shown.
 */
import {createHash} from "node:crypto";
import {tf} from "../train/tf-node.ts";
import {encode, type Row} from "../../src/lib/features.ts";
import {integratedGradients, predict} from "../../src/lib/models.ts";
import {quarterOf, type SplitPlan} from "../../src/lib/splits.ts";
import {binCounts, psi, quantileEdges} from "../../src/lib/drift.ts";
import {partialDependence, permutationImportance, type FeatureGroup} from "../../src/lib/explain.ts";
import {categoryBlocks, identicalColumns, MISSING_LEVEL, penalisedCovariance, singleCoefficient} from "../../src/lib/contrasts.ts";
import type {Dictionary} from "../dictionary.ts";
import {baselineLogit, contributions} from "../../src/lib/contributions.ts";
import type {Card, Features} from "./registered.ts";

/** How much of each score comes from household history: its signed log-odds contribution ("risky by association"). */
export function householdShare(
  features: Features,
  model: import("@tensorflow/tfjs").LayersModel,
  X: Float32Array,
  n: number,
  p: number,
  kind: string,
): number[] {
  const cols = features.columns.map((c, j) => (c.variable.startsWith("hist_group") ? j : -1)).filter((j) => j >= 0);
  if (!cols.length) return new Array(n).fill(0);
  if (kind === "logistic") {
    const w = model.getWeights()[0].dataSync() as Float32Array;
    return Array.from({length: n}, (_, i) => Number(cols.reduce((s, j) => s + w[j] * (X[i * p + j] - features.means[j]), 0).toFixed(4)));
  }
  const ig = integratedGradients(tf, model, X, n, p, features.means, 16);
  return Array.from({length: n}, (_, i) => Number(cols.reduce((s, j) => s + ig[i * p + j], 0).toFixed(4)));
}

/** Rows encoded at a time by `drift`: the whole table at once would be a matrix of gigabytes at a million contacts. */
const DRIFT_BLOCK = 50000;

/** Drift already computed in this process, by its inputs: models sharing an encoding and a split (the default pair) share it. */
const driftMemo = new Map<string, ReturnType<typeof computeDrift>>();

/** PSI of each model input between training contacts and each later quarter (on the encoded columns, grouped by variable). */
export async function drift(features: Features, rows: Row[], splits: string[], plan: SplitPlan) {
  const key = createHash("sha256")
    .update(JSON.stringify([features.columns, plan]))
    .update(rows.map((r) => String(r._id)).join("\n"))
    .update(splits.join(","))
    .digest("hex");
  if (!driftMemo.has(key)) driftMemo.set(key, computeDrift(features, rows, splits, plan));
  return driftMemo.get(key)!;
}

function computeDrift(features: Features, rows: Row[], splits: string[], plan: SplitPlan) {
  const p = features.columns.length;
  const n = rows.length;
  const trainIdx: number[] = [];
  const later = new Map<string, number[]>();
  splits.forEach((s, i) => {
    if (s === "train") trainIdx.push(i);
    else if (String(rows[i]._time).slice(0, 10) >= plan.validFrom) {
      // Every later contact, including those of children already seen (left out of the
      // evaluation splits): drift is about the population the model would score.
      const q = quarterOf(String(rows[i]._time));
      const list = later.get(q);
      if (list) list.push(i);
      else later.set(q, [i]);
    }
  });
  const byVariable = new Map<string, number[]>();
  // Multi-hot items (each concern) drift on their own; other variables as one distribution.
  features.columns.forEach((c, j) => {
    const name = c.kind === "multi-hot" ? c.name : c.variable;
    byVariable.set(name, [...(byVariable.get(name) ?? []), j]);
  });
  const variables = [...byVariable].map(([variable, cols]) => ({
    variable,
    cols,
    // Numbers: training deciles; anything else: one category per distinct pattern of the variable's columns.
    numeric: cols.length === 1 && features.columns[cols[0]].kind === "scaled",
    values: new Float64Array(0),
    /** each row's pattern, numbered in order of first appearance */
    pattern: new Int32Array(0),
    patterns: new Map<string, number>(),
  }));
  for (const v of variables) if (v.numeric) v.values = new Float64Array(n);
  for (const v of variables) if (!v.numeric) v.pattern = new Int32Array(n);
  for (let start = 0; start < n; start += DRIFT_BLOCK) {
    const block = rows.slice(start, start + DRIFT_BLOCK);
    const X = encode(features, block);
    for (const v of variables)
      for (let r = 0; r < block.length; r++) {
        if (v.numeric) {
          v.values[start + r] = X[r * p + v.cols[0]];
          continue;
        }
        const key = v.cols.map((j) => X[r * p + j]).join("|");
        let id = v.patterns.get(key);
        if (id === undefined) v.patterns.set(key, (id = v.patterns.size));
        v.pattern[start + r] = id;
      }
  }
  const out: {variable: string; quarter: string; psi: number; n: number}[] = [];
  for (const v of variables) {
    let counts: (idx: number[]) => number[];
    if (v.numeric) {
      const edges = quantileEdges(trainIdx.map((i) => v.values[i]));
      counts = (idx) =>
        binCounts(
          idx.map((i) => v.values[i]),
          edges,
        );
    } else {
      // Categories are the patterns seen in training, in order of first appearance there; the last bin: a pattern never seen in training.
      const category = new Int32Array(v.patterns.size).fill(-1);
      let seen = 0;
      for (const i of trainIdx) if (category[v.pattern[i]] < 0) category[v.pattern[i]] = seen++;
      counts = (idx) => {
        const c = new Array<number>(seen + 1).fill(0);
        for (const i of idx) {
          const k = category[v.pattern[i]];
          c[k < 0 ? seen : k]++;
        }
        return c;
      };
    }
    const base = counts(trainIdx);
    for (const [quarter, idx] of [...later].sort()) out.push({variable: v.variable, quarter, psi: psi(base, counts(idx)), n: idx.length});
  }
  return {trainN: trainIdx.length, rows: out};
}

/**
 * Global explanations of a registered model on its test contacts (permutation importance,
 * partial dependence) and, for the logistic model, its coefficients with sandwich intervals
 * taken on the training contacts: each category as levels with the covariance block the page
 * needs for contrasts against any reference level, every other column on its own.
 * @example explanations(features, card, model, rows, splits, Xtest, ytest, 2, dict).coefficients?.categories[0].reference // "police"
 */
export function explanations(
  features: Features,
  card: Card,
  model: import("@tensorflow/tfjs").LayersModel,
  rows: Row[],
  splits: string[],
  Xtest: Float32Array,
  ytest: Float64Array,
  repeats: number,
  dict?: Dictionary,
) {
  const p = features.columns.length;
  const n = ytest.length;
  const groups: FeatureGroup[] = [];
  features.columns.forEach((c, j) => {
    const g = groups.find((x) => x.name === c.variable);
    if (g) g.columns.push(j);
    else groups.push({name: c.variable, columns: [j]});
  });
  const run = (M: Float32Array, m: number) => predict(tf, model, M, m, p);
  const importance = permutationImportance(run, Xtest, n, p, ytest, groups, {repeats, seed: 7});
  // Partial dependence. Numbers: at the test 5th–95th percentiles (missing-value flags off).
  // Categories: each code seen. Multi-category items: each item alone, and none.
  const dependence = groups.map((g) => {
    const cols = g.columns.map((j) => features.columns[j]);
    const scaled = cols.findIndex((c) => c.kind === "scaled");
    const multi = cols.every((c) => c.kind === "multi-hot");
    let settings: {value: string | number; columns: number[]}[];
    if (scaled >= 0) {
      const col = cols[scaled] as Extract<(typeof cols)[number], {kind: "scaled"}>;
      const sorted = Float32Array.from({length: n}, (_, i) => Xtest[i * p + g.columns[scaled]]).sort();
      const qs = [...new Set([0.05, 0.25, 0.5, 0.75, 0.95].map((q) => sorted[Math.floor(q * (n - 1))]))];
      settings = qs.map((z) => ({value: Number((z * col.sd + col.mean).toFixed(2)), columns: cols.map((_, k) => (k === scaled ? z : 0))}));
    } else if (multi) {
      settings = [
        {value: "(none)", columns: cols.map(() => 0)},
        ...cols.map((c, k) => ({value: "code" in c ? c.code : String(k), columns: cols.map((_, m) => (m === k ? 1 : 0))})),
      ];
    } else {
      const patterns = new Map<string, number[]>();
      for (let i = 0; i < n && patterns.size < 24; i++) {
        const v = g.columns.map((j) => Xtest[i * p + j]);
        patterns.set(v.join("|"), v);
      }
      settings = [...patterns.values()].map((v) => {
        const on = cols.filter((_, k) => v[k] === 1).map((c) => ("code" in c ? c.code : c.kind));
        return {value: on.length ? on.join(" + ") : "(none)", columns: v};
      });
    }
    return {variable: g.name, numeric: scaled >= 0, points: partialDependence(run, Xtest, n, p, g, settings)};
  });
  const labels = labelsFor(features, dict);
  let coefficients = null;
  if (card.model === "logistic") {
    const trainRows = rows.filter((_, i) => splits[i] === "train");
    const m = trainRows.length;
    // The float32 features the model was fitted on.
    const Xtr = encode(features, trainRows, Float32Array);
    const w = model.getWeights();
    const coef = Float64Array.from(w[0].dataSync() as Float32Array),
      b = (w[1].dataSync() as Float32Array)[0];
    const ridge = card.config.ridge;
    const cov = penalisedCovariance({intercept: b, coefficients: coef}, Xtr, m, p, ridge);
    const blocks = categoryBlocks(features.columns, coef, cov, Xtr, m);
    const inBlock = new Set(blocks.flatMap((bl) => bl.levels.map((l) => l.column)));
    const baseline = dict?.roles.baseline_feature;
    const ranked = [...importance].sort((a, c) => c.drop - a.drop).map((i) => i.name);
    coefficients = {
      n: m,
      ridge,
      method: "sandwich",
      intercept: {value: b, se: Math.sqrt(cov.sandwich[0])},
      // the category the page's answer is about: the dictionary's baseline feature, else the most important category
      focus: blocks.find((bl) => bl.variable === baseline)?.variable ?? ranked.find((v) => blocks.some((bl) => bl.variable === v)) ?? null,
      categories: blocks.map((bl) => ({
        ...bl,
        label: labels.variables[bl.variable] ?? bl.variable,
        levels: bl.levels.map((l) => ({...l, label: labels.codes[bl.variable]?.[l.code] ?? l.code})),
        columnLabels: bl.columns.map((c) => labels.columns[c] ?? c),
      })),
      // every other column: numbers per standard deviation, yes/no flags, each concern, special and missing values
      rows: features.columns.flatMap((c, j) => {
        if (inBlock.has(c.name)) return [];
        let count = 0;
        for (let i = 0; i < m; i++) count += Xtr[i * p + j] !== 0 ? 1 : 0;
        return [
          {
            name: c.name,
            variable: c.variable,
            label: labels.columns[c.name] ?? c.name,
            kind: c.kind,
            // a number's coefficient is per standard deviation of the training values
            sd: c.kind === "scaled" ? c.sd : null,
            n: c.kind === "scaled" ? m : count,
            ...singleCoefficient(coef[j], cov, j),
            with: identicalColumns(Xtr, m, p, j).map((k) => labels.columns[features.columns[k].name] ?? features.columns[k].name),
          },
        ];
      }),
    };
  }
  return {n, importance, dependence, coefficients, labels};
}

/**
 * Labels for the names a page shows, from the dictionary: variables, their codes, and encoded
 * columns ("Who made the contact: Police"); history features by their definition. Names stand
 * in for labels when no dictionary is given.
 * @example labelsFor(features, dict).columns["source=police"] // "Source: Police"
 */
export function labelsFor(features: Features, dict?: Dictionary) {
  const variables: Record<string, string> = {};
  const codes: Record<string, Record<string, string>> = {};
  for (const h of features.history ?? []) variables[h.name] = h.definition.charAt(0).toUpperCase() + h.definition.slice(1);
  for (const name of features.variables) {
    const v = dict?.variables.find((x) => x.name === name);
    if (v) variables[name] = v.label;
    codes[name] = {
      // partial dependence names a missing-value column "missing", a yes/no input "flag" (yes) or "(none)" (no)
      [MISSING_LEVEL]: "not recorded",
      missing: "not recorded",
      ...(v?.type === "boolean" ? {flag: "yes", "(none)": "no"} : {}),
      ...Object.fromEntries([...(v?.codes ?? []), ...(v?.special_codes ?? [])].map((c) => [c.code, c.label])),
    };
  }
  const columns: Record<string, string> = {};
  for (const c of features.columns) {
    const v = variables[c.variable] ?? c.variable;
    columns[c.name] =
      c.kind === "scaled" || c.kind === "flag"
        ? v
        : c.kind === "missing"
          ? `${v}: not recorded`
          : `${v}: ${codes[c.variable]?.[c.code] ?? c.code}`;
  }
  return {variables, codes, columns};
}

/**
 * Per-contact explanations for nine test contacts at the score's deciles (no ids):
 * each feature's signed contribution to the log-odds, exact for the logistic model,
 * integrated gradients from the average training contact for the MLP; with the
 * baseline and the check that baseline + contributions = logit(score).
 */
export function examples(
  features: Features,
  kind: string,
  model: import("@tensorflow/tfjs").LayersModel,
  X: Float32Array,
  scores: Float64Array,
) {
  const p = features.columns.length;
  const n = scores.length;
  const order = Array.from({length: n}, (_, i) => i).sort((a, b) => scores[a] - scores[b] || a - b);
  const picks = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((q) => order[Math.floor(q * (n - 1))]);
  const Xp = new Float32Array(picks.length * p);
  picks.forEach((i, k) => Xp.set(X.subarray(i * p, (i + 1) * p), k * p));
  let contrib: (k: number) => ArrayLike<number>;
  let base: number;
  if (kind === "logistic") {
    const w = model.getWeights();
    const coef = w[0].dataSync() as Float32Array,
      b = (w[1].dataSync() as Float32Array)[0];
    base = baselineLogit(b, coef, features.means);
    contrib = (k) => contributions(Xp.subarray(k * p, (k + 1) * p), coef, features.means);
  } else {
    const ig = integratedGradients(tf, model, Xp, picks.length, p, features.means, 64);
    const pb = predict(tf, model, Float32Array.from(features.means), 1, p)[0];
    base = Math.log(pb / (1 - pb));
    contrib = (k) => ig.subarray(k * p, (k + 1) * p);
  }
  const logit = (q: number) => Math.log(q / (1 - q));
  return {
    method:
      kind === "logistic"
        ? "exact: coefficient × (value − training mean)"
        : "integrated gradients from the average training contact (64 steps)",
    baseline: base,
    contacts: picks.map((i, k) => {
      const c = Array.from(contrib(k));
      const total = c.reduce((a, b) => a + b, 0);
      return {
        decile: k + 1,
        score: scores[i],
        logit: logit(scores[i]),
        sumCheck: base + total - logit(scores[i]),
        factors: features.columns
          .map((col, j) => ({name: col.name, value: c[j]}))
          .filter((f) => Math.abs(f.value) > 1e-6)
          .sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
          .slice(0, 10),
        rest:
          total -
          features.columns
            .map((_, j) => c[j])
            .filter((v) => Math.abs(v) > 1e-6)
            .sort((a, b) => Math.abs(b) - Math.abs(a))
            .slice(0, 10)
            .reduce((a, b) => a + b, 0),
      };
    }),
  };
}
