/**
 * A registered model opened on the warehouse: its registry files, the modelling
 * table for its target, the time/child split it was trained with, and a scorer
 * that encodes rows with its features.json. The evaluation, Cross-check and
 * Consistency loaders all start here, so they score contacts the same way.
 * Call `dispose()` when done (the tfjs model holds wasm memory).
 *
 * @example const m = await openRegistered(db, dict, "models/info_sharing-mlp-…"); const {scores} = m.score(rows); m.dispose();
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary} from "../dictionary.ts";
import {loadDataset, type Target} from "../train/dataset.ts";
import {loadModel, tf, useWasmBackend} from "../train/tf-node.ts";
import {encode, type Encoding, type Row} from "../../src/lib/features.ts";
import {predict} from "../../src/lib/models.ts";
import {assignSplits, type SplitPlan} from "../../src/lib/splits.ts";
import {modelDirs} from "../pages/evaluation.ts";

export type Features = Encoding & {means: number[]; target: Target; model: string; dictionaryVersion: string};
export interface Card {
  id: string;
  target: Target;
  model: string;
  config: {split: SplitPlan; ridge: number; includeProtected: boolean};
  trainedAt: string;
}

export async function openRegistered(db: DuckDBConnection, dict: Dictionary, dir: string) {
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8"));
  const features = read("features.json") as Features;
  const card = read("card.json") as Card;
  const metrics = read("metrics.json") as {ventiles: number[]; baselines: Record<string, unknown>; definition: string};
  await useWasmBackend();
  const data = await loadDataset(db, dict, card.target, {includeProtected: card.config.includeProtected});
  const split = assignSplits(data.rows.map((r) => ({child: String(r._child), time: String(r._time)})), card.config.split);
  const model = await loadModel(dir);
  const p = features.columns.length;
  return {
    dir, features, card, metrics, data, split, model, p,
    /** the rows of one split */
    pick: (name: string) => data.rows.filter((_, i) => split.splits[i] === name),
    /** encoded rows and the model's probabilities */
    score: (rows: Row[]) => {
      const X = Float32Array.from(encode(features, rows));
      return {X, scores: Float64Array.from(predict(tf, model, X, rows.length, p))};
    },
    dispose: () => model.dispose(),
  };
}

/** The newest registered model for a target, or null. */
export function newestModelDir(target: Target, dir = "models"): string | null {
  return modelDirs(dir).find((d) => JSON.parse(readFileSync(join(d, "card.json"), "utf8")).target === target) ?? null;
}
