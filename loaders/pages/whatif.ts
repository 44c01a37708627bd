/**
 * Data for the what-if section of the Explanations page (internal): for every registered
 * model (the models the page offers), a sample of its test contacts stratified by band —
 * up to `perBand` from each of the 20 bands, drawn by a generator seeded with the model's id,
 * so rare bands are as present as common ones and the same contacts come back on every
 * build — with their raw values as training reads them (`datasetSql`: dictionary codes,
 * numbers, special codes, history counts; no names, no child or household id, no dates;
 * the record's pseudonymised id so a contact can be found in `workbench score` and on
 * Cross-check); and the model itself: features.json, the training ventiles of its bands,
 * the dense layers' weights as `denseLayers` reads them, and its column labels.
 * The browser scores with src/lib/whatif.ts; contacts sampled for several models are shipped once.
 */
import type {Value} from "../../src/lib/features.ts";
import {band, type DenseLayer} from "../../src/lib/contributions.ts";
import {denseLayers} from "../../src/lib/models.ts";
import {seeded, seedFromText} from "../../src/lib/random.ts";
import type {FormVariable, WhatIfData, WhatIfModel} from "../../src/lib/whatif.ts";
import {withWarehouse} from "../db.ts";
import {loadDictionary, type Dictionary} from "../dictionary.ts";
import {modellingRows, scoredRows} from "../evaluate/scored.ts";
import {loadModel, useWasmBackend} from "../train/tf-node.ts";
import {labelsFor} from "../evaluate/explanations.ts";
import {listModels, openModelDir, readFeatures, readMetrics} from "../registry.ts";
import {MODELS_DIR, WAREHOUSE} from "../paths.ts";

/** Test contacts sampled from each band. */
export const PER_BAND = 100;

/** The form's description of each model input: dictionary variables as defined, history counts by their definition. */
function formVariables(dict: Dictionary, names: string[], history: {name: string; definition: string}[]): FormVariable[] {
  return names.map((name) => {
    const h = history.find((x) => x.name === name);
    if (h) return {name, label: h.definition.charAt(0).toUpperCase() + h.definition.slice(1), type: "integer", range: null, history: true};
    const v = dict.variables.find((x) => x.name === name);
    if (!v) throw new Error(`a registered model uses "${name}", which neither the dictionary nor its history features define`);
    const codes = (list?: {code: string; label: string}[]) => list?.map((c) => ({code: c.code, label: c.label}));
    return {
      name,
      label: v.label,
      definition: v.definition,
      type: v.type as FormVariable["type"],
      ...(v.codes ? {codes: codes(v.codes)} : {}),
      ...(v.special_codes ? {special_codes: codes(v.special_codes)} : {}),
      range: v.range ?? null,
      required: v.required ?? false,
    };
  });
}

/**
 * Up to `perBand` positions from each band, drawn by a seeded shuffle, then ordered by score.
 * @example stratifiedSample(bands, scores, 100, seedFromText(id)) // [12, 873, …]
 */
export function stratifiedSample(bands: ArrayLike<number>, scores: ArrayLike<number>, perBand: number, seed: number): number[] {
  const rand = seeded(seed);
  const byBand = new Map<number, number[]>();
  for (let i = 0; i < bands.length; i++) byBand.set(bands[i], [...(byBand.get(bands[i]) ?? []), i]);
  const out: number[] = [];
  for (const b of [...byBand.keys()].sort((x, y) => x - y)) {
    const list = byBand.get(b)!;
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    out.push(...list.slice(0, perBand));
  }
  return out.sort((a, c) => scores[a] - scores[c] || a - c);
}

/** The what-if data of every registered model in `modelsDir`, read from the warehouse at `warehouse`. */
export async function whatIfData(
  dict: Dictionary = loadDictionary(),
  {modelsDir = MODELS_DIR, warehouse = WAREHOUSE, perBand = PER_BAND} = {},
): Promise<WhatIfData> {
  const ids: string[] = [];
  const position = new Map<string, number>();
  const values: Record<string, Value[]> = {};
  const variables = new Map<string, FormVariable>();
  const models: WhatIfModel[] = [];
  for (const registered of listModels(modelsDir)) {
    await withWarehouse(async (db) => {
      const dir = registered.dir;
      const {card} = openModelDir(dir);
      const features = readFeatures(dir),
        metrics = readMetrics(dir);
      // The model's one scoring of the warehouse (loaders/evaluate/scored.ts); rows in full for the sample only.
      const scored = await scoredRows(db, dict, dir);
      const test = scored.split.flatMap((s, i) => (s === "test" ? [i] : []));
      const scores = Float64Array.from(test, (i) => scored.score[i]);
      const bands = Array.from(scores, (s) => band(s, metrics.ventiles));
      const picked = stratifiedSample(bands, scores, perBand, seedFromText(card.id));
      const rows = await modellingRows(
        db,
        dict,
        dir,
        picked.map((i) => scored.id[test[i]]),
      );
      await useWasmBackend();
      const model = await loadModel(dir);
      try {
        // The columns the encoding reads: each variable and, where it has special codes, `<name>_code`.
        const form = formVariables(dict, features.variables, features.history ?? []);
        const columns = form.flatMap((v) => (v.special_codes?.length ? [v.name, `${v.name}_code`] : [v.name]));
        for (const v of form) variables.set(v.name, v);
        const sample = picked.map((_, k) => {
          const row = rows[k];
          const id = String(row._id);
          let at = position.get(id);
          if (at === undefined) {
            at = ids.push(id) - 1;
            position.set(id, at);
          }
          for (const c of columns) (values[c] ??= [])[at] = (row[c] ?? null) as Value;
          return at;
        });
        const layers = denseLayers(model);
        if (!layers)
          throw new Error(`the model in ${dir} is not a dense network with a sigmoid output, which the what-if section cannot score`);
        models.push({
          id: card.id,
          target: card.target,
          targetLabel: dict.targets[card.target]?.label ?? card.target,
          model: features.model === "logistic" ? "logistic" : "mlp",
          features: {version: features.version, variables: features.variables, columns: features.columns, means: features.means},
          ventiles: metrics.ventiles,
          layers: layers.map((l): DenseLayer => ({
            kernel: Array.from(l.kernel),
            bias: Array.from(l.bias),
            inputs: l.inputs,
            units: l.units,
          })),
          labels: {columns: labelsFor(features, dict).columns},
          sample,
          testN: test.length,
        });
      } finally {
        model.dispose();
      }
    }, warehouse);
  }
  // Every column as long as the contacts (a contact sampled for one model lacks another model's inputs: null).
  for (const c of Object.keys(values)) values[c] = Array.from({length: ids.length}, (_, i) => values[c][i] ?? null);
  return {sample: {perBand}, variables: [...variables.values()], contacts: {id: ids, values}, models};
}
