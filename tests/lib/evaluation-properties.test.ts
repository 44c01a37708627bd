// Property tests of the evaluation modules on seeded random data.
import {describe, expect, it} from "vitest";
import {auc, seeded} from "../../src/lib/metrics.ts";
import {averagePrecision, curves, thin} from "../../src/lib/discrimination.ts";
import {
  calibrationInTheLarge,
  calibrationLine,
  expectedCalibrationError,
  fitIsotonic,
  fitPlatt,
  reliability,
} from "../../src/lib/calibration.ts";
import {confusion, flagByCapacity, rates, workloadByPeriod} from "../../src/lib/thresholds.ts";
import {binCounts, psi, quantileEdges} from "../../src/lib/drift.ts";
import {groupMetrics, intersect} from "../../src/lib/fairness.ts";
import {partialDependence, permutationImportance} from "../../src/lib/explain.ts";
import {fitLogistic, standardErrors} from "../../src/lib/logistic.ts";

function calibratedSample(n: number, seed: number) {
  const r = seeded(seed);
  const p = Float64Array.from({length: n}, () => 0.02 + 0.9 * r() ** 2);
  const y = Float64Array.from(p, (pi) => (r() < pi ? 1 : 0));
  return {p, y};
}

describe("discrimination", () => {
  it("AUC equals the Mann–Whitney count over all positive–negative pairs (ties half)", () => {
    const r = seeded(3);
    const s = Array.from({length: 300}, () => Math.round(r() * 20) / 20);
    const y = s.map((v) => (r() < v ? 1 : 0));
    let wins = 0,
      pairs = 0;
    for (let i = 0; i < s.length; i++)
      for (let j = 0; j < s.length; j++) {
        if (y[i] === 1 && y[j] === 0) {
          pairs++;
          wins += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
        }
      }
    expect(Math.abs(auc(s, y) - wins / pairs)).toBeLessThan(1e-12);
    // the trapezoid area under the ROC curve is the same number
    const c = curves(s, y);
    let area = 0;
    for (let i = 1; i < c.length; i++) area += ((c[i].fpr - c[i - 1].fpr) * (c[i].tpr + c[i - 1].tpr)) / 2;
    expect(Math.abs(area - wins / pairs)).toBeLessThan(1e-12);
  });

  it("average precision of a perfect ranking is 1; of a constant score, the prevalence", () => {
    expect(averagePrecision([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0])).toBe(1);
    expect(averagePrecision([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0])).toBe(0.25);
  });

  it("thinning keeps both ends and fewer points", () => {
    const {p, y} = calibratedSample(5000, 1);
    const c = curves(p, y);
    const t = thin(
      c,
      (d) => d.fpr,
      (d) => d.tpr,
      0.01,
    );
    expect(t.length).toBeLessThan(c.length);
    expect(t[0]).toBe(c[0]);
    expect(t[t.length - 1]).toBe(c[c.length - 1]);
  });
});

describe("calibration", () => {
  it("a perfectly calibrated score has slope ≈ 1, intercept ≈ 0, small ECE, bins on the diagonal", () => {
    const {p, y} = calibratedSample(60_000, 7);
    const line = calibrationLine(p, y);
    expect(Math.abs(line.slope - 1)).toBeLessThan(0.05);
    expect(Math.abs(line.intercept)).toBeLessThan(0.05);
    expect(Math.abs(calibrationInTheLarge(p, y))).toBeLessThan(0.03);
    expect(expectedCalibrationError(p, y)).toBeLessThan(0.01);
    for (const b of reliability(p, y))
      (expect(b.predicted).toBeGreaterThanOrEqual(b.lo - 0.01), expect(b.predicted).toBeLessThanOrEqual(b.hi + 0.01));
  });

  it("an over-confident score has slope < 1, and Platt recalibration fitted on validation fixes it on test", () => {
    const {p, y} = calibratedSample(40_000, 11);
    const logit = (q: number) => Math.log(q / (1 - q));
    const sig = (z: number) => 1 / (1 + Math.exp(-z));
    const over = Float64Array.from(p, (q) => sig(2 * logit(q)));
    expect(calibrationLine(over, y).slope).toBeLessThan(0.6);
    const valid = {p: over.subarray(0, 20_000), y: y.subarray(0, 20_000)};
    const test = {p: over.subarray(20_000), y: y.subarray(20_000)};
    const platt = fitPlatt(valid.p, valid.y);
    const fixed = Float64Array.from(test.p, platt);
    expect(Math.abs(calibrationLine(fixed, test.y).slope - 1)).toBeLessThan(0.06);
    expect(expectedCalibrationError(fixed, test.y)).toBeLessThan(expectedCalibrationError(test.p, test.y));
  });

  it("isotonic regression is non-decreasing and preserves the mean", () => {
    const {p, y} = calibratedSample(3000, 5);
    const fit = fitIsotonic(p, y);
    for (let i = 1; i < fit.y.length; i++) expect(fit.y[i]).toBeGreaterThanOrEqual(fit.y[i - 1]);
    const counts = new Map<number, number>();
    for (const v of p) counts.set(v, (counts.get(v) ?? 0) + 1);
    const mean = fit.x.reduce((s, x, i) => s + fit.y[i] * counts.get(x)!, 0) / p.length;
    expect(Math.abs(mean - y.reduce((a, b) => a + b, 0) / y.length)).toBeLessThan(1e-12);
  });
});

