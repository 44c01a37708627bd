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
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary} from "../dictionary.ts";
import {type Row} from "../../src/lib/features.ts";
import {quarterOf} from "../../src/lib/splits.ts";
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
import {band} from "../../src/lib/contributions.ts";
import {openRegistered} from "./registered.ts";
import {predictionsFile} from "../registry.ts";
import {csvRecords, unescapeCsvCell} from "../../src/lib/csv.ts";
import {drift, examples, explanations, householdShare} from "./explanations.ts";

const est = (e: Estimate) => ({value: e.value, lo: e.lo, hi: e.hi, n: e.n});

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
    const predFile = predictionsFile(dir);
    if (existsSync(predFile)) {
      const saved = new Map(
        csvRecords(readFileSync(predFile, "utf8"))
          .slice(1)
          .map(({fields: f}) => [unescapeCsvCell(f[0]), Number(f[3])]),
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
