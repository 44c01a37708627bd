/**
 * Evaluation of a score that is already in the extract — a column the dictionary
 * marks with role "score" (an existing tool's risk score, say) — exactly as a
 * registered model is evaluated: same target, same test and pilot contacts (the
 * same time and child split), same metrics with intervals. Numeric scores only;
 * calibration is shown when every score lies in [0, 1].
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {defaultTarget, type Dictionary, type Variable} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {ident} from "../sql.ts";
import {loadDataset, targetText, type Target} from "../train/dataset.ts";
import {assignSplits, quarterOf, type SplitPlan} from "../../src/lib/splits.ts";
import {curves, thin} from "../../src/lib/discrimination.ts";
import {reliability} from "../../src/lib/calibration.ts";
import {bootstrapAuc} from "../../src/lib/metrics.ts";
import {summary} from "./evaluate.ts";

/** Dictionary variables usable as a score: role score and a numeric type. */
export function scoreColumns(dict: Dictionary): Variable[] {
  return dict.variables.filter((v) => v.role === "score" && (v.type === "number" || v.type === "integer"));
}

export async function evaluateScoreColumn(
  db: DuckDBConnection,
  dict: Dictionary,
  variable: Variable,
  plan: SplitPlan,
  target: Target = defaultTarget(dict),
) {
  const data = await loadDataset(db, dict, target);
  const split = assignSplits(
    data.rows.map((r) => ({child: String(r._person), time: String(r._time)})),
    plan,
  );
  const values = new Map(
    (
      await queryRows(
        db,
        `SELECT ${ident(dict.roles.record)} AS id, CAST(${ident(variable.name)} AS DOUBLE) AS s FROM contacts WHERE ${ident(variable.name)} IS NOT NULL`,
      )
    ).map((r) => [String(r.id), Number(r.s)]),
  );
  const keep = data.rows
    .map((r, i) => i)
    .filter((i) => (split.splits[i] === "test" || split.splits[i] === "pilot") && values.has(String(data.rows[i]._id)));
  const testIdx = keep.filter((i) => split.splits[i] === "test");
  if (testIdx.length < 2) throw new Error(`the score column "${variable.name}" has fewer than 2 values among the test contacts`);
  const sOf = (i: number) => values.get(String(data.rows[i]._id))!;
  const scores = Float64Array.from(testIdx, sOf),
    y = Float64Array.from(testIdx, (i) => Number(data.rows[i]._y));
  const probability = scores.every((v) => v >= 0 && v <= 1);
  const c = curves(scores, y);
  const days = keep.map((i) => String(data.rows[i]._time).slice(0, 10));
  const quarters = [...new Set(days.map(quarterOf))].sort();
  const full = summary(probability ? scores : Float64Array.from(scores, (v) => 1 / (1 + Math.exp(-v))), y, 20190331);
  // A score on another scale is judged on ranking only (AUC and average precision are scale-free).
  const test = probability
    ? full
    : {n: full.n, positives: full.positives, prevalence: full.prevalence, auc: full.auc, averagePrecision: full.averagePrecision};
  return {
    id: `score column: ${variable.name}`,
    kind: "dictionary score",
    target,
    definition: `${variable.label}: ${variable.definition} — evaluated against ${targetText(dict, target)}`,
    probability,
    test,
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
    reliability: probability ? reliability(scores, y) : [],
    byQuarter: quarters.map((q) => {
      const idx = keep.filter((_, k) => quarterOf(days[k]) === q);
      const s = Float64Array.from(idx, sOf),
        yy = Float64Array.from(idx, (i) => Number(data.rows[i]._y));
      return {quarter: q, split: split.splits[idx[0]], n: idx.length, auc: bootstrapAuc(s, yy, {replicates: 100})};
    }),
    contacts: {
      ids: keep.map((i) => String(data.rows[i]._id)),
      split: keep.map((i) => split.splits[i]),
      day: days,
      y: keep.map((i) => Number(data.rows[i]._y)),
      score: keep.map(sOf),
    },
  };
}