describe("thresholds and workload", () => {
  it("rates come from the confusion matrix with their counts", () => {
    const c = confusion([1, 1, 0, 0, 1, 0], [1, 0, 1, 0, 1, 0]);
    expect(c).toEqual({tp: 2, fn: 1, fp: 1, tn: 2, n: 6});
    const r = rates(c);
    expect(r.sensitivity.rate).toBeCloseTo(2 / 3, 12);
    expect(r.falseOmission).toMatchObject({k: 1, n: 3});
    expect(r.selection).toMatchObject({k: 3, n: 6});
  });

  it("capacity flags the top k of each day", () => {
    const f = flagByCapacity([0.1, 0.9, 0.5, 0.7, 0.2, 0.3], ["d1", "d1", "d1", "d2", "d2", "d2"], 2);
    expect(Array.from(f)).toEqual([0, 1, 1, 1, 0, 1]);
  });

  it("workload by month counts the unflagged and those among them who needed it", () => {
    const w = workloadByPeriod(["2019-01", "2019-01", "2019-02", "2019-02"], [1, 0, 1, 1], [0, 0, 1, 0]);
    expect(w.map((d) => [d.period, d.unlikely, d.missed])).toEqual([
      ["2019-01", 2, 1],
      ["2019-02", 1, 1],
    ]);
  });
});

describe("drift, fairness, explanations", () => {
  it("PSI is 0 for the same distribution and grows with a shift", () => {
    const r = seeded(2);
    const a = Array.from({length: 5000}, () => r());
    const b = Array.from({length: 5000}, () => r());
    const shifted = b.map((x) => x + 0.3);
    const edges = quantileEdges(a);
    expect(psi(binCounts(a, edges), binCounts(a, edges))).toBe(0);
    expect(psi(binCounts(a, edges), binCounts(b, edges))).toBeLessThan(0.02);
    expect(psi(binCounts(a, edges), binCounts(shifted, edges))).toBeGreaterThan(0.25);
  });

  it("groups below the minimum are marked too few to tell", () => {
    const groups = [...Array(40).fill("a"), ...Array(5).fill("b")];
    const y = groups.map((_, i) => i % 2);
    const g = groupMetrics(
      groups,
      y,
      y.map((v) => v),
      y.map(() => 0.5),
    );
    expect(g.map((d) => [d.group, d.n, d.tooFew])).toEqual([
      ["a", 40, false],
      ["b", 5, true],
    ]);
    expect(g[0].fpr.k).toBe(0);
    expect(intersect(["f", "m"], ["x", "y"])).toEqual(["f · x", "m · y"]);
  });

  it("permutation importance finds the feature that matters and not the one that does not", () => {
    const r = seeded(9);
    const n = 2000,
      p = 2;
    const X = new Float32Array(n * p);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      X[i * p] = r();
      X[i * p + 1] = r();
      y[i] = r() < X[i * p] ? 1 : 0;
    }
    const predict = (M: Float32Array, m: number) => Float64Array.from({length: m}, (_, i) => M[i * p] + 0.001 * M[i * p + 1]);
    const [useful, noise] = permutationImportance(predict, X, n, p, y, [
      {name: "x0", columns: [0]},
      {name: "x1", columns: [1]},
    ]);
    expect(useful.drop).toBeGreaterThan(0.2);
    expect(Math.abs(noise.drop)).toBeLessThan(0.01);
    const pd = partialDependence(predict, X, n, p, {name: "x0", columns: [0]}, [
      {value: 0, columns: [0]},
      {value: 1, columns: [1]},
    ]);
    expect(pd[1].mean - pd[0].mean).toBeCloseTo(1, 6);
  });

  it("logistic standard errors: finite, and at least the conditional SE from the numerical curvature", () => {
    const r = seeded(4);
    const n = 400,
      p = 2;
    const X = Float64Array.from({length: n * p}, () => r() * 2 - 1);
    const y = Float64Array.from({length: n}, (_, i) => (r() < 1 / (1 + Math.exp(-(0.3 + X[i * p] - 0.5 * X[i * p + 1]))) ? 1 : 0));
    const fit = fitLogistic(X, y, n, p);
    const se = standardErrors(fit, X, n, p);
    // 1-parameter check on the intercept: curvature of the log-likelihood by finite differences
    const nll = (b0: number) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const z = b0 + X[i * p] * fit.coefficients[0] + X[i * p + 1] * fit.coefficients[1];
        s += Math.log1p(Math.exp(z)) - y[i] * z;
      }
      return s;
    };
    const h = 1e-4;
    const curvature = (nll(fit.intercept + h) - 2 * nll(fit.intercept) + nll(fit.intercept - h)) / (h * h);
    // the marginal SE (from the full inverse) is at least the conditional one, 1/√curvature
    expect(se[0]).toBeGreaterThanOrEqual(1 / Math.sqrt(curvature) - 1e-6);
    expect(se[0]).toBeLessThan(2 / Math.sqrt(curvature));
    expect(se.every((v) => v > 0 && Number.isFinite(v))).toBe(true);
  });
});
