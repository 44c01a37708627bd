// Evaluation metrics against scikit-learn 1.2.1 and hand formulas, on a committed
// fixture made by tests/fixtures/eval-reference/make-reference.py (which says how).
import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {auc, brier} from "../../src/lib/metrics.ts";
import {averagePrecision, curves} from "../../src/lib/discrimination.ts";
import {applyIsotonic, calibrationLine, expectedCalibrationError, fitIsotonic} from "../../src/lib/calibration.ts";
import {confusion, decisionCurve, flagByScore} from "../../src/lib/thresholds.ts";
import {psi} from "../../src/lib/drift.ts";
import {rateRatio} from "../../src/lib/fairness.ts";

const ref = JSON.parse(readFileSync("tests/fixtures/eval-reference/reference.json", "utf8"));
const {scores, labels} = ref as {scores: number[]; labels: number[]};
const close = (a: number, b: number, tol = 1e-9) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol);

describe("metrics match scikit-learn to 1e-9", () => {
  it("AUC, average precision and Brier", () => {
    close(auc(scores, labels), ref.auc);
    close(averagePrecision(scores, labels), ref.averagePrecision);
    close(brier(scores, labels), ref.brier);
  });

  it("ROC curve: every point and threshold", () => {
    const c = curves(scores, labels);
    expect(c.length).toBe(ref.roc.fpr.length);
    c.forEach((d, i) => {
      close(d.fpr, ref.roc.fpr[i]);
      close(d.tpr, ref.roc.tpr[i]);
      if (i > 0) close(d.threshold, ref.roc.thresholds[i - 1]);
    });
  });

  it("precision–recall curve: every point (scikit-learn lists them in increasing threshold)", () => {
    const c = curves(scores, labels).slice(1).reverse();
    // scikit-learn stops once recall reaches 1 at the lowest threshold needed
    const thresholds: number[] = ref.pr.thresholds;
    const byThreshold = new Map(c.map((d) => [d.threshold, d]));
    thresholds.forEach((t, i) => {
      const d = byThreshold.get(t)!;
      close(d.precision, ref.pr.precision[i]);
      close(d.recall, ref.pr.recall[i]);
    });
  });

  it("calibration slope and intercept (unpenalised logistic on logit p)", () => {
    const line = calibrationLine(scores, labels);
    close(line.slope, ref.calibration.slope);
    close(line.intercept, ref.calibration.intercept);
  });

  it("isotonic recalibration at probe scores, clipped at the ends", () => {
    const fit = fitIsotonic(scores, labels);
    ref.isotonic.probe.forEach((x: number, i: number) => close(applyIsotonic(fit, x), ref.isotonic.fitted[i]));
  });

  it("confusion matrix at a threshold", () => {
    const c = confusion(labels, flagByScore(scores, ref.confusion.threshold));
    expect({tp: c.tp, fp: c.fp, tn: c.tn, fn: c.fn}).toEqual({
      tp: ref.confusion.tp,
      fp: ref.confusion.fp,
      tn: ref.confusion.tn,
      fn: ref.confusion.fn,
    });
  });

  it("hand formulas: ECE (10 equal-count bins), net benefit, PSI, Katz rate ratio", () => {
    close(expectedCalibrationError(scores, labels, {bins: 10}), ref.ece10);
    decisionCurve(scores, labels, ref.netBenefit.thresholds).forEach((d, i) => close(d.model, ref.netBenefit.model[i]));
    close(psi(ref.psi.expected, ref.psi.actual), ref.psi.value);
    const r = rateRatio(ref.rateRatio.k1, ref.rateRatio.n1, ref.rateRatio.k0, ref.rateRatio.n0);
    close(r.ratio, ref.rateRatio.ratio);
    close(r.lo, ref.rateRatio.lo);
    close(r.hi, ref.rateRatio.hi);
  });
});
