import {expect, it} from "vitest";
import {rocArea, rocPoints} from "../../src/lib/roc.ts";
import {auc} from "../../src/lib/metrics.ts";
import {Rng} from "../../loaders/synth/random.ts";

it("runs from (0, 0) to (1, 1), never decreasing, moving tied scores together", () => {
  expect(rocPoints([0.9, 0.8, 0.8, 0.1], [1, 0, 1, 0])).toEqual([
    {fpr: 0, tpr: 0},
    {fpr: 0, tpr: 0.5},
    {fpr: 0.5, tpr: 1},
    {fpr: 1, tpr: 1},
  ]);
  expect(rocPoints([0.5, 0.4], [1, 1])).toEqual([]); // no negatives: no curve
});

it("has the rank AUC as its area, and thinning keeps the ends and stays close", () => {
  const rng = new Rng(3);
  const n = 5000;
  const labels = Float64Array.from({length: n}, () => Number(rng.uniform() < 0.3));
  const scores = Float64Array.from(labels, (y) => Math.round((rng.normal() + y) * 100) / 100);
  const full = rocPoints(scores, labels, Infinity);
  expect(rocArea(full)).toBeCloseTo(auc(scores, labels), 10);
  const thin = rocPoints(scores, labels, 51);
  expect(thin).toHaveLength(51);
  expect(thin[0]).toEqual({fpr: 0, tpr: 0});
  expect(thin[50]).toEqual({fpr: 1, tpr: 1});
  expect(Math.abs(rocArea(thin) - rocArea(full))).toBeLessThan(0.01);
  for (let k = 1; k < thin.length; k++) expect(thin[k].fpr >= thin[k - 1].fpr && thin[k].tpr >= thin[k - 1].tpr).toBe(true);
});
