// Integrated gradients for the MLP: completeness (contributions sum to the change in log-odds)
// and exactness for a logistic model (where IG equals w·(x − baseline)); the exact path
// integral for ReLU networks against tfjs's Riemann sums and, for one hidden layer, its closed form.
import {beforeAll, expect, it} from "vitest";
import {tf, useWasmBackend} from "../../loaders/train/tf-node.ts";
import {createLogisticModel, createMlp, denseLayers, integratedGradients, predict} from "../../src/lib/models.ts";
import {pathIntegratedGradients} from "../../src/lib/contributions.ts";
import {Rng} from "../../loaders/synth/random.ts";

beforeAll(async () => {
  await useWasmBackend();
});
const logit = (p: number) => Math.log(p / (1 - p));
const mlp = (p: number, hidden: number[], seed: number) =>
  createMlp(tf, p, {hidden, epochs: 1, batchSize: 8, learningRate: 0.01, l2: 0, seed});
function rows(seed: number, n: number, p: number): Float32Array {
  const rng = new Rng(seed);
  // Mostly 0/1 columns, like the encoded contacts, and a few scaled numbers.
  return Float32Array.from({length: n * p}, (_, i) => (i % p < p - 2 ? Number(rng.uniform() < 0.3) : rng.normal()));
}

it("for a logistic model equals w · (x − baseline) exactly", () => {
  const w = [0.5, -1.2, 2];
  const model = createLogisticModel(tf, 3, 0.3, w);
  const X = Float32Array.from([1, 0, 0.5, 0, 1, -1]);
  const base = [0.2, 0.4, 0];
  const ig = integratedGradients(tf, model, X, 2, 3, base, 8);
  const exact = pathIntegratedGradients(denseLayers(model)!, X, 2, 3, base).attributions;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 3; j++) {
      expect(ig[i * 3 + j]).toBeCloseTo(w[j] * (X[i * 3 + j] - base[j]), 4);
      expect(exact[i * 3 + j]).toBeCloseTo(Math.fround(w[j]) * (X[i * 3 + j] - base[j]), 12);
    }
  }
});

