// Integrated gradients for the MLP: completeness (contributions sum to the change in log-odds)
// and exactness for a logistic model (where IG equals w·(x − baseline)).
import {beforeAll, expect, it} from "vitest";
import {tf, useWasmBackend} from "../../loaders/train/tf-node.ts";
import {createLogisticModel, createMlp, integratedGradients, predict} from "../../src/lib/models.ts";
import {Rng} from "../../loaders/synth/random.ts";

beforeAll(async () => {
  await useWasmBackend();
});
const logit = (p: number) => Math.log(p / (1 - p));

it("for a logistic model equals w · (x − baseline) exactly", () => {
  const w = [0.5, -1.2, 2];
  const model = createLogisticModel(tf, 3, 0.3, w);
  const X = Float32Array.from([1, 0, 0.5, 0, 1, -1]);
  const base = [0.2, 0.4, 0];
  const ig = integratedGradients(tf, model, X, 2, 3, base, 8);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expect(ig[i * 3 + j]).toBeCloseTo(w[j] * (X[i * 3 + j] - base[j]), 4);
});

it("for an MLP sums to the change in log-odds from the baseline (completeness)", () => {
  const rng = new Rng(8);
  const p = 6, n = 20;
  const model = createMlp(tf, p, {hidden: [8], epochs: 1, batchSize: 8, learningRate: 0.01, l2: 0, seed: 5});
  const X = Float32Array.from({length: n * p}, () => rng.normal());
  const base = new Array(p).fill(0);
  const ig = integratedGradients(tf, model, X, n, p, base, 64);
  const px = predict(tf, model, X, n, p);
  const pb = predict(tf, model, Float32Array.from(base), 1, p)[0];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += ig[i * p + j];
    expect(s).toBeCloseTo(logit(px[i]) - logit(pb), 2);
  }
});
