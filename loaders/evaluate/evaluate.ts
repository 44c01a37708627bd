/**
 * Evaluation of one registered model on the warehouse (internal): scores the
 * validation, test and pilot contacts with the saved model and its features.json,
 * and computes what the evaluation pages show with the src/lib modules —
 * discrimination and calibration with intervals, recalibration fitted on
 * validation only, performance by quarter, input drift, global explanations —
 * plus the per-contact columns (no ids) the pages need for interactive
 * thresholds and fairness. Every figure carries its n.
 */
import {existsSync, readFileSync} from "node:fs";
import {join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary} from "../dictionary.ts";
import {tf} from "../train/tf-node.ts";
import {encode, type Row} from "../../src/lib/features.ts";
import {integratedGradients, predict} from "../../src/lib/models.ts";
import type {SplitPlan} from "../../src/lib/splits.ts";
import {averagePrecision, curves, thin} from "../../src/lib/discrimination.ts";
import {
  applyIsotonic,
  calibrationInTheLarge,
  calibrationLine,
  expectedCalibrationError,
  fitIsotonic,
  fitPlatt,
  reliability,
} from "../../src/lib/calibration.ts";
import {bootstrap, bootstrapAuc, brier, type Estimate} from "../../src/lib/metrics.ts";
import {binCounts, psi, quantileEdges} from "../../src/lib/drift.ts";
import {partialDependence, permutationImportance, type FeatureGroup} from "../../src/lib/explain.ts";
import {standardErrors} from "../../src/lib/logistic.ts";
import {band, baselineLogit, contributions} from "../../src/lib/contributions.ts";

import {openRegistered, type Card, type Features} from "./registered.ts";

const est = (e: Estimate) => ({value: e.value, lo: e.lo, hi: e.hi, n: e.n});
export const quarterOf = (day: string) => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;

/** The dictionary's protected attributes and the other grouping variables the Fairness page offers. */
export function groupingVariables(dict: Dictionary): {name: string; label: string; protected: boolean}[] {
  const prot = dict.variables.filter((v) => v.role === "protected" && v.type === "category");
  const source = dict.variables.filter((v) => v.name === dict.roles.baseline_feature);
  return [
    ...prot.map((v) => ({name: v.name, label: v.label, protected: true})),
    ...source.map((v) => ({name: v.name, label: v.label, protected: false})),
  ];
}

export function summary(scores: Float64Array, y: Float64Array, seed: number) {
  const n = y.length;
  const positives = y.reduce((a, b) => a + b, 0);
  const line = calibrationLine(scores, y);
  return {
    n,
    positives,
    prevalence: positives / n,
    auc: est(bootstrapAuc(scores, y, {seed})),
    averagePrecision: est(bootstrap(averagePrecision, scores, y, {seed: seed + 1, replicates: 100})),
    brier: est(bootstrap(brier, scores, y, {seed: seed + 2})),
    baselineBrier: (positives / n) * (1 - positives / n),
    ece: est(bootstrap((s, l) => expectedCalibrationError(s, l), scores, y, {seed: seed + 3, replicates: 100})),
    slope: line.slope,
    intercept: line.intercept,
    calibrationInTheLarge: calibrationInTheLarge(scores, y),
  };
}