it("for an MLP sums to the change in log-odds from the baseline (completeness)", () => {
  const rng = new Rng(8);
  const p = 6,
    n = 20;
  const model = mlp(p, [8], 5);
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

for (const hidden of [[8], [12, 6], [6, 5, 4]]) {
  it(`walks the ReLU kinks exactly for hidden layers ${JSON.stringify(hidden)}: complete to rounding, logits as tfjs's, the limit of tfjs's Riemann sums`, () => {
    const p = 7,
      n = 40;
    const model = mlp(p, hidden, 21 + hidden.length);
    const X = rows(9, n, p);
    const base = Array.from({length: p}, (_, j) => (j < p - 2 ? 0.3 : 0.1));
    const {attributions, logits, kinks} = pathIntegratedGradients(denseLayers(model)!, X, n, p, base);
    expect(kinks).toBeGreaterThan(n); // the paths do cross kinks: the test exercises the walk
    const px = predict(tf, model, X, n, p);
    const [zb] = pathIntegratedGradients(denseLayers(model)!, Float64Array.from(base), 1, p, base).logits;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += attributions[i * p + j];
      expect(Math.abs(s - (logits[i] - zb))).toBeLessThan(1e-12);
      expect(logits[i]).toBeCloseTo(logit(px[i]), 4);
    }
    // Riemann sums converge to the exact integral: more steps, closer.
    const error = (steps: number) => {
      const ig = integratedGradients(tf, model, X, n, p, base, steps);
      let e = 0;
      for (let k = 0; k < n * p; k++) e = Math.max(e, Math.abs(ig[k] - attributions[k]));
      return e;
    };
    const e8 = error(8),
      e256 = error(256);
    expect(e256).toBeLessThan(e8 / 4);
    expect(e256).toBeLessThan(0.02);
  });
}

it("handles a unit sitting exactly at zero at the baseline (its side depends on the row)", () => {
  const p = 3;
  // One hidden unit with zero bias, so at the zero baseline its input is exactly 0.
  const layers = [
    {kernel: Float64Array.from([1, -1, 0.5, 2, 1, -1]), bias: Float64Array.from([0, 0.2]), inputs: p, units: 2},
    {kernel: Float64Array.from([1.5, -0.7]), bias: Float64Array.from([0.1]), inputs: 2, units: 1},
  ];
  const X = Float64Array.from([1, 0, 0, -1, 0, 0, 0.5, 0.5, 1]);
  const base = [0, 0, 0];
  const {attributions, logits} = pathIntegratedGradients(layers, X, 3, p, base);
  const z = (x: number[]) => {
    const h0 = Math.max(0, x[0] * 1 + x[1] * 0.5 + x[2] * 1);
    const h1 = Math.max(0, x[0] * -1 + x[1] * 2 + x[2] * -1 + 0.2);
    return 0.1 + 1.5 * h0 - 0.7 * h1;
  };
  for (let i = 0; i < 3; i++) {
    const x = Array.from(X.subarray(i * p, (i + 1) * p));
    expect(logits[i]).toBeCloseTo(z(x), 12);
    expect(attributions[i * p] + attributions[i * p + 1] + attributions[i * p + 2]).toBeCloseTo(z(x) - z(base), 12);
  }
  // Row 1 moves the tied unit down (it stays off): only the other unit's path counts.
  expect(attributions[p]).toBeCloseTo(-0.7 * -1 * -1, 12);
});

it("refuses a network without a single output unit", () => {
  const layers = [{kernel: new Float64Array(4), bias: new Float64Array(2), inputs: 2, units: 2}];
  expect(() => pathIntegratedGradients(layers, new Float64Array(2), 1, 2, [0, 0])).toThrow(/one output unit/);
});

it("reads the weights of dense ReLU networks only: any other architecture gets null (and scoring refuses it)", () => {
  expect(denseLayers(mlp(4, [3, 2], 7))?.map((l) => [l.inputs, l.units])).toEqual([
    [4, 3],
    [3, 2],
    [2, 1],
  ]);
  const tanh = tf.sequential({
    layers: [tf.layers.dense({units: 3, inputShape: [4], activation: "tanh"}), tf.layers.dense({units: 1, activation: "sigmoid"})],
  });
  expect(denseLayers(tanh)).toBeNull();
});

it("equals the closed form for one hidden layer: each unit's gradient integrated over the part of the path where it is on", () => {
  const p = 9,
    n = 200,
    units = 16;
  const layers = denseLayers(mlp(p, [units], 41))!;
  const X = rows(41, n, p);
  const base = Array.from({length: p}, (_, j) => 0.1 + 0.05 * j);
  const {attributions, kinks} = pathIntegratedGradients(layers, X, n, p, base);
  expect(kinks).toBeGreaterThan(n / 2); // units do switch along the paths: the test exercises the kinks
  const [W0, b0, w1] = [layers[0].kernel, layers[0].bias, layers[1].kernel];
  let worst = 0;
  for (let i = 0; i < n; i++) {
    // Unit k's pre-activation is u + α·v along the path; it is on for the part of [0, 1] where that is > 0.
    const onFor = Array.from({length: units}, (_, k) => {
      let u = b0[k],
        v = 0;
      for (let j = 0; j < p; j++) {
        u += W0[j * units + k] * base[j];
        v += W0[j * units + k] * (X[i * p + j] - base[j]);
      }
      const cross = -u / v;
      return v === 0 ? Number(u > 0) : v > 0 ? 1 - Math.min(1, Math.max(0, cross)) : Math.min(1, Math.max(0, cross));
    });
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let k = 0; k < units; k++) s += W0[j * units + k] * w1[k] * onFor[k];
      worst = Math.max(worst, Math.abs(attributions[i * p + j] - (X[i * p + j] - base[j]) * s));
    }
  }
  expect(worst).toBeLessThan(1e-9);
});
