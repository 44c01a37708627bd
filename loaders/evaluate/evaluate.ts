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
import {periodOf, quarterOf} from "../../src/lib/splits.ts";
import {curves, thin} from "../../src/lib/discrimination.ts";
import {applyIsotonic, fitIsotonic, fitPlatt, reliability} from "../../src/lib/calibration.ts";
import {
  bootstrapEstimates,
  calibrationSummary,
  groupEstimates,
  scoreSummary,
  seedFromText,
  type ScoreSummary,
} from "../../src/lib/metrics.ts";
import {summaryKey} from "../train/summary-key.ts";
import {seenSplit} from "../../src/lib/eval-view.ts";
import {band} from "../../src/lib/contributions.ts";
import {openRegistered} from "./registered.ts";
import {scoreInBlocks, storeScored} from "./scored.ts";
import {predictionsFile} from "../registry.ts";
import {csvRecords, unescapeCsvCell} from "../../src/lib/csv.ts";
import {drift, examples, explanations, householdShare} from "./explanations.ts";

/** The dictionary's protected attributes and the other grouping variables the Fairness page offers. */
export function groupingVariables(dict: Dictionary): {name: string; label: string; protected: boolean}[] {
  const prot = dict.variables.filter((v) => v.role === "protected" && v.type === "category");
  const source = dict.variables.filter((v) => v.name === dict.roles.baseline_feature);
  return [
    ...prot.map((v) => ({name: v.name, label: v.label, protected: true})),
    ...source.map((v) => ({name: v.name, label: v.label, protected: false})),
  ];
}

/**
 * A score's summary on a set of contacts: the one shared with training (src/lib/metrics.ts
 * scoreSummary), so with the model's seed the test intervals equal metrics.json's exactly.
 *
 * @example summary(scores, labels, seedFromText(card.id)).auc // {value, lo, hi, n, replicates}
 */
export function summary(scores: Float64Array, y: Float64Array, seed: number) {
  return scoreSummary(scores, y, {seed});
}

/**
 * The summary training wrote to metrics.json when it was computed from exactly these scores, labels and
 * seed (its key in `summaryKeys` matches), else the summary computed here: the same numbers either way.
 *
 * @example trainedSummary(metrics, "test", scores, labels, seed) // {summary, reused: true}
 */
export function trainedSummary(
  metrics: {summaryKeys?: Record<string, string>; [part: string]: unknown},
  part: "test" | "validation",
  scores: Float64Array,
  y: Float64Array,
  seed: number,
): {summary: ScoreSummary; reused: boolean} {
  const saved = metrics[part] as ScoreSummary | undefined;
  if (saved && metrics.summaryKeys?.[part] === summaryKey(scores, y, seed)) return {summary: saved, reused: true};
  return {summary: summary(scores, y, seed), reused: false};
}

/**
 * Contacts of the test period (all, or the test set, or the children already seen) for the
 * note on what leaving out seen children does and for the capacity view: n, contacts a day
 * over the period's `days` (days with any contact), and the rate staff shared, the mean score
 * and calibration-in-the-large, each with a bootstrap interval (the model's seed).
 *
 * @example periodSummary(scores, labels, 184, seed) // {n, days: 184, perDay, rate: {value, lo, hi, n}, …}
 */
export function periodSummary(scores: ArrayLike<number>, y: ArrayLike<number>, days: number, seed: number) {
  return {
    n: y.length,
    days,
    perDay: y.length / days,
    ...bootstrapEstimates(scores, y, ["rate", "meanScore", "observedMinusPredicted", "calibrationInTheLarge"], {seed}),
  };
}

