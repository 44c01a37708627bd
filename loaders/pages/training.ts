/**
 * Data for the Training page (internal): a deterministic quarter of the modelling
 * table — features, history features, the three targets, child and time — as
 * Parquet, so the browser can split, encode and train with the same src/lib code
 * as `workbench train`. And a summary of the registered models.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {loadDictionary, type Dictionary} from "../dictionary.ts";
import {queryRows, withWarehouse} from "../db.ts";
import {ident, literal} from "../sql.ts";
import {datasetSql, defaultSplitPlan, featureVariables, historyFeatures, targetNames, targetSql, targetText} from "../train/dataset.ts";
import {listModels, predictionsFile, readMetrics} from "../registry.ts";
import {MODELS_DIR} from "../paths.ts";
import {rocPoints, type RocPoint} from "../../src/lib/roc.ts";
import {csvRecords} from "../../src/lib/csv.ts";
import type {CurvePoint} from "../../src/lib/live-training.ts";

export async function trainingParquet(dict: Dictionary = loadDictionary(), fraction = 4): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), "training-"));
  const out = join(dir, "training.parquet");
  try {
    await withWarehouse(async (db) => {
      const [{end}] = await queryRows(
        db,
        `SELECT strftime(max(${ident(dict.roles.event_time)}), '%Y-%m-%d %H:%M:%S') AS "end" FROM contacts`,
      );
      const labels = Object.fromEntries(Object.entries(targetSql(dict, String(end))).map(([k, v]) => [`y_${k}`, v]));
      // A fixed subsample by hash of the record key: the same records every build, small enough for a browser.
      await db.run(`COPY (SELECT * FROM (${datasetSql(dict, featureVariables(dict), labels)}) WHERE hash(_id) % ${fraction} = 0)
        TO ${literal(out)} (FORMAT parquet, COMPRESSION zstd)`);
    });
    return readFileSync(out);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

/** The feature variables (with their groups' labels), targets and default split plan the page offers, from the dictionary (and the warehouse's dates). */
export async function trainingSpec(dict: Dictionary = loadDictionary()) {
  const vars = featureVariables(dict);
  return {
    /** each feature group's label, from the dictionary (the page shows labels, not group names) */
    groups: dict.groups,
    targets: targetNames(dict).map((name) => ({name, label: dict.targets[name].label, definition: targetText(dict, name)})),
    split: await withWarehouse((db) => defaultSplitPlan(db, dict)),
    variables: [
      ...vars.map((v) => ({name: v.name, label: v.label, group: v.group, type: v.type, codes: v.codes, special_codes: v.special_codes})),
      ...historyFeatures(dict).map((h) => ({name: h.name, label: h.definition, group: "history", type: "integer"})),
    ],
  };
}

/**
 * A model's test ROC curve: recorded in metrics.json since learning curves were
 * recorded, otherwise rebuilt from its predictions.internal.csv (thinned, so no
 * point stands for a single contact); empty when neither exists.
 */
export function modelRoc(dir: string, metrics: {roc?: RocPoint[]}): RocPoint[] {
  if (metrics.roc) return metrics.roc;
  const file = predictionsFile(dir);
  if (!existsSync(file)) return [];
  // Parsed as RFC 4180: an id may be quoted and hold commas (only y and score are used here).
  const [head, ...rows] = csvRecords(readFileSync(file, "utf8")).map((r) => r.fields);
  const [iy, is] = [head.indexOf("y"), head.indexOf("score")];
  return rocPoints(
    rows.map((f) => Number(f[is])),
    rows.map((f) => Number(f[iy])),
  );
}

/** Registered models: card and headline metrics of each, with learning and ROC curves for the comparison. */
export function registeredModels(dir = MODELS_DIR) {
  return listModels(dir).map(({id, dir: modelDir, card}) => {
    const m = readMetrics(modelDir);
    return {
      id,
      target: card.target,
      model: card.model,
      trainedAt: card.trainedAt,
      seconds: card.trainingSeconds,
      testAuc: m.test.auc,
      validationAuc: m.validation.auc,
      baselineAuc: m.baselines.oneVariable?.auc ?? null,
      baselineLabel: (m.baselines.oneVariable?.label as string | undefined) ?? null,
      n: m.test.n,
      curve: m.curve,
      // Models trained before the curves were recorded have none: the page says so.
      history: ((m.history as {points?: CurvePoint[]} | undefined)?.points ?? []) as CurvePoint[],
      roc: modelRoc(modelDir, m as {roc?: RocPoint[]}),
    };
  });
}
