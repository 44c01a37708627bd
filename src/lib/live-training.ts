/**
 * Training in the browser (the Training page), with the same pieces as
 * `workbench train`: splits by time grouped by child, encoding fitted on training
 * rows, the exact logistic fit or the seeded MLP. An async generator: each yield is
 * the state so far, so the page can draw the curves while it trains.
 */
import type * as TF from "@tensorflow/tfjs";
import {encode, fitEncoding, type Encoding, type FeatureVariable, type Row} from "./features.js";
import {fitLogistic} from "./logistic.js";
import {createLogisticModel, createMlp, mlpTrainer, predict, type MlpConfig} from "./models.js";
import {assignSplits, type SplitPlan} from "./splits.js";
import {auc} from "./metrics.js";
import {rocPoints, type RocPoint} from "./roc.js";

export interface LiveConfig {
  target: string;
  variables: FeatureVariable[];
  model: "logistic" | "mlp";
  ridge: number;
  mlp: MlpConfig;
  split: SplitPlan;
}

export interface CurvePoint {
  epoch: number;
  set: "training" | "validation";
  loss: number;
  auc: number;
}

export interface LiveState {
  phase: "preparing" | "training" | "done" | "failed";
  epoch: number;
  epochs: number;
  curve: CurvePoint[];
  n: {train: number; valid: number};
  features: number;
  model?: TF.LayersModel;
  encoding?: Encoding;
  /** ROC curve of the finished model on the validation contacts */
  roc?: RocPoint[];
  seconds: number;
  /** why the run stopped (phase "failed") */
  message?: string;
}

/** Mean log loss (binary cross-entropy), probabilities clipped at 1e-7: the loss the curves show. */
export function logLoss(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s -= y[i] ? Math.log(Math.max(1e-7, p[i])) : Math.log(Math.max(1e-7, 1 - p[i]));
  return s / y.length;
}

/**
 * Trains a model on the rows as `workbench train` would, yielding the state after
 * preparing the data and after every epoch, then once more when done (with the model,
 * its encoding and its validation ROC curve).
 * @example for await (const state of liveTraining(tf, rows, config)) draw(state.curve)
 */