export async function evaluateModel(dir: string, db: DuckDBConnection, dict: Dictionary, {importanceRepeats = 2} = {}) {
  const m = await openRegistered(db, dict, dir);
  const {features, card, metrics, data, split, model, p} = m;
  try {
    const parts = {valid: m.pick("valid"), test: m.pick("test"), pilot: m.pick("pilot")};
    const scored = Object.fromEntries(Object.entries(parts).map(([k, rows]) => [k, m.score(rows)])) as Record<
      keyof typeof parts,
      {X: Float32Array; scores: Float64Array}
    >;
    const label = (rows: Row[]) => Float64Array.from(rows, (r) => Number(r._y));
    const yv = label(parts.valid),
      yt = label(parts.test);

    // Registry check: the test scores must reproduce predictions.internal.csv.
    let registryMaxDiff: number | null = null;
    const predFile = join(dir, "predictions.internal.csv");
    if (existsSync(predFile)) {
      const saved = new Map(
        readFileSync(predFile, "utf8")
          .trim()
          .split("\n")
          .slice(1)
          .map((l) => l.split(","))
          .map((f) => [f[0], Number(f[3])]),
      );
      registryMaxDiff = 0;
      parts.test.forEach(
        (r, i) => (registryMaxDiff = Math.max(registryMaxDiff!, Math.abs((saved.get(String(r._id)) ?? NaN) - scored.test.scores[i]))),
      );
    }

    // Recalibration, fitted on validation contacts only, judged on test.
    const platt = fitPlatt(scored.valid.scores, yv);
    const iso = fitIsotonic(scored.valid.scores, yv);
    const recal = (f: (s: number) => number) => Float64Array.from(scored.test.scores, f);
    const seed = 20190331;
    const test = summary(scored.test.scores, yt, seed);
    const c = curves(scored.test.scores, yt);

    // Per contact (no ids): what the Thresholds and Fairness pages recompute interactively.
    const allRows = [...parts.valid, ...parts.test, ...parts.pilot];
    const allScores = [...scored.valid.scores, ...scored.test.scores, ...scored.pilot.scores];
    const splitOf = (i: number) => (i < parts.valid.length ? "valid" : i < parts.valid.length + parts.test.length ? "test" : "pilot");
    const X = new Float32Array(allRows.length * p);
    X.set(scored.valid.X, 0);
    X.set(scored.test.X, scored.valid.X.length);
    X.set(scored.pilot.X, scored.valid.X.length + scored.test.X.length);
    const household = householdShare(features, model, X, allRows.length, p, card.model);
    const days = allRows.map((r) => String(r._time).slice(0, 10));
    const ys = allRows.map((r) => Number(r._y));
    // The browser gets test and pilot contacts only (validation was used for recalibration here).
    const keep = allRows.map((_, i) => i).filter((i) => splitOf(i) !== "valid");
    const contacts = {
      ids: keep.map((i) => String(allRows[i]._id)),
      split: keep.map(splitOf),
      day: keep.map((i) => days[i]),
      y: keep.map((i) => ys[i]),
      score: keep.map((i) => Number(allScores[i].toPrecision(9))),
      band: keep.map((i) => band(allScores[i], metrics.ventiles)),
      household: keep.map((i) => household[i]),
    };

    // By quarter, across validation, test and pilot.
    const quarters = [...new Set(days.map(quarterOf))].sort();
    const byQuarter = quarters.map((q) => {
      const idx = days.map((d, i) => (quarterOf(d) === q ? i : -1)).filter((i) => i >= 0);
      const s = Float64Array.from(idx, (i) => allScores[i]),
        y = Float64Array.from(idx, (i) => ys[i]);
      const pos = y.reduce((a, b) => a + b, 0);
      const line = calibrationLine(s, y);
      return {
        quarter: q,
        split: splitOf(idx[0]),
        n: idx.length,
        slope: line.slope,
        calibrationInTheLarge: calibrationInTheLarge(s, y),
        positives: pos,
        observed: pos / idx.length,
        meanScore: s.reduce((a, b) => a + b, 0) / idx.length,
        auc: est(bootstrapAuc(s, y, {seed, replicates: 100})),
      };
    });

    return {
      id: card.id,
      target: card.target,
      model: card.model,
      definition: metrics.definition,
      trainedAt: card.trainedAt,
      registryMaxDiff,
      split: split.counts,
      test,
      validation: summary(scored.valid.scores, yv, seed + 10),
      baselines: metrics.baselines,
      roc: thin(
        c,
        (d) => d.fpr,
        (d) => d.tpr,
      ).map((d) => ({threshold: d.threshold, fpr: d.fpr, tpr: d.tpr})),
      pr: thin(
        c.slice(1),
        (d) => d.recall,
        (d) => d.precision,
      ).map((d) => ({threshold: d.threshold, recall: d.recall, precision: d.precision})),
      reliability: reliability(scored.test.scores, yt, {bins: 10}),
      recalibrated: {
        fittedOn: {split: "valid", n: yv.length},
        platt: {
          brier: brier(recal(platt), yt),
          ece: expectedCalibrationError(recal(platt), yt),
          reliability: reliability(recal(platt), yt),
        },
        isotonic: {
          brier: brier(
            recal((s) => applyIsotonic(iso, s)),
            yt,
          ),
          ece: expectedCalibrationError(
            recal((s) => applyIsotonic(iso, s)),
            yt,
          ),
          reliability: reliability(
            recal((s) => applyIsotonic(iso, s)),
            yt,
          ),
        },
      },
      byQuarter,
      drift: await drift(features, data.rows, split.splits, card.config.split),
      explanations: explanations(features, card, model, data.rows, split.splits, scored.test.X, yt, importanceRepeats),
      examples: examples(features, card.model, model, scored.test.X, scored.test.scores),
      contacts,
    };
  } finally {
    m.dispose();
  }
}

