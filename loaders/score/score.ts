/**
 * Scoring new contacts with a registered model, for the MASH platform: the extract
 * is validated exactly as ingest does (same refusals, same quarantine), encoded
 * with the model's features.json, and each accepted contact gets a probability, a
 * 1–20 band (ventiles of the training scores) and its top contributing factors
 * (exact signed log-odds for the logistic model; exact integrated gradients from
 * the average training contact for the MLP).
 *
 * After validation nothing is held per contact but typed arrays: the encoded
 * matrix comes out of DuckDB column-wise (loaders/score/matrix.ts), the model
 * predicts in large batches, the explanations are computed a block of rows at a
 * time and the CSV is streamed to a temporary file that is renamed at the end (a
 * refused or failed run leaves no output).
 */
import {closeSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {ingest} from "../ingest/ingest.ts";
import {loadDictionary} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import type {DuckDBConnection} from "@duckdb/node-api";
import {historyFeatures, type Target} from "../train/dataset.ts";
import {loadModel, tf, useWasmBackend} from "../train/tf-node.ts";
import {columnTypes, forEachMatrixBlock, matrixLayout, scoringSql} from "./matrix.ts";
import type {Encoding} from "../../src/lib/features.ts";
import {denseLayers, integratedGradients, predict} from "../../src/lib/models.ts";
import {band, baselineLogit, contributionRows, nameRanks, pathIntegratedGradients, topFactorIndices} from "../../src/lib/contributions.ts";

export interface ScoreOptions {
  model: string;
  extract: string[];
  out: string;
  dictionary?: string;
  encoding?: string;
}

export interface ScoreSummary {
  scored: number;
  read: number;
  rejected: number;
  duplicates: number;
  /** wall-clock seconds in all */
  seconds: number;
  /** of which validating the extract (ingest into a temporary warehouse) */
  validationSeconds: number;
  /** and of which the rest, by stage: reading + encoding, predicting, explaining + writing */
  stages: {encode: number; predict: number; explainAndWrite: number};
}

type Features = Encoding & {means: number[]; target: Target; model: string; dictionaryVersion: string};

/** Refuses a model whose dictionary version or feature codes do not match the dictionary in use, or whose features.json is incomplete. */
export function checkCompatible(features: Features, dictionaryPath: string): void {
  if (!Array.isArray(features.means) || features.means.length !== features.columns.length || typeof features.model !== "string") {
    throw new Error("the model's features.json has no training means or model type (it was trained by an older version of the workbench): retrain it with `workbench train`");
  }
  const dict = loadDictionary(dictionaryPath);
  if (dict.version !== features.dictionaryVersion) {
    throw new Error(`the model was trained with dictionary version ${features.dictionaryVersion}, but ${dictionaryPath} is version ${dict.version}: retrain the model or score with the matching dictionary`);
  }
  const history = new Set(historyFeatures().map((h) => h.name));
  for (const c of features.columns) {
    const v = dict.variables.find((x) => x.name === c.variable);
    if (!v && !history.has(c.variable)) throw new Error(`the model uses "${c.variable}", which neither the dictionary nor the history features define`);
    if (v && (c.kind === "one-hot" || c.kind === "multi-hot") && !(v.codes ?? []).some((k) => k.code === c.code)) {
      throw new Error(`the model uses code "${c.code}" of ${c.variable}, which the dictionary no longer lists`);
    }
  }
}

/** A CSV field: quoted (quotes doubled) only when it holds a comma, a quote or a line break. */
export const csvField = (text: string): string => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/**
 * Lines encoded into one reused buffer as they are made, written when it fills.
 * (Holding a block of lines as strings until a join keeps ~20 small strings per
 * line alive through garbage collections: measured 8× slower on a million lines.)
 */
class LineWriter {
  private buffer = Buffer.allocUnsafe(1 << 22);
  private used = 0;
  constructor(private fd: number) {}
  write(line: string): void {
    if (this.used + line.length * 3 > this.buffer.length) this.flush();
    if (line.length * 3 > this.buffer.length) writeSync(this.fd, line);
    else this.used += this.buffer.write(line, this.used, "utf8");
  }
  flush(): void {
    if (this.used) writeSync(this.fd, this.buffer, 0, this.used);
    this.used = 0;
  }
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

const HEADER = ["contact_id", "probability", "band", "baseline_log_odds", "factor_1", "contribution_1", "factor_2", "contribution_2", "factor_3", "contribution_3"];
/** Rows explained and written per block: bounds the memory of the explanations (block × columns doubles). */
const BLOCK = 32768;

export async function scoreExtract(options: ScoreOptions): Promise<ScoreSummary> {
  const started = performance.now();
  const dictionary = options.dictionary ?? "data/dictionary.yaml";
  const {features, ventiles} = readModelFiles(options.model, dictionary);
  await useWasmBackend();
  const dir = mkdtempSync(join(tmpdir(), "score-"));
  try {
    // Validated exactly as ingest does, into a warehouse kept in memory and scored there.
    let validated = 0;
    let result: Awaited<ReturnType<typeof scoreOn>> | undefined;
    const report = await ingest({
      files: options.extract, dictionary, db: join(dir, "wh.duckdb"), report: join(dir, "report.json"), encoding: options.encoding,
      onWarehouse: async (conn) => {
        validated = performance.now();
        result = await scoreOn(conn, {model: options.model, out: options.out, dictionary}, {features, ventiles});
      },
    });
    if (!result) throw new Error("internal error: the validated contacts were never scored");
    const {scored, stages} = result;
    return {
      scored, read: report.read, rejected: report.rejected, duplicates: report.duplicates.total,
      seconds: (performance.now() - started) / 1000, validationSeconds: (validated - started) / 1000, stages,
    };
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

function readModelFiles(model: string, dictionary: string): {features: Features; ventiles: number[]} {
  const features = JSON.parse(readFileSync(join(model, "features.json"), "utf8")) as Features;
  const {ventiles} = JSON.parse(readFileSync(join(model, "metrics.json"), "utf8")) as {ventiles: number[]};
  checkCompatible(features, dictionary);
  return {features, ventiles};
}

/** Scores every contact of the warehouse open on `conn` (its `contacts`), writing the CSV to `options.out`. */
async function scoreOn(
  conn: DuckDBConnection,
  options: {model: string; out: string; dictionary?: string},
  loaded?: {features: Features; ventiles: number[]},
): Promise<{scored: number; stages: ScoreSummary["stages"]}> {
  const {features, ventiles} = loaded ?? readModelFiles(options.model, options.dictionary ?? "data/dictionary.yaml");
  await useWasmBackend();
  const dict = loadDictionary(options.dictionary ?? "data/dictionary.yaml");
  const partial = `${options.out}.partial-${process.pid}`;
  try {
    const layout = matrixLayout(features);
    const p = features.columns.length;
    const model = await loadModel(options.model);
    // Explanations on the log-odds scale from the average training contact, for a block of rows.
    let base: number;
    let explain: (X: Float32Array, m: number) => ArrayLike<number>;
    if (features.model === "logistic") {
      const [kernel, bias] = model.getWeights().map((w) => w.dataSync());
      base = baselineLogit(bias[0], kernel, features.means);
      const buffer = new Float64Array(BLOCK * p);
      explain = (X, m) => contributionRows(X.subarray(0, m * p), m, kernel, features.means, buffer);
    } else {
      const pb = predict(tf, model, Float32Array.from(features.means), 1, p)[0];
      base = Math.log(pb / (1 - pb));
      const layers = denseLayers(model);
      // Exact for dense ReLU networks; any other architecture falls back to the 16-step Riemann sum.
      explain = layers
        ? (X, m) => pathIntegratedGradients(layers, X.subarray(0, m * p), m, p, features.means).attributions
        : (X, m) => integratedGradients(tf, model, X.subarray(0, m * p), m, p, features.means, 16);
    }
    const names = features.columns.map((c) => csvField(c.name));
    const rank = nameRanks(features.columns.map((c) => c.name));
    const baseText = base.toFixed(4);
    const top = new Int32Array(3);
    const out = new LineWriter(openSync(partial, "w"));
    const time = {encode: 0, predict: 0, explainAndWrite: 0};
    let n = 0;
    try {
      out.write(HEADER.join(",") + "\n");
      // The matrix is read, scored, explained and written a block at a time (memory of one block).
      let mark = performance.now();
      n = await forEachMatrixBlock(conn, scoringSql(features, dict, await columnTypes(conn)), layout, BLOCK, (ids, X, m) => {
        const t0 = performance.now();
        time.encode += t0 - mark;
        const scores = predict(tf, model, X, m, p);
        const t1 = performance.now();
        time.predict += t1 - t0;
        const contrib = explain(X, m);
        for (let r = 0; r < m; r++) {
          topFactorIndices(contrib, r * p, p, rank, top);
          let factors = "";
          for (let k = 0; k < 3; k++) factors += top[k] < 0 ? ",," : `,${names[top[k]]},${contrib[r * p + top[k]].toFixed(4)}`;
          out.write(`${csvField(ids[r])},${scores[r].toFixed(6)},${band(scores[r], ventiles)},${baseText}${factors}\n`);
        }
        mark = performance.now();
        time.explainAndWrite += mark - t1;
      });
      const [{total}] = await queryRows(conn, "SELECT count(*) AS total FROM contacts");
      if (n !== Number(total)) throw new Error(`the scoring query returned ${n} of ${total} contacts`);
      time.encode += performance.now() - mark;
    } finally {
      out.close();
      model.dispose(); // only now: the fallback explanation still runs the model
    }
    renameSync(partial, options.out);
    return {scored: n, stages: {encode: time.encode / 1000, predict: time.predict / 1000, explainAndWrite: time.explainAndWrite / 1000}};
  } finally {
    rmSync(partial, {force: true});
  }
}
