// Logistic regression: the fit is the exact maximum-likelihood solution.
import {expect, it} from "vitest";
import {fitLogistic, predictLogistic, solveSpd, sparseRows} from "../../src/lib/logistic.ts";
import {Rng} from "../../loaders/synth/random.ts";

const logit = (p: number) => Math.log(p / (1 - p));

it("solves a symmetric positive-definite system", () => {
  const x = solveSpd(Float64Array.from([4, 2, 2, 3]), Float64Array.from([2, 1]), 2);
  expect(x[0]).toBeCloseTo(0.5, 12);
  expect(x[1]).toBeCloseTo(0, 12);
});

it("matches the closed-form fit of a saturated model (one binary feature): β0 = logit(ȳ|x=0), β1 = logit(ȳ|x=1) − β0", () => {
  // 40 rows with x = 0 (10 positive), 60 with x = 1 (45 positive): hand-computable MLE.
  const x: number[] = [],
    y: number[] = [];
  for (let i = 0; i < 40; i++) (x.push(0), y.push(i < 10 ? 1 : 0));
  for (let i = 0; i < 60; i++) (x.push(1), y.push(i < 45 ? 1 : 0));
  const fit = fitLogistic(x, y, 100, 1);
  expect(fit.intercept).toBeCloseTo(logit(10 / 40), 9);
  expect(fit.coefficients[0]).toBeCloseTo(logit(45 / 60) - logit(10 / 40), 9);
  expect(fit.gradientMax).toBeLessThan(1e-10);
});

it("matches the closed form with a three-level category (reference coding) and reproduces the group rates", () => {
  const rates = [0.2, 0.5, 0.7];
  const sizes = [50, 30, 20];
  const X: number[] = [],
    y: number[] = [];
  sizes.forEach((n, g) => {
    for (let i = 0; i < n; i++) {
      X.push(g === 1 ? 1 : 0, g === 2 ? 1 : 0);
      y.push(i < rates[g] * n ? 1 : 0);
    }
  });
  const fit = fitLogistic(X, y, 100, 2);
  expect(fit.intercept).toBeCloseTo(logit(0.2), 9);
  expect(fit.coefficients[0]).toBeCloseTo(logit(0.5) - logit(0.2), 9);
  expect(fit.coefficients[1]).toBeCloseTo(logit(0.7) - logit(0.2), 9);
});

it("with a ridge penalty, reaches the penalised optimum (gradient zero) and shrinks coefficients; predictions in (0, 1)", () => {
  const rng = new Rng(42);
  const n = 2000,
    p = 6;
  const truth = [0.8, -0.5, 0.3, 0, 1.2, -1];
  const X = new Float64Array(n * p),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = -0.4;
    for (let j = 0; j < p; j++) z += (X[i * p + j] = rng.normal()) * truth[j];
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const free = fitLogistic(X, y, n, p);
  const ridge = fitLogistic(X, y, n, p, {ridge: 50});
  expect(free.gradientMax).toBeLessThan(1e-10);
  expect(ridge.gradientMax).toBeLessThan(1e-10);
  for (let j = 0; j < p; j++) expect(Math.abs(free.coefficients[j] - truth[j])).toBeLessThan(0.15);
  const norm = (c: Float64Array) => c.reduce((a, v) => a + v * v, 0);
  expect(norm(ridge.coefficients)).toBeLessThan(norm(free.coefficients));
  const probs = predictLogistic(free, X, n, p);
  expect(Math.min(...probs)).toBeGreaterThan(0);
  expect(Math.max(...probs)).toBeLessThan(1);
  // At the MLE with an intercept, mean prediction equals the observed rate.
  expect(probs.reduce((a, v) => a + v, 0) / n).toBeCloseTo(y.reduce((a, v) => a + v, 0) / n, 9);
});

it("refuses collinear features without a penalty, with a clear message", () => {
  const X = [1, 1, 0, 0, 1, 1, 0, 0];
  expect(() => fitLogistic(X, [1, 0, 1, 0], 4, 2)).toThrow(/not positive definite/);
});

/** A one-hot design like the workbench's: categories, a multi-hot block and a scaled number. */
function oneHotFixture(n: number, seed: number) {
  const rng = new Rng(seed);
  const p = 9;
  const X = new Float64Array(n * p),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = X.subarray(i * p, (i + 1) * p);
    row[Math.floor(rng.uniform() * 4)] = 1; // a four-level category, every level a column
    for (let j = 4; j < 8; j++) row[j] = rng.uniform() < 0.2 ? 1 : 0; // multi-hot
    row[8] = rng.normal();
    const z = -1 + 0.8 * row[1] - 0.6 * row[3] + row[5] + 0.5 * row[8];
    y[i] = rng.uniform() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return {X, y, n, p};
}

/** The penalised gradient at a fit, computed densely here (independently of the sparse fit). */
function gradient(
  fit: {intercept: number; coefficients: Float64Array},
  X: Float64Array,
  y: Float64Array,
  n: number,
  p: number,
  ridge: number,
) {
  const g = new Float64Array(p + 1);
  for (let i = 0; i < n; i++) {
    let z = fit.intercept;
    for (let j = 0; j < p; j++) z += X[i * p + j] * fit.coefficients[j];
    const r = 1 / (1 + Math.exp(-z)) - y[i];
    g[0] += r;
    for (let j = 0; j < p; j++) g[j + 1] += r * X[i * p + j];
  }
  for (let j = 0; j < p; j++) g[j + 1] += ridge * fit.coefficients[j];
  return g;
}

it("sparseRows keeps each row's nonzero entries, with the intercept first", () => {
  const rows = sparseRows([0, 2, 0, 0, 0, 0, 1.5, 0, 3], 3, 3);
  expect(Array.from(rows.start)).toEqual([0, 2, 3, 6]);
  expect(Array.from(rows.column)).toEqual([0, 2, 0, 0, 1, 3]);
  expect(Array.from(rows.value)).toEqual([1, 2, 1, 1, 1.5, 3]);
});

it("on a one-hot design with a ridge penalty, reaches the optimum: the gradient, computed densely, is zero", () => {
  const {X, y, n, p} = oneHotFixture(5000, 7);
  const fit = fitLogistic(X, y, n, p, {ridge: 1});
  const g = gradient(fit, X, y, n, p, 1);
  expect(Math.max(...g.map(Math.abs))).toBeLessThan(1e-8);
  expect(fit.iterations).toBeLessThan(12);
});

it("stops when a full Newton step no longer moves the weights, even where the gradient cannot reach the tolerance", () => {
  // At hundreds of thousands of rows the gradient's rounding alone stays above 1e-10; a tolerance of 0
  // stands for that here. The fit must still stop within a few iterations, at the same weights.
  const {X, y, n, p} = oneHotFixture(4000, 3);
  const usual = fitLogistic(X, y, n, p, {ridge: 1});
  const unreachable = fitLogistic(X, y, n, p, {ridge: 1, tolerance: 0});
  expect(unreachable.iterations).toBeLessThanOrEqual(usual.iterations + 2);
  expect(Math.abs(unreachable.intercept - usual.intercept)).toBeLessThan(1e-12);
  for (let j = 0; j < p; j++) expect(Math.abs(unreachable.coefficients[j] - usual.coefficients[j])).toBeLessThan(1e-12);
});