/** How much of each score comes from household history: its signed log-odds contribution ("risky by association"). */
function householdShare(
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

/** PSI of each model input between training contacts and each later quarter (on the encoded columns, grouped by variable). */
async function drift(features: Features, rows: Row[], splits: string[], plan: SplitPlan) {
  const p = features.columns.length;
  const X = encode(features, rows);
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
  const out: {variable: string; quarter: string; psi: number; n: number}[] = [];
  for (const [variable, cols] of byVariable) {
    // One category per distinct pattern of the variable's columns (numbers: training deciles).
    const numeric = cols.length === 1 && features.columns[cols[0]].kind === "scaled";
    const key = (i: number) => cols.map((j) => X[i * p + j]).join("|");
    const edges = numeric ? quantileEdges(trainIdx.map((i) => X[i * p + cols[0]])) : [];
    const cats = numeric ? new Map<string, number>() : new Map([...new Set(trainIdx.map(key))].map((k, c) => [k, c]));
    const counts = (idx: number[]) => {
      if (numeric)
        return binCounts(
          idx.map((i) => X[i * p + cols[0]]),
          edges,
        );
      const out = new Array<number>(cats.size + 1).fill(0); // the last bin: a pattern never seen in training
      for (const i of idx) out[cats.get(key(i)) ?? cats.size]++;
      return out;
    };
    const base = counts(trainIdx);
    for (const [quarter, idx] of [...later].sort()) out.push({variable, quarter, psi: psi(base, counts(idx)), n: idx.length});
  }
  return {trainN: trainIdx.length, rows: out};
}

function explanations(
  features: Features,
  card: Card,
  model: import("@tensorflow/tfjs").LayersModel,
  rows: Row[],
  splits: string[],
  Xtest: Float32Array,
  ytest: Float64Array,
  repeats: number,
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
  let coefficients = null;
  if (card.model === "logistic") {
    const trainRows = rows.filter((_, i) => splits[i] === "train");
    const Xtr = encode(features, trainRows);
    const w = model.getWeights();
    const coef = w[0].dataSync() as Float32Array,
      b = (w[1].dataSync() as Float32Array)[0];
    const se = standardErrors({intercept: b, coefficients: Float64Array.from(coef)}, Xtr, trainRows.length, p, card.config.ridge);
    coefficients = {
      n: trainRows.length,
      intercept: {value: b, se: se[0]},
      rows: features.columns.map((c, j) => ({
        name: c.name,
        variable: c.variable,
        value: coef[j],
        se: se[j + 1],
        lo: coef[j] - 1.96 * se[j + 1],
        hi: coef[j] + 1.96 * se[j + 1],
      })),
    };
  }
  return {n, importance, dependence, coefficients};
}

/**
 * Per-contact explanations for nine test contacts at the score's deciles (no ids):
 * each feature's signed contribution to the log-odds, exact for the logistic model,
 * integrated gradients from the average training contact for the MLP; with the
 * baseline and the check that baseline + contributions = logit(score).
 */
function examples(features: Features, kind: string, model: import("@tensorflow/tfjs").LayersModel, X: Float32Array, scores: Float64Array) {
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
