/**
 * Scoring new contacts with a registered model, for the MASH platform: the extract
 * is validated exactly as ingest does (same refusals, same quarantine), encoded
 * with the model's features.json, and each accepted contact gets a probability, a
 * 1–20 band (ventiles of the training scores) and its top contributing factors
 * (exact signed log-odds for the logistic model; integrated gradients from the
 * average training contact for the MLP).
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {ingest} from "../ingest/ingest.ts";
import {loadDictionary} from "../dictionary.ts";
import {withDuckDB} from "../db.ts";
import {loadDataset, type Target} from "../train/dataset.ts";
import {loadModel, tf, useWasmBackend} from "../train/tf-node.ts";
import {encode, type Encoding} from "../../src/lib/features.ts";
import {integratedGradients, predict} from "../../src/lib/models.ts";
import {band, baselineLogit, contributions, topFactors} from "../../src/lib/contributions.ts";

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
  seconds: number;
}

type Features = Encoding & {means: number[]; target: Target; model: string; dictionaryVersion: string};

/** Refuses a model whose dictionary version or feature codes do not match the dictionary in use. */
export function checkCompatible(features: Features, dictionaryPath: string): void {
  const dict = loadDictionary(dictionaryPath);
  if (dict.version !== features.dictionaryVersion) {
    throw new Error(`the model was trained with dictionary version ${features.dictionaryVersion}, but ${dictionaryPath} is version ${dict.version}: retrain the model or score with the matching dictionary`);
  }
  for (const c of features.columns) {
    const v = dict.variables.find((x) => x.name === c.variable);
    if (!v && !c.variable.startsWith("hist_")) throw new Error(`the model uses "${c.variable}", which the dictionary does not define`);
    if (v && (c.kind === "one-hot" || c.kind === "multi-hot") && !(v.codes ?? []).some((k) => k.code === c.code)) {
      throw new Error(`the model uses code "${c.code}" of ${c.variable}, which the dictionary no longer lists`);
    }
  }
}

export async function scoreExtract(options: ScoreOptions): Promise<ScoreSummary> {
  const started = performance.now();
  const dictionary = options.dictionary ?? "data/dictionary.yaml";
  const features = JSON.parse(readFileSync(join(options.model, "features.json"), "utf8")) as Features;
  const metrics = JSON.parse(readFileSync(join(options.model, "metrics.json"), "utf8")) as {ventiles: number[]};
  checkCompatible(features, dictionary);
  await useWasmBackend();
  const dir = mkdtempSync(join(tmpdir(), "score-"));
  try {
    const db = join(dir, "wh.duckdb");
    const report = await ingest({files: options.extract, dictionary, db, report: join(dir, "report.json"), encoding: options.encoding});
    const dict = loadDictionary(dictionary);
    const data = await withDuckDB((conn) => loadDataset(conn, dict, features.target, {labelledOnly: false}), db, {readOnly: true});
    const n = data.rows.length;
    const p = features.columns.length;
    const X = Float32Array.from(encode(features, data.rows));
    const model = await loadModel(options.model);
    const scores = predict(tf, model, X, n, p);
    const names = features.columns.map((c) => c.name);
    let explain: ((i: number) => string[]) | null = null;
    if (features.model !== "logistic") {
      // The MLP: integrated gradients from the average training contact, on the log-odds scale.
      const ig = integratedGradients(tf, model, X, n, p, features.means, 16);
      const pb = predict(tf, model, Float32Array.from(features.means), 1, p)[0];
      const base = Math.log(pb / (1 - pb));
      explain = (i) => {
        const top = topFactors(names, ig.subarray(i * p, (i + 1) * p), 3);
        return [base.toFixed(4), ...[0, 1, 2].flatMap((k) => (top[k] ? [top[k].name, top[k].value.toFixed(4)] : ["", ""]))];
      };
    } else {
      const [kernel, bias] = model.getWeights().map((w) => w.dataSync());
      const base = baselineLogit(bias[0], kernel, features.means);
      explain = (i) => {
        const top = topFactors(names, contributions(X.subarray(i * p, (i + 1) * p), kernel, features.means), 3);
        return [base.toFixed(4), ...[0, 1, 2].flatMap((k) => (top[k] ? [top[k].name, top[k].value.toFixed(4)] : ["", ""]))];
      };
    }
    const header = ["contact_id", "probability", "band", "baseline_log_odds", "factor_1", "contribution_1", "factor_2", "contribution_2", "factor_3", "contribution_3"];
    const lines = [header.join(",")];
    for (let i = 0; i < n; i++) {
      const extra = explain ? explain(i) : ["", "", "", "", "", "", ""];
      lines.push([data.rows[i].contact_id, scores[i].toFixed(6), band(scores[i], metrics.ventiles), ...extra].map((x) => `${x}`.includes(",") ? `"${x}"` : `${x}`).join(","));
    }
    writeFileSync(options.out, lines.join("\n") + "\n");
    model.dispose();
    return {scored: n, read: report.read, rejected: report.rejected, duplicates: report.duplicates.total, seconds: (performance.now() - started) / 1000};
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
