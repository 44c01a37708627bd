// @vitest-environment jsdom
// Chart snapshots of the Training page (src/training.md): the live training curve,
// the learning curves of registered models side by side per data set, and their ROC
// curves. Fixed width; inline rows shaped like `state.curve`, `compared.learning` and
// `compared.roc`.
import {describe, expect, it} from "vitest";
import {TrainingCurves} from "../../src/components/training-curves.ts";
import {RocCurves} from "../../src/components/roc-curves.ts";
import {clean, marks, swatches, ticks} from "./snapshot.ts";

const curve = [1, 2, 3, 4, 5].flatMap((epoch) => [
  {epoch, set: "training", loss: 0.6 - 0.05 * epoch, auc: 0.7 + 0.02 * epoch},
  {epoch, set: "validation", loss: 0.62 - 0.04 * epoch, auc: 0.69 + 0.015 * epoch},
]);
const models = ["logistic-2019", "mlp-2019"];
const learning = models.flatMap((model, m) =>
  [1, 2, 3].flatMap((epoch) =>
    ["training", "validation"].map((set) => ({model, set, epoch, loss: 0.6 - 0.04 * epoch - 0.02 * m + (set === "validation" ? 0.03 : 0)})),
  ),
);
const roc = models.flatMap((model, m) =>
  [
    [0, 0],
    [0.1, 0.4 + 0.1 * m],
    [0.3, 0.7 + 0.05 * m],
    [0.6, 0.9],
    [1, 1],
  ].map(([fpr, tpr]) => ({model, fpr, tpr})),
);

describe("training charts (SVG snapshots at a fixed width)", () => {
  it("training curves: one line per data set, a marker at each epoch", async () => {
    const el = TrainingCurves(curve, {width: 440, y: "loss", yLabel: "Log loss", epochs: 5});
    expect(marks(el, "line", "path").length).toBe(2);
    expect(swatches(el)).toEqual(["training", "validation"]);
    expect(el.querySelectorAll("marker").length).toBeGreaterThan(0);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/training-curves.svg.html");
  });

  it("training curves by set: a panel per data set, a line per model in each", async () => {
    const el = TrainingCurves(learning, {width: 440, stroke: "model", fx: "set", yLabel: "Log loss", domain: models});
    expect(ticks(el, "fx")).toEqual(["training", "validation"]);
    expect(marks(el, "line", "path").length).toBe(4);
    expect(swatches(el)).toEqual(models);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/training-curves-by-set.svg.html");
  });

  it("ROC curves: one line per model over the chance diagonal", async () => {
    const el = RocCurves(roc, {width: 440, domain: models});
    expect(marks(el, "line", "path").length).toBe(3); // diagonal + two models
    expect(swatches(el)).toEqual(models);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/roc-curves.svg.html");
  });
});
