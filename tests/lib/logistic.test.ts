// Logistic regression: the fit is the exact maximum-likelihood solution.
import {expect, it} from "vitest";
import {fitLogistic, predictLogistic, solveSpd} from "../../src/lib/logistic.ts";
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
