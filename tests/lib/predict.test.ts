// `predict` applies the layers directly (no batching slices): it must give exactly the
// probabilities tfjs's own `model.predict` gives, for the logistic model and an MLP, across
// its chunk edges.
import {beforeAll, expect, it} from "vitest";
import type * as TF from "@tensorflow/tfjs";
import {tf, useWasmBackend} from "../../loaders/train/tf-node.ts";
import {createLogisticModel, createMlp, predict} from "../../src/lib/models.ts";
import {Rng} from "../../loaders/synth/random.ts";

beforeAll(async () => {
  await useWasmBackend();
});

function rows(seed: number, n: number, p: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({length: n * p}, (_, i) => (i % p < p - 2 ? Number(rng.uniform() < 0.3) : rng.normal()));
}
function tfjsPredict(model: TF.LayersModel, X: Float32Array, n: number, p: number): Float32Array {
  const probs = tf.tidy(() => model.predict(tf.tensor2d(X, [n, p]), {batchSize: n}) as TF.Tensor);
  const out = probs.dataSync() as Float32Array;
  probs.dispose();
  return out;
}

it.each([
  [
    "the logistic model",
    () =>
      createLogisticModel(
        tf,
        12,
        -0.7,
        Array.from({length: 12}, (_, j) => Math.sin(j + 1) * 2),
      ),
  ],
  ["an MLP", () => createMlp(tf, 12, {hidden: [16, 8], epochs: 1, batchSize: 8, learningRate: 0.01, l2: 0, seed: 11})],
])("gives exactly the probabilities of tfjs's predict for %s, across chunk edges", (_, make) => {
  const model = make();
  const n = 1000,
    p = 12;
  const X = rows(3, n, p);
  const expected = tfjsPredict(model, X, n, p);
  const got = predict(tf, model, X, n, p, 384); // chunks of 384, 384, 232 rows
  expect(got.length).toBe(n);
  expect(new Set(expected).size).toBeGreaterThan(100); // not a constant model
  expect(Array.from(got)).toEqual(Array.from(expected));
  model.dispose();
});
