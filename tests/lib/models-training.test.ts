// The MLP's trainer (src/lib/models.ts) on the wasm backend: mini-batches gathered from one tensor
// built once give the very weights of copying each batch's rows into a fresh tensor, and early
// stopping keeps the weights of the epoch with the lowest validation loss.
import {beforeAll, expect, it} from "vitest";
import {tf, useWasmBackend} from "../../loaders/train/tf-node.ts";
import {createMlp, mlpTrainer, trainMlp, trainMlpEarlyStopping, type MlpConfig} from "../../src/lib/models.ts";
import {seeded} from "../../src/lib/metrics.ts";

beforeAll(async () => {
  await useWasmBackend();
});

const config: MlpConfig = {hidden: [6], epochs: 6, batchSize: 64, learningRate: 0.01, l2: 1e-4, seed: 5};
const n = 300,
  p = 5;
const rand = seeded(17);
const X = Float32Array.from({length: n * p}, () => rand() * 2 - 1);
const y = Float32Array.from({length: n}, (_, i) => (X[i * p] + 0.5 * X[i * p + 1] + 0.3 * rand() > 0 ? 1 : 0));
const weights = (m: ReturnType<typeof createMlp>) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

it("gathering each mini-batch from the rows uploaded once gives the weights of copying the rows batch by batch", async () => {
  const gathered = createMlp(tf, p, config);
  await trainMlp(tf, gathered, X, y, n, p, {...config, epochs: 2});
  // The copying trainer, as it was: the same seeded shuffle, each batch's rows copied into a new tensor.
  const copied = createMlp(tf, p, config);
  const optimizer = tf.train.adam(config.learningRate);
  const shuffle = seeded(config.seed);
  const order = Int32Array.from({length: n}, (_, i) => i);
  for (let epoch = 0; epoch < 2; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(shuffle() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let start = 0; start < n; start += config.batchSize) {
      const rows = order.subarray(start, Math.min(n, start + config.batchSize));
      const xb = new Float32Array(rows.length * p),
        yb = Float32Array.from(rows, (r) => y[r]);
      rows.forEach((r, k) => xb.set(X.subarray(r * p, r * p + p), k * p));
      tf.tidy(() => {
        const xs = tf.tensor2d(xb, [rows.length, p]),
          ys = tf.tensor2d(yb, [rows.length, 1]);
        optimizer.minimize(() => {
          const bce = tf.losses.logLoss(ys, copied.apply(xs, {training: true}) as tf.Tensor, undefined, 1e-7);
          const kernels = copied.trainableWeights.filter((w) => w.name.includes("kernel")).map((w) => tf.sum(tf.square(w.read())));
          return bce.add(tf.mul(tf.addN(kernels), config.l2)) as tf.Scalar;
        });
      });
    }
  }
  optimizer.dispose();
  expect(weights(gathered)).toEqual(weights(copied));
  gathered.dispose();
  copied.dispose();
});

it("early stopping runs until `patience` epochs pass without a lower validation loss and keeps the best epoch's weights", async () => {
  const losses = [0.6, 0.5, 0.55, 0.58, 0.4, 0.3]; // best at epoch 2; epochs 3 and 4 do not improve
  const model = createMlp(tf, p, config);
  const before = tf.memory().numTensors;
  const {logs, stop} = await trainMlpEarlyStopping(tf, model, X, y, n, p, {...config, patience: 2}, (log) => losses[log.epoch - 1]);
  expect(tf.memory().numTensors).toBe(before); // snapshots and the uploaded rows are freed
  expect(logs.map((l) => l.epoch)).toEqual([1, 2, 3, 4]);
  expect(stop).toEqual({epochsRun: 4, bestEpoch: 2, bestValidationLoss: 0.5, stoppedBy: "patience"});
  // The kept weights are exactly those after epoch 2 of the same seeded run.
  const two = createMlp(tf, p, config);
  const trainer = mlpTrainer(tf, two, X, y, n, p, config);
  trainer.epoch();
  trainer.epoch();
  trainer.dispose();
  expect(weights(model)).toEqual(weights(two));
  const four = createMlp(tf, p, config);
  await trainMlp(tf, four, X, y, n, p, {...config, epochs: 4});
  expect(weights(model)).not.toEqual(weights(four));
  for (const m of [model, two, four]) m.dispose();
});

it("with the loss still falling, early stopping uses the whole budget", async () => {
  const model = createMlp(tf, p, config);
  const {stop} = await trainMlpEarlyStopping(tf, model, X, y, n, p, {...config, epochs: 3, patience: 2}, (log) => 1 / log.epoch);
  expect(stop).toMatchObject({epochsRun: 3, bestEpoch: 3, stoppedBy: "budget"});
  model.dispose();
});
