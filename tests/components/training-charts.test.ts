// @vitest-environment jsdom
// Chart snapshots of the Training page (src/training.md): the live training curve,
// the learning curves of registered models side by side per data set, and their ROC
// curves. Fixed width; inline rows shaped like `state.curve`, `compared.learning` and
// `compared.roc`. And the settings form: messages beside fields, the value set only by Train.
import {describe, expect, it} from "vitest";
// @ts-expect-error -- @observablehq/inputs ships no type declarations; the few calls used are typed below
import * as untypedInputs from "@observablehq/inputs";
import {epochTicks, TrainingCurves} from "../../src/components/training-curves.ts";
import {SettingsForm, type Field} from "../../src/components/settings-form.ts";
import {checkSettings, type RawSettings} from "../../src/lib/live-training-settings.ts";
import {RocCurves} from "../../src/components/roc-curves.ts";
import {clean, marks, swatches, ticks} from "./snapshot.ts";

/** The real Observable Inputs (as the page's fields), typed for what the tests call. */
const Inputs = untypedInputs as Record<"checkbox" | "radio" | "text" | "range" | "number", (...args: unknown[]) => Field>;

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

describe("epoch ticks and the settings form", () => {
  it("epoch axes tick at whole epochs only", () => {
    expect(epochTicks(6)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(epochTicks(30)).toEqual([1, 5, 10, 15, 20, 25, 30]);
    expect(epochTicks(2)).toEqual([1, 2]);
    const el = TrainingCurves(curve.slice(0, 6), {width: 440, y: "loss", epochs: 3});
    expect(ticks(el, "x")).toEqual(["1", "2", "3"]);
    const wide = TrainingCurves(curve, {width: 440, y: "loss"}); // no epochs given: the data's last epoch
    expect(ticks(wide, "x")).toEqual(["1", "2", "3", "4", "5"]);
  });

  /** Types into a text or number box as a user would: the value, then a bubbling input event. */
  const type = (field: Element, text: string) => {
    const box = field.querySelector("input[type=text], input[type=number]") as HTMLInputElement;
    box.value = text;
    box.dispatchEvent(new Event("input", {bubbles: true}));
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("settings form: a message beside the bad field, Train disabled, and the value changes only on Train", async () => {
    const fields = {
      groups: Inputs.checkbox(["contact", "child"], {label: "Feature groups", value: ["contact", "child"]}),
      model: Inputs.radio(["logistic", "mlp"], {label: "Model", value: "mlp"}),
      hidden: Inputs.text({label: "Hidden layers", value: "16"}),
      epochs: Inputs.range([1, 30], {label: "Epochs", step: 1, value: 6}),
      learningRate: Inputs.number([0.0001, 0.1], {label: "Learning rate", value: 0.005}),
      ridge: Inputs.number([0, 100], {label: "Ridge", value: 1}),
    };
    const check = (raw: Record<string, unknown>) => checkSettings({...(raw as unknown as RawSettings), target: {name: "t", label: "T"}});
    const form = SettingsForm(fields, {check, submit: "Train"});
    document.body.append(form);
    const seen: unknown[] = [];
    form.addEventListener("input", () => seen.push(form.value));
    const button = form.querySelector(".settings-submit button") as HTMLButtonElement;
    const shown = () => [...form.querySelectorAll<HTMLElement>(".field-message")].filter((m) => !m.hidden).map((m) => m.dataset.messageFor);
    expect(form.value).toBeNull();
    expect(button.disabled).toBe(false);

    type(fields.epochs, "12"); // a change to a field is not a run
    await settle();
    expect(seen).toEqual([]);

    type(fields.hidden, "abc");
    await settle();
    expect(shown()).toEqual(["hidden"]);
    const message = form.querySelector('[data-message-for="hidden"]')!;
    expect(message.textContent).toMatch(/"abc" is not a layer size/);
    expect(message.closest("[data-field]")?.getAttribute("data-field")).toBe("hidden"); // beside its own field
    expect(fields.hidden.querySelector("input")!.getAttribute("aria-describedby")).toBe(message.id);
    expect(button.disabled).toBe(true);
    button.click();
    expect(seen).toEqual([]);

    type(fields.hidden, "32, 16");
    await settle();
    expect(shown()).toEqual([]);
    button.click();
    expect(seen).toHaveLength(1);
    expect(form.value).toMatchObject({hidden: [32, 16], epochs: 12, learningRate: 0.005, groups: ["contact", "child"]});

    // No feature group: a message and Train disabled. An out-of-range number Inputs would swallow is reported as typed.
    for (const box of fields.groups.querySelectorAll("input")) box.checked = false;
    fields.groups.querySelector("input")!.dispatchEvent(new Event("input", {bubbles: true}));
    type(fields.learningRate, "0.5");
    await settle();
    expect(shown()).toEqual(["groups", "learningRate"]);
    expect(button.disabled).toBe(true);
    form.remove();
  });
});