export async function* liveTraining(tf: typeof TF, rows: Row[], config: LiveConfig): AsyncGenerator<LiveState> {
  const t0 = performance.now();
  // The page checks its settings first (./live-training-settings.ts); these guard any other caller.
  if (!config.variables.length) throw new Error("no feature variables: a model needs at least one feature group");
  if (config.model === "mlp" && !config.mlp.hidden.every((h) => Number.isInteger(h) && h > 0))
    throw new Error(`hidden layer sizes must be whole numbers above 0, not ${JSON.stringify(config.mlp.hidden)}`);
  const labelled = rows.filter((r) => r[config.target] !== null && r[config.target] !== undefined);
  const split = assignSplits(
    labelled.map((r) => ({child: String(r._person), time: String(r._time)})),
    config.split,
  );
  const train = labelled.filter((_, i) => split.splits[i] === "train");
  const valid = labelled.filter((_, i) => split.splits[i] === "valid");
  const encoding = fitEncoding(config.variables, train);
  const p = encoding.columns.length;
  const Xt = encode(encoding, train, Float32Array),
    Xv = encode(encoding, valid, Float32Array);
  const yt = Float32Array.from(train, (r) => Number(r[config.target])),
    yv = Float32Array.from(valid, (r) => Number(r[config.target]));
  const epochs = config.model === "mlp" ? config.mlp.epochs : 1;
  const state: LiveState = {
    phase: "preparing",
    epoch: 0,
    epochs,
    curve: [],
    n: {train: train.length, valid: valid.length},
    features: p,
    seconds: 0,
  };
  yield {...state};
  let pv: Float32Array = new Float32Array(0);
  const point = (epoch: number, model: TF.LayersModel) => {
    const pt = predict(tf, model, Xt, train.length, p);
    pv = predict(tf, model, Xv, valid.length, p);
    state.curve.push(
      {epoch, set: "training", loss: logLoss(pt, yt), auc: auc(pt, yt)},
      {epoch, set: "validation", loss: logLoss(pv, yv), auc: auc(pv, yv)},
    );
  };
  let model: TF.LayersModel;
  if (config.model === "logistic") {
    const fit = fitLogistic(Float64Array.from(Xt), yt, train.length, p, {ridge: config.ridge});
    model = createLogisticModel(tf, p, fit.intercept, fit.coefficients);
    point(1, model);
  } else {
    model = createMlp(tf, p, config.mlp);
    const trainer = mlpTrainer(tf, model, Xt, yt, train.length, p, config.mlp);
    for (let e = 1; e <= epochs; e++) {
      trainer.epoch();
      point(e, model);
      state.epoch = e;
      state.phase = "training";
      state.seconds = (performance.now() - t0) / 1000;
      yield {...state, curve: [...state.curve]}; // the page redraws between epochs
    }
    trainer.dispose();
  }
  yield {
    ...state,
    phase: "done",
    epoch: epochs,
    model,
    encoding,
    curve: [...state.curve],
    roc: rocPoints(pv, yv),
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * {@link liveTraining} for the page: a run that throws (a backend out of memory, a
 * setting the checks did not foresee) ends in one state with phase "failed" and the
 * error's message, so the page says so once, in the training card, and the cells
 * that show registered models keep working.
 * @example const state = run ? trainingStates(tf, rows, config) : idle
 */
export async function* trainingStates(tf: typeof TF, rows: Row[], config: LiveConfig): AsyncGenerator<LiveState> {
  let last: LiveState = {phase: "preparing", epoch: 0, epochs: 0, curve: [], n: {train: 0, valid: 0}, features: 0, seconds: 0};
  try {
    for await (const state of liveTraining(tf, rows, config)) yield (last = state);
  } catch (error) {
    yield {...last, phase: "failed", message: error instanceof Error ? error.message : String(error)};
  }
}

/** What the Training page's comparison needs of a registered model (src/data/models.json). */
export interface RegisteredCurves {
  id: string;
  target: string;
  history: CurvePoint[];
  roc: RocPoint[];
}

/**
 * The registered models of one target side by side with the model trained in the
 * page: learning curves (log loss, AUC by epoch and set) and ROC curves, each
 * point tagged with its model. Registered ROC curves are on their test period;
 * the page's on its validation contacts (it never touches the test period).
 * `models` is the colour domain, so a model has the same colour in both charts.
 * @example const {learning, roc} = comparisonCurves(spec.models, "info_sharing", state)
 */
export function comparisonCurves(models: RegisteredCurves[], target: string, live?: Pick<LiveState, "curve" | "roc">) {
  const here = "this page";
  const chosen = models.filter((m) => m.target === target);
  return {
    learning: [
      ...chosen.flatMap((m) => m.history.map((d) => ({...d, model: m.id}))),
      ...(live?.curve ?? []).map((d) => ({...d, model: here})),
    ],
    roc: [...chosen.flatMap((m) => m.roc.map((d) => ({...d, model: m.id}))), ...(live?.roc ?? []).map((d) => ({...d, model: here}))],
    /** one colour per model in both charts */
    models: [...chosen.map((m) => m.id), here],
    withoutHistory: chosen.filter((m) => !m.history.length).map((m) => m.id),
  };
}

/** The registry files of a model trained in the page (model.json, weights.bin, features.json), as Blobs to download. */
export async function registryFiles(
  tf: typeof TF,
  model: TF.LayersModel,
  encoding: Encoding,
  meta: Record<string, unknown>,
): Promise<{name: string; blob: Blob}[]> {
  const files: {name: string; blob: Blob}[] = [];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const json = {
        format: "layers-model",
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{paths: ["weights.bin"], weights: artifacts.weightSpecs}],
      };
      files.push({name: "model.json", blob: new Blob([JSON.stringify(json)], {type: "application/json"})});
      files.push({name: "weights.bin", blob: new Blob([artifacts.weightData as ArrayBuffer], {type: "application/octet-stream"})});
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: "JSON"}};
    }),
  );
  files.push({name: "features.json", blob: new Blob([JSON.stringify({...encoding, ...meta}, null, 2)], {type: "application/json"})});
  return files;
}

/** Arrow rows to plain objects (BIGINT counts become numbers). */
export function plainRows(table: {toArray(): {toJSON(): Record<string, unknown>}[]}): Row[] {
  return table.toArray().map((r) => {
    const o = r.toJSON();
    for (const k in o) if (typeof o[k] === "bigint") o[k] = Number(o[k]);
    return o as Row;
  });
}
