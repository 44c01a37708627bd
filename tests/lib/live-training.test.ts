// The Training page's side-by-side comparison: registered models of the chosen target and the page's own model.
import {expect, it} from "vitest";
import {comparisonCurves, type RegisteredCurves} from "../../src/lib/live-training.ts";

const roc = [
  {fpr: 0, tpr: 0},
  {fpr: 0.2, tpr: 0.6},
  {fpr: 1, tpr: 1},
];
const models: RegisteredCurves[] = [
  {
    id: "info_sharing-mlp-a",
    target: "info_sharing",
    history: [
      {epoch: 1, set: "training", loss: 0.5, auc: 0.7},
      {epoch: 1, set: "validation", loss: 0.55, auc: 0.68},
    ],
    roc,
  },
  {id: "info_sharing-logistic-b", target: "info_sharing", history: [], roc},
  {id: "rag_red-mlp-c", target: "rag_red", history: [{epoch: 1, set: "training", loss: 0.4, auc: 0.6}], roc},
];

it("tags every point with its model, keeps only the chosen target, and names models without learning curves", () => {
  const c = comparisonCurves(models, "info_sharing", {curve: [{epoch: 1, set: "validation", loss: 0.6, auc: 0.66}], roc});
  expect([...new Set(c.learning.map((d) => d.model))]).toEqual(["info_sharing-mlp-a", "this page"]);
  expect([...new Set(c.roc.map((d) => d.model))]).toEqual(["info_sharing-mlp-a", "info_sharing-logistic-b", "this page"]);
  expect(c.models).toEqual(["info_sharing-mlp-a", "info_sharing-logistic-b", "this page"]); // one colour per model in both charts
  expect(c.roc).toHaveLength(9);
  expect(c.withoutHistory).toEqual(["info_sharing-logistic-b"]);
  expect(comparisonCurves(models, "recontact_12m")).toEqual({learning: [], roc: [], models: ["this page"], withoutHistory: []});
});

it("shows the registered models before anything is trained on the page", () => {
  const c = comparisonCurves(models, "rag_red", {curve: []});
  expect(c.learning).toEqual([{epoch: 1, set: "training", loss: 0.4, auc: 0.6, model: "rag_red-mlp-c"}]);
  expect(c.roc.every((d) => d.model === "rag_red-mlp-c")).toBe(true);
});
