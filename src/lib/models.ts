/**
 * The models, for Node and the browser alike. `tf` is passed in (Node uses
 * @tensorflow/tfjs on the wasm backend, pages use npm:@tensorflow/tfjs), so this
 * module never imports a tfjs build itself and never touches the DOM.
 *
 * - logistic: one dense unit with a sigmoid; its weights come from the exact fit
 *   (src/lib/logistic.ts), not from gradient steps, so it matches that fit exactly.
 * - mlp: dense ReLU layers then a sigmoid unit; seeded initialisers, a seeded
 *   shuffle and no dropout, so the same data, config and seed give the same weights.
 */
import type * as TF from "@tensorflow/tfjs";
import {seeded} from "./metrics.js";
import type {DenseLayer} from "./contributions.js";

type Tf = typeof TF;

export interface MlpConfig {
  hidden: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on kernels */
  l2: number;
  seed: number;
  /** early stopping: stop after this many epochs without a lower validation loss (absent: run every epoch) */
  patience?: number;
}

export function createLogisticModel(tf: Tf, p: number, intercept: number, coefficients: ArrayLike<number>): TF.LayersModel {
  // Fixed names: tfjs would otherwise number models and layers per process, and model.json would differ.
  const model = tf.sequential({
    name: "logistic",
    layers: [tf.layers.dense({units: 1, inputShape: [p], activation: "sigmoid", name: "logit"})],
  });
  model.setWeights([tf.tensor2d(Float32Array.from(coefficients), [p, 1]), tf.tensor1d([intercept])]);
  return model;
}

export function createMlp(tf: Tf, p: number, config: MlpConfig): TF.LayersModel {
  if (!(config.seed > 0)) throw new Error("the MLP needs a seed above 0 (tfjs treats 0 as no seed)");
  const layers: TF.layers.Layer[] = [];
  config.hidden.forEach((units, i) =>
    layers.push(
      tf.layers.dense({
        units,
        activation: "relu",
        name: `hidden${i + 1}`,
        ...(i === 0 ? {inputShape: [p]} : {}),
        kernelInitializer: tf.initializers.glorotUniform({seed: config.seed + i}),
      }),
    ),
  );
  layers.push(
    tf.layers.dense({
      units: 1,
      activation: "sigmoid",
      name: "output",
      kernelInitializer: tf.initializers.glorotUniform({seed: config.seed + 99}),
    }),
  );
  return tf.sequential({name: "mlp", layers});
}

export interface EpochLog {
  epoch: number;
  loss: number;
}

/**
 * An MLP trainer that runs one epoch at a time, synchronously: Adam on binary
 * cross-entropy (plus L2 on kernels), one step per mini-batch, rows shuffled each
 * epoch by a seeded generator. The rows are uploaded once, as one tensor; each
 * mini-batch is gathered from it on the backend by the shuffled row numbers (the
 * same values, in the same order, as copying the rows into a fresh tensor). No
 * awaits inside an epoch: in a browser tab every await can be throttled, so the
 * page yields only between epochs. `dispose()` frees the tensors and the optimizer.
 */
export function mlpTrainer(tf: Tf, model: TF.LayersModel, X: Float32Array, y: Float32Array, n: number, p: number, config: MlpConfig) {
  const optimizer = tf.train.adam(config.learningRate);
  const rand = seeded(config.seed);
  const order = Int32Array.from({length: n}, (_, i) => i);
  const xAll = tf.tensor2d(X.subarray(0, n * p), [n, p]);
  const yAll = tf.tensor2d(y.subarray(0, n), [n, 1]);
  let epoch = 0;
  return {
    epoch(): EpochLog {
      epoch++;
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      let total = 0;
      for (let start = 0; start < n; start += config.batchSize) {
        const m = Math.min(config.batchSize, n - start);
        const loss = tf.tidy(() => {
          const rows = tf.tensor1d(order.subarray(start, start + m), "int32");
          const xs = tf.gather(xAll, rows);
          const ys = tf.gather(yAll, rows);
          return optimizer.minimize(() => {
            const pred = model.apply(xs, {training: true}) as TF.Tensor;
            const bce = tf.losses.logLoss(ys, pred, undefined, 1e-7);
            const kernels = model.trainableWeights.filter((w) => w.name.includes("kernel")).map((w) => tf.sum(tf.square(w.read())));
            const reg = config.l2 && kernels.length ? tf.mul(tf.addN(kernels), config.l2) : tf.scalar(0);
            return bce.add(reg) as TF.Scalar;
          }, true) as TF.Scalar;
        });
        total += loss.dataSync()[0] * m;
        loss.dispose();
      }
      return {epoch, loss: total / n};
    },
    dispose(): void {
      optimizer.dispose();
      xAll.dispose();
      yAll.dispose();
    },
  };
}

/** Trains for `config.epochs` epochs; `onEpoch` may return a promise (awaited between epochs). */
export async function trainMlp(
  tf: Tf,
  model: TF.LayersModel,
  X: Float32Array,
  y: Float32Array,
  n: number,
  p: number,
  config: MlpConfig,
  onEpoch?: (log: EpochLog) => void | Promise<void>,
): Promise<EpochLog[]> {
  const trainer = mlpTrainer(tf, model, X, y, n, p, config);
  const logs: EpochLog[] = [];
  for (let e = 1; e <= config.epochs; e++) {
    const log = trainer.epoch();
    logs.push(log);
    await onEpoch?.(log);
  }
  trainer.dispose();
  return logs;
}

