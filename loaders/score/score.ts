/**
 * Scoring new contacts with a registered model, for the MASH platform (~200 a day):
 * validate the extract exactly as ingest does (same refusals, same quarantine) →
 * read the accepted contacts as training reads them and `encode` them with the
 * model's features.json → `predict` → explain (exact log-odds contributions from the
 * average training contact) → write the CSV (text cells escaped against formula injection by
 * src/lib/csv.ts). The rows validation rejects go to a rejects file (where and which rule,
 * never a value), so no contact goes missing unseen.
 * Output files appear only when scoring succeeds (written to a partial file, then renamed).
 */
import {mkdtempSync, renameSync, rmSync, statSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {dirname, join, resolve} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {ingest} from "../ingest/ingest.ts";
import {loadDictionary, type Dictionary} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {DICTIONARY} from "../paths.ts";
import {openModelDir, readFeatures, readMetrics, type Features} from "../registry.ts";
import {datasetSql, historyFeatures} from "../train/dataset.ts";
import {loadModel, tf, useWasmBackend} from "../train/tf-node.ts";
import {encode, type Row} from "../../src/lib/features.ts";
import {denseLayers, predict} from "../../src/lib/models.ts";
import {band, baselineLogit, contributions, pathIntegratedGradients, topFactors} from "../../src/lib/contributions.ts";
import {csvCell, csvLine} from "../../src/lib/csv.ts";

export interface ScoreOptions {
  /** a model folder (models/<id>) or id */
  model: string;
  extract: string[];
  out: string;
  /** where to write the rows validation rejected: file, row, column, rule, detail (no values); not written when absent */
  rejects?: string;
  dictionary?: string;
  encoding?: string;
  /** validation's progress: stages done of total (ingest's stages) */
  onStage?: (stage: string, done: number, total: number) => void;
  /** scoring's progress: contacts explained and formatted, of the total */
  onScored?: (done: number, total: number) => void;
}

export interface ScoreSummary {
  scored: number;
  read: number;
  rejected: number;
  /** rejected rows by rule (a row breaking several rules counts under each) */
  rejectedByRule: Record<string, number>;
  duplicates: number;
  /** wall-clock seconds in all, of which validating the extract, then the rest by stage */
  seconds: number;
  validationSeconds: number;
  stages: {encode: number; predict: number; explainAndWrite: number};
}

/** The scores file's columns after the record key (named as the dictionary's record role). */
export const SCORE_COLUMNS = [
  "probability",
  "band",
  "baseline_log_odds",
  "factor_1",
  "contribution_1",
  "factor_2",
  "contribution_2",
  "factor_3",
  "contribution_3",
];

/** Contacts explained between progress reports. */
const BLOCK = 1000;

/** Refuses a model whose dictionary version or feature codes do not match the dictionary in use, or whose features.json is incomplete. */
export function checkCompatible(features: Features, dict: Dictionary, dictionaryPath: string): void {
  if (!Array.isArray(features.means) || features.means.length !== features.columns.length || typeof features.model !== "string") {
    throw new Error(
      "the model's features.json has no training means or model type (it was trained by an older version of the workbench): retrain it with `workbench train`",
    );
  }
  if (dict.version !== features.dictionaryVersion) {
    throw new Error(
      `the model was trained with dictionary version ${features.dictionaryVersion}, but ${dictionaryPath} is version ${dict.version}: retrain the model or score with the matching dictionary`,
    );
  }
  const history = new Set(historyFeatures(dict).map((h) => h.name));
  for (const c of features.columns) {
    const v = dict.variables.find((x) => x.name === c.variable);
    if (!v && !history.has(c.variable))
      throw new Error(`the model uses "${c.variable}", which neither the dictionary nor the history features define`);
    if (v && (c.kind === "one-hot" || c.kind === "multi-hot") && !(v.codes ?? []).some((k) => k.code === c.code)) {
      throw new Error(`the model uses code "${c.code}" of ${c.variable}, which the dictionary no longer lists`);
    }
  }
}

export async function scoreExtract(options: ScoreOptions): Promise<ScoreSummary> {
  const started = performance.now();
  // Where the files go is checked first, not after the whole extract has been validated.
  for (const file of [options.out, options.rejects]) {
    if (file && !statSync(dirname(resolve(file)), {throwIfNoEntry: false})?.isDirectory())
      throw new Error(`cannot write ${file}: its folder ${dirname(resolve(file))} does not exist`);
  }
  const dictionary = options.dictionary ?? DICTIONARY;
  const dict = loadDictionary(dictionary);
  const {dir: modelDir} = openModelDir(options.model);
  const features = readFeatures(modelDir);
  const {ventiles} = readMetrics(modelDir);
  checkCompatible(features, dict, dictionary);
  await useWasmBackend();
  const tmp = mkdtempSync(join(tmpdir(), "score-"));
  const partial = (file: string) => `${file}.partial-${process.pid}`;
  try {
    let validated = 0;
    let result: {scored: number; stages: ScoreSummary["stages"]} | undefined;
    // Validated exactly as ingest does, into a warehouse kept in memory and scored there.
    const report = await ingest({
      files: options.extract,
      dictionary,
      db: join(tmp, "wh.duckdb"),
      report: join(tmp, "report.json"),
      encoding: options.encoding,
      onStage: options.onStage,
      onWarehouse: async (conn) => {
        validated = performance.now();
        if (options.rejects) writeFileSync(partial(options.rejects), await rejectsCsv(conn));
        result = await scoreContacts(conn, modelDir, features, ventiles, dict, partial(options.out), options.onScored);
      },
    });
    if (!result) throw new Error("internal error: the validated contacts were never scored");
    // Both files appear together, or neither.
    renameSync(partial(options.out), options.out);
    if (options.rejects) renameSync(partial(options.rejects), options.rejects);
    return {
      scored: result.scored,
      read: report.read,
      rejected: report.rejected,
      rejectedByRule: report.rejectedByRule,
      duplicates: report.duplicates.total,
      seconds: (performance.now() - started) / 1000,
      validationSeconds: (validated - started) / 1000,
      stages: result.stages,
    };
  } finally {
    for (const file of [options.out, options.rejects]) if (file) rmSync(partial(file), {force: true});
    rmSync(tmp, {recursive: true, force: true});
  }
}

/** The quarantine of the warehouse open on `conn` (its `rejects`, which hold no values) as CSV. */
async function rejectsCsv(conn: DuckDBConnection): Promise<string> {
  const rows = await queryRows(
    conn,
    `SELECT file, "row", "column", rule, detail FROM rejects ORDER BY file, "row", "column", rule, detail`,
  );
  // Text cells through csvCell, which escapes formulas (the row number, a positive integer, passes unchanged).
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return [
    csvLine(["file", "row", "column", "rule", "detail"]),
    ...rows.map((r) => csvLine([r.file, r.row, r.column, r.rule, r.detail].map(text))),
  ]
    .join("\n")
    .concat("\n");
}

/** Scores every contact of the warehouse open on `conn`, writing the CSV to `out`. */
async function scoreContacts(
  conn: DuckDBConnection,
  modelDir: string,
  features: Features,
  ventiles: number[],
  dict: Dictionary,
  out: string,
  onScored?: ScoreOptions["onScored"],
): Promise<{scored: number; stages: ScoreSummary["stages"]}> {
  const t0 = performance.now();
  // The rows exactly as training reads them (same SQL, same order: time, then id; no label), encoded by features.json.
  const vars = dict.variables.filter((v) => features.variables.includes(v.name));
  const rows = (await queryRows(conn, datasetSql(dict, vars, {_label: "NULL"}))) as Row[];
  const n = rows.length,
    p = features.columns.length;
  const X = Float32Array.from(encode(features, rows));
  const t1 = performance.now();
  const model = await loadModel(modelDir);
  try {
    const scores = predict(tf, model, X, n, p);
    const t2 = performance.now();
    // Each model type's exact explanation of a block of rows, and the log-odds of the average training contact it starts from.
    let explain: (Xb: Float32Array, m: number) => Float64Array;
    let baseline: number;
    if (features.model === "logistic") {
      const [kernel, bias] = model.getWeights().map((w) => w.dataSync() as Float32Array);
      baseline = baselineLogit(bias[0], kernel, features.means);
      explain = (Xb, m) => {
        const all = new Float64Array(m * p);
        for (let r = 0; r < m; r++) all.set(contributions(Xb.subarray(r * p, (r + 1) * p), kernel, features.means), r * p);
        return all;
      };
    } else {
      const layers = denseLayers(model);
      if (!layers) throw new Error(`the model in ${modelDir} is not a dense ReLU network, the only kind scoring can explain`);
      const pb = predict(tf, model, Float32Array.from(features.means), 1, p)[0];
      baseline = Math.log(pb / (1 - pb));
      explain = (Xb, m) => pathIntegratedGradients(layers, Xb, m, p, features.means).attributions;
    }
    const names = features.columns.map((c) => c.name);
    const baseText = baseline.toFixed(4);
    // Text cells (the record key's name and values, factor names) through csvCell, which escapes formulas; numbers as written.
    const lines = [csvLine([dict.roles.record, ...SCORE_COLUMNS])];
    onScored?.(0, n);
    for (let from = 0; from < n; from += BLOCK) {
      const m = Math.min(BLOCK, n - from);
      const contrib = explain(X.subarray(from * p, (from + m) * p), m);
      for (let r = 0; r < m; r++) {
        // Three factors, left empty where a contact has fewer non-zero contributions.
        const top = topFactors(names, contrib.subarray(r * p, (r + 1) * p), 3);
        let factors = "";
        for (let k = 0; k < 3; k++) factors += top[k] ? `,${csvCell(top[k].name)},${top[k].value.toFixed(4)}` : ",,";
        lines.push(
          `${csvCell(String(rows[from + r]._id))},${scores[from + r].toFixed(6)},${band(scores[from + r], ventiles)},${baseText}${factors}`,
        );
      }
      onScored?.(from + m, n);
    }
    writeFileSync(out, lines.join("\n") + "\n");
    return {scored: n, stages: {encode: (t1 - t0) / 1000, predict: (t2 - t1) / 1000, explainAndWrite: (performance.now() - t2) / 1000}};
  } finally {
    model.dispose();
  }
}
