/**
 * A registered model opened on the warehouse: its registry files, the modelling
 * table for its target, the time/child split it was trained with, and a scorer
 * that encodes rows with its features.json. The evaluation starts here, and so does
 * the one shared scoring of the warehouse (scored.ts) the other pages read.
 * Call `dispose()` when done (the tfjs model holds wasm memory).
 *
 * @example const m = await openRegistered(db, dict, "models/info_sharing-mlp-…"); const {scores} = m.score(rows); m.dispose();
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary} from "../dictionary.ts";
import {loadDataset, type Target} from "../train/dataset.ts";
import {loadModel, tf, useWasmBackend} from "../train/tf-node.ts";
import {encode, type Row} from "../../src/lib/features.ts";
import {predict} from "../../src/lib/models.ts";
import {assignSplits} from "../../src/lib/splits.ts";
import {openModelDir, readFeatures, readMetrics} from "../registry.ts";

export type {Card, Features} from "../registry.ts";

export async function openRegistered(db: DuckDBConnection, dict: Dictionary, dir: string) {
  const {card} = openModelDir(dir);
  const features = readFeatures(dir);
  const metrics = readMetrics(dir);
  await useWasmBackend();
  const data = await loadDataset(db, dict, card.target as Target, {
    includeProtected: card.config.includeProtected,
    exclude: card.dataErrorsLeftOut ?? [],
  });
  const split = assignSplits(
    data.rows.map((r) => ({child: String(r._person), time: String(r._time)})),
    card.config.split,
  );
  const model = await loadModel(dir);
  const p = features.columns.length;
  return {
    dir,
    features,
    card,
    metrics,
    data,
    split,
    model,
    p,
    /** the rows of one split */
    pick: (name: string) => data.rows.filter((_, i) => split.splits[i] === name),
    /** encoded rows and the model's probabilities */
    score: (rows: Row[]) => {
      const X = encode(features, rows, Float32Array);
      return {X, scores: Float64Array.from(predict(tf, model, X, rows.length, p))};
    },
    dispose: () => model.dispose(),
  };
}