/** Where early stopping ended: the epochs run and the epoch whose weights were kept. */
export interface EarlyStop {
  epochsRun: number;
  bestEpoch: number;
  bestValidationLoss: number;
  /** "patience" when the validation loss stopped falling, "budget" when the epochs ran out */
  stoppedBy: "patience" | "budget";
}

/**
 * Trains for at most `config.epochs` epochs with early stopping: after each epoch
 * `onEpoch` returns the validation loss; training stops once `patience` epochs in a
 * row have not lowered it, and the model keeps the weights of the epoch with the
 * lowest. Deterministic like `trainMlp` (the same epochs run in the same order).
 */
export async function trainMlpEarlyStopping(
  tf: Tf,
  model: TF.LayersModel,
  X: Float32Array,
  y: Float32Array,
  n: number,
  p: number,
  config: MlpConfig & {patience: number},
  onEpoch: (log: EpochLog) => number | Promise<number>,
): Promise<{logs: EpochLog[]; stop: EarlyStop}> {
  const trainer = mlpTrainer(tf, model, X, y, n, p, config);
  const logs: EpochLog[] = [];
  let best = {epoch: 0, loss: Infinity, weights: [] as TF.Tensor[]};
  let stoppedBy: EarlyStop["stoppedBy"] = "budget";
  try {
    for (let e = 1; e <= config.epochs; e++) {
      const log = trainer.epoch();
      logs.push(log);
      const loss = await onEpoch(log);
      if (loss < best.loss) {
        best.weights.forEach((w) => w.dispose());
        best = {epoch: e, loss, weights: model.getWeights().map((w) => w.clone())};
      } else if (e - best.epoch >= config.patience) {
        stoppedBy = "patience";
        break;
      }
    }
    if (best.weights.length) model.setWeights(best.weights);
  } finally {
    best.weights.forEach((w) => w.dispose());
    trainer.dispose();
  }
  return {logs, stop: {epochsRun: logs.length, bestEpoch: best.epoch, bestValidationLoss: best.loss, stoppedBy}};
}

/** Probabilities for row-major X, predicted in chunks (tfjs's default batch of 32 is very slow on wasm). */
export function predict(tf: Tf, model: TF.LayersModel, X: Float32Array, n: number, p: number, chunk = 65536): Float32Array {
  const out = new Float32Array(n);
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    // The tensor leaves tidy, not its data: tidy would walk a returned typed array element by element.
    // The layers applied directly (in inference mode, as `predict` does): `predict` and even
    // `predictOnBatch` slice the input into batches when there is one (on the wasm backend that slice
    // reads the whole input back into JS: ~0.1-0.3 s per million rows). Same kernels, same bits (tested).
    const probs = tf.tidy(() => model.apply(tf.tensor2d(X.subarray(start * p, (start + m) * p), [m, p]), {training: false}) as TF.Tensor);
    out.set(probs.dataSync() as Float32Array, start);
    probs.dispose();
  }
  return out;
}

/**
 * Integrated gradients (Sundararajan et al., 2017) of the model's log-odds for each
 * row, from a baseline row (the training means) to the row, by the midpoint rule in
 * `steps` steps. Contributions sum to logit(f(x)) − logit(f(baseline)) up to the
 * integration error (completeness), so they explain the score on the log-odds scale.
 */
export function integratedGradients(
  tf: Tf,
  model: TF.LayersModel,
  X: Float32Array,
  n: number,
  p: number,
  baseline: ArrayLike<number>,
  steps = 16,
): Float32Array {
  const out = new Float32Array(n * p);
  const base = Float32Array.from(baseline);
  const logOdds = (x: TF.Tensor2D) => {
    const prob = (model.apply(x) as TF.Tensor).clipByValue(1e-7, 1 - 1e-7);
    return tf.sum(tf.sub(tf.log(prob), tf.log(tf.sub(1, prob))));
  };
  const grad = tf.grad((x: TF.Tensor) => logOdds(x as TF.Tensor2D));
  const chunk = Math.max(1, Math.floor(32768 / steps));
  for (let start = 0; start < n; start += chunk) {
    const m = Math.min(chunk, n - start);
    const attributions = tf.tidy(() => {
      const x = tf.tensor2d(X.subarray(start * p, (start + m) * p), [m, p]);
      const b = tf.tensor2d(base, [1, p]);
      const delta = tf.sub(x, b);
      let total = tf.zeros([m, p]);
      for (let k = 0; k < steps; k++) {
        const alpha = (k + 0.5) / steps;
        total = tf.add(total, grad(tf.add(b, tf.mul(delta, alpha))));
      }
      return tf.mul(delta, tf.div(total, steps));
    });
    out.set(attributions.dataSync() as Float32Array, start * p);
    attributions.dispose();
  }
  return out;
}

/**
 * The weights of a dense ReLU network with one sigmoid output (what `createMlp` and
 * `createLogisticModel` build) as plain arrays, for `pathIntegratedGradients`.
 * Returns null for any other architecture.
 */
export function denseLayers(model: TF.LayersModel): DenseLayer[] | null {
  const layers: DenseLayer[] = [];
  for (const [i, layer] of model.layers.entries()) {
    const config = layer.getConfig() as {activation?: string; useBias?: boolean};
    const last = i === model.layers.length - 1;
    if (layer.getClassName() !== "Dense" || config.activation !== (last ? "sigmoid" : "relu") || config.useBias === false) return null;
    const [kernel, bias] = layer.getWeights();
    const [inputs, units] = kernel.shape as [number, number];
    layers.push({kernel: kernel.dataSync() as Float32Array, bias: bias.dataSync() as Float32Array, inputs, units});
  }
  return layers.length && layers[layers.length - 1].units === 1 ? layers : null;
}
