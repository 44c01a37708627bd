/**
 * The one scorer: a registered model, opened through the registry, applied to modelling rows
 * (the rows `datasetSql` reads: `_id`, features, history features). `workbench score` (CSV) and
 * `workbench serve` (HTTP) both call it, so the same rows get the same probability, band and
 * factors either way. Each contact is explained exactly on the log-odds scale from the average
 * training contact: w·(x − mean) for the logistic model, integrated gradients walked exactly
 * along the straight path for the MLP.
 *
 * @example const s = await openScorer("models/info_sharing-logistic-1a2b", dict, "data/dictionary.yaml");
 *          const [first] = s.score(rows); // {id, probability, band, factors: [{name, label, contribution}, …]}
 *          s.dispose();
 */
import type {LayersModel} from "@tensorflow/tfjs";
import type {Dictionary} from "../dictionary.ts";
import {openModelDir, readCard, readFeatures, readMetrics, type Card, type Features} from "../registry.ts";
import {historyFeatures} from "../train/dataset.ts";
import {loadModel, tf, useWasmBackend} from "../train/tf-node.ts";
import {labelsFor} from "../evaluate/explanations.ts";
import {encode, type Row} from "../../src/lib/features.ts";
import {denseLayers, predict} from "../../src/lib/models.ts";
import {band, baselineLogit, contributions, pathIntegratedGradients, topFactors} from "../../src/lib/contributions.ts";

/** Factors reported per contact. */
export const FACTORS = 3;

/** One contributing factor: the encoded column, its dictionary label, its signed log-odds contribution. */
export interface Factor {
  name: string;
  label: string;
  contribution: number;
}

/** One contact scored. */
export interface Scored {
  id: string;
  /** the model's probability (float32, as tfjs computed it) */
  probability: number;
  /** 1–20: 1 + the training ventiles at or below the probability */
  band: number;
  /** the largest contributions by size (fewer where a contact has fewer non-zero ones) */
  factors: Factor[];
}

export interface Scorer {
  /** the model's id (its folder name), folder and card */
  id: string;
  dir: string;
  card: Card;
  features: Features;
  /** log-odds of the average training contact, which every explanation starts from */
  baseline: number;
  /** the columns that validation reads from a modelling row: the dictionary variables the model uses */
  variables: string[];
  /** scores modelling rows in order; `onBlock` reports contacts done of the total */
  score(rows: Row[], onBlock?: (done: number, total: number) => void): Scored[];
  /** frees the model's tensors */
  dispose(): void;
}

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

/** Opens a registered model (folder or id) for scoring, after checking it against the dictionary. */
export async function openScorer(modelDirOrId: string, dict: Dictionary, dictionaryPath: string, modelsDir?: string): Promise<Scorer> {
  const {id, dir} = openModelDir(modelDirOrId, modelsDir);
  const features = readFeatures(dir);
  const {ventiles} = readMetrics(dir);
  const card = readCard(dir);
  checkCompatible(features, dict, dictionaryPath);
  await useWasmBackend();
  const model = await loadModel(dir);
  try {
    const p = features.columns.length;
    const {explain, baseline} = explainer(model, features, dir);
    const names = features.columns.map((c) => c.name);
    const labels = labelsFor(features, dict).columns;
    const score = (rows: Row[], onBlock?: (done: number, total: number) => void): Scored[] => {
      const n = rows.length;
      onBlock?.(0, n);
      if (!n) return [];
      const X = encode(features, rows, Float32Array);
      const probabilities = predict(tf, model, X, n, p);
      const out: Scored[] = [];
      for (let from = 0; from < n; from += BLOCK) {
        const m = Math.min(BLOCK, n - from);
        const contrib = explain(X.subarray(from * p, (from + m) * p), m);
        for (let r = 0; r < m; r++) {
          const top = topFactors(names, contrib.subarray(r * p, (r + 1) * p), FACTORS);
          const probability = probabilities[from + r];
          out.push({
            id: String(rows[from + r]._id),
            probability,
            band: band(probability, ventiles),
            factors: top.map((f) => ({name: f.name, label: labels[f.name] ?? f.name, contribution: f.value})),
          });
        }
        onBlock?.(from + m, n);
      }
      return out;
    };
    const variables = features.variables.filter((v) => dict.variables.some((x) => x.name === v));
    return {id, dir, card, features, baseline, variables, score, dispose: () => model.dispose()};
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Each model type's exact explanation of a block of rows, and the log-odds of the average training contact it starts from. */
function explainer(
  model: LayersModel,
  features: Features,
  dir: string,
): {explain: (Xb: Float32Array, m: number) => Float64Array; baseline: number} {
  const p = features.columns.length;
  if (features.model === "logistic") {
    const [kernel, bias] = model.getWeights().map((w) => w.dataSync() as Float32Array);
    const explain = (Xb: Float32Array, m: number) => {
      const all = new Float64Array(m * p);
      for (let r = 0; r < m; r++) all.set(contributions(Xb.subarray(r * p, (r + 1) * p), kernel, features.means), r * p);
      return all;
    };
    return {explain, baseline: baselineLogit(bias[0], kernel, features.means)};
  }
  const layers = denseLayers(model);
  if (!layers) throw new Error(`the model in ${dir} is not a dense ReLU network, the only kind scoring can explain`);
  const pb = predict(tf, model, Float32Array.from(features.means), 1, p)[0];
  return {
    explain: (Xb, m) => pathIntegratedGradients(layers, Xb, m, p, features.means).attributions,
    baseline: Math.log(pb / (1 - pb)),
  };
}