export async function evaluateModel(dir: string, db: DuckDBConnection, dict: Dictionary, {importanceRepeats = 2} = {}) {
  const m = await openRegistered(db, dict, dir);
  const {features, card, metrics, data, split, model, p} = m;
  try {
    // `seen`: contacts of the test period whose child was already seen in training or validation. The
    // test set leaves them out (no child on both sides of a comparison); the daily-capacity view and the
    // note on what that thinning does need every contact of the period.
    const seen = data.rows.filter((r, i) => split.splits[i] === "excluded" && periodOf(String(r._time), card.config.split) === "test");
    const parts = {valid: m.pick("valid"), test: m.pick("test"), pilot: m.pick("pilot"), seen};
    const scored = Object.fromEntries(Object.entries(parts).map(([k, rows]) => [k, m.score(rows)])) as Record<
      keyof typeof parts,
      {X: Float32Array; scores: Float64Array}
    >;
    // Every labelled row's score, kept for the pages that share this model's scoring (scored.ts): the parts
    // scored here placed by position, the rest (training contacts, mostly) scored in blocks.
    const known = new Float64Array(data.rows.length).fill(NaN);
    const position = new Map(data.rows.map((r, i) => [r, i]));
    for (const k of Object.keys(parts) as (keyof typeof parts)[])
      parts[k].forEach((r, j) => (known[position.get(r)!] = scored[k].scores[j]));
    await storeScored(db, dict, dir, data.rows, split.splits, scoreInBlocks(m, known));
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
    // One bootstrap seed per model, the one training used for metrics.json: the same resamples of the
    // test contacts serve the model, its recalibrations and its baseline, so every interval agrees.
    const seed = seedFromText(card.id);
    // The test and validation summaries as training bootstrapped them, when computed from these very scores.
    const trained = {
      test: trainedSummary(metrics, "test", scored.test.scores, yt, seed),
      validation: trainedSummary(metrics, "validation", scored.valid.scores, yv, seed),
    };
    const test = trained.test.summary;
    const c = curves(scored.test.scores, yt);

    // Per contact (no ids): what the Thresholds and Fairness pages recompute interactively.
    const allRows = [...parts.valid, ...parts.test, ...parts.pilot];
    const allScores = [...scored.valid.scores, ...scored.test.scores, ...scored.pilot.scores];
    const splitOf = (i: number) => (i < parts.valid.length ? "valid" : i < parts.valid.length + parts.test.length ? "test" : "pilot");
    const days = allRows.map((r) => String(r._time).slice(0, 10));
    const ys = allRows.map((r) => Number(r._y));
    // The browser gets test and pilot contacts only (validation was used for recalibration here).
    const keep = allRows.map((_, i) => i).filter((i) => splitOf(i) !== "valid");
    // The household contribution of those contacts (they follow the validation ones in allRows).
    const kept = new Float32Array(keep.length * p);
    kept.set(scored.test.X, 0);
    kept.set(scored.pilot.X, scored.test.X.length);
    const householdKept = householdShare(features, model, kept, keep.length, p, card.model);
    const household = (i: number) => householdKept[i - parts.valid.length];
    const contacts = {
      ids: keep.map((i) => String(allRows[i]._id)),
      split: keep.map(splitOf),
      day: keep.map((i) => days[i]),
      y: keep.map((i) => ys[i]),
      score: keep.map((i) => Number(allScores[i].toPrecision(9))),
      band: keep.map((i) => band(allScores[i], metrics.ventiles)),
      household: keep.map(household),
    };

    // By quarter, across validation, test and pilot (children new to the model, as in the test set);
    // every figure with a percentile bootstrap interval from ONE set of resamples of all these contacts,
    // each quarter's statistics computed on its drawn contacts (src/lib/metrics.ts groupEstimates).
    const quarterOfRow = days.map(quarterOf);
    const quarters = [...new Set(quarterOfRow)].sort();
    const quarterIndex = new Map(quarters.map((q, k) => [q, k]));
    const estimates = groupEstimates(
      allScores,
      ys,
      Uint32Array.from(quarterOfRow, (q) => quarterIndex.get(q)!),
      quarters.length,
      ["auc", "observedMinusPredicted", "calibrationInTheLarge", "slope"],
      {seed},
    );
    const byQuarter = quarters.map((q, k) => {
      const idx = quarterOfRow.flatMap((d, i) => (d === q ? [i] : []));
      let pos = 0,
        total = 0;
      for (const i of idx) ((pos += ys[i]), (total += allScores[i]));
      return {
        quarter: q,
        split: splitOf(idx[0]),
        n: idx.length,
        positives: pos,
        observed: pos / idx.length,
        meanScore: total / idx.length,
        ...estimates[k],
      };
    });

    // The whole test period against the test set: what leaving out the children already seen does.
    const ySeen = label(parts.seen);
    const daysSeen = parts.seen.map((r) => String(r._time).slice(0, 10));
    const periodDays = new Set([...parts.test.map((r) => String(r._time).slice(0, 10)), ...daysSeen]).size;
    const periodOfTest = {
      from: card.config.split.testFrom,
      ...periodSummary([...scored.test.scores, ...scored.seen.scores], [...yt, ...ySeen], periodDays, seed),
      // The test set's figures are its summary's: the same statistics on the same resamples.
      test: {
        n: yt.length,
        days: periodDays,
        perDay: yt.length / periodDays,
        rate: test.rate,
        meanScore: test.meanScore,
        observedMinusPredicted: test.observedMinusPredicted,
        calibrationInTheLarge: test.calibrationInTheLarge,
      },
      seen: periodSummary(scored.seen.scores, ySeen, periodDays, seed),
      // The seen contacts themselves (no ids), for the daily-capacity view: with the test contacts, every contact of the period.
      seenContacts: {
        split: seenSplit("test"),
        day: daysSeen,
        y: Array.from(ySeen),
        score: Array.from(scored.seen.scores, (x) => Number(x.toPrecision(9))),
        band: Array.from(scored.seen.scores, (x) => band(x, metrics.ventiles)),
      },
    };

    return {
      id: card.id,
      target: card.target,
      model: card.model,
      definition: metrics.definition,
      trainedAt: card.trainedAt,
      registryMaxDiff,
      split: split.counts,
      test,
      validation: trained.validation.summary,
      /** whether the test and validation summaries are metrics.json's (computed by training from the same scores) */
      summariesFromTraining: {test: trained.test.reused, validation: trained.validation.reused},
      testPeriod: periodOfTest,
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
        // Intervals from the test resamples above, holding each recalibration fixed as fitted on validation.
        platt: {...calibrationSummary(recal(platt), yt, {seed}), reliability: reliability(recal(platt), yt)},
        isotonic: {
          ...calibrationSummary(
            recal((s) => applyIsotonic(iso, s)),
            yt,
            {seed},
          ),
          reliability: reliability(
            recal((s) => applyIsotonic(iso, s)),
            yt,
          ),
        },
      },
      byQuarter,
      drift: await drift(features, data.rows, split.splits, card.config.split),
      explanations: explanations(features, card, model, data.rows, split.splits, scored.test.X, yt, importanceRepeats, dict),
      examples: examples(features, card.model, model, scored.test.X, scored.test.scores),
      contacts,
    };
  } finally {
    m.dispose();
  }
}
