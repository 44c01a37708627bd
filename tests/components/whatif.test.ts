// @vitest-environment jsdom
// The what-if form (src/components/whatif-form.ts) built from dictionary-shaped variables:
// one labelled control per input, pre-filled with the contact, its value the edited row,
// "changed from …" beside an edited field, a reset, and a snapshot of the markup.
import {describe, expect, it} from "vitest";
import {WhatIfForm} from "../../src/components/whatif-form.ts";
import type {FormVariable} from "../../src/lib/whatif.ts";
import {clean} from "./snapshot.ts";

const variables: FormVariable[] = [
  {
    name: "source",
    label: "Who made the contact",
    type: "category",
    required: true,
    codes: [
      {code: "police", label: "Police"},
      {code: "school", label: "Schools"},
    ],
  },
  {name: "risk", label: "Risk level", type: "category", codes: [{code: "high", label: "High"}]},
  {name: "age", label: "Age (years)", type: "integer", range: [0, 17], special_codes: [{code: "unborn", label: "Unborn child"}]},
  {
    name: "worries",
    label: "Concerns",
    type: "multi-category",
    required: true,
    codes: [
      {code: "neglect", label: "Neglect"},
      {code: "da", label: "Domestic abuse"},
    ],
  },
  {
    name: "plan",
    label: "Ever on a plan",
    type: "boolean",
    codes: [
      {code: "yes", label: "Yes"},
      {code: "no", label: "No"},
    ],
  },
  {name: "earlier", label: "Records about the same child in the 365 days before", type: "integer", range: null, history: true},
];
const original = {_id: "C1", source: "police", risk: null, age: 9, age_code: null, worries: "da", plan: false, earlier: 2};

const form = () => WhatIfForm(variables, {original});
const field = (el: Element, name: string) => el.querySelector(`[data-variable=${name}]`)!;
const note = (el: Element, name: string) => field(el, name).querySelector(".whatif-note")!.textContent;
const fire = (control: Element) => control.dispatchEvent(new Event("input", {bubbles: true}));

describe("WhatIfForm", () => {
  it("renders a labelled control per input, pre-filled with the contact (snapshot)", async () => {
    const el = form();
    expect(el.value).toEqual(original);
    const select = field(el, "source").querySelector("select")!;
    expect([...select.options].map((o) => o.textContent)).toEqual(["Police", "Schools"]); // required: no "not recorded"
    expect([...field(el, "risk").querySelectorAll("option")].map((o) => o.textContent)).toEqual(["High", "not recorded"]);
    expect(field(el, "risk").querySelector("select")!.value).toBe("");
    const age = field(el, "age").querySelector<HTMLInputElement>("input[type=number]")!;
    expect([age.value, age.min, age.max]).toEqual(["9", "0", "17"]);
    expect([...field(el, "worries").querySelectorAll<HTMLInputElement>("input:checked")].map((b) => b.value)).toEqual(["da"]);
    // Every control has a label: its own (for=) or the checkbox's.
    for (const c of el.querySelectorAll("select, input")) expect(el.querySelector(`label[for="${c.id}"]`), c.outerHTML).not.toBeNull();
    expect(el.textContent).not.toMatch(/\bpolice\b|\bneglect\b/);
    expect(el.querySelector(".whatif-status")!.textContent).toBe("as recorded");
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/whatif-form.html");
  });

  it("its value follows each kind of control, and an edited field says what it was", () => {
    const el = form();
    let events = 0;
    el.addEventListener("input", () => events++);
    const select = field(el, "source").querySelector("select")!;
    select.value = "school";
    fire(select);
    expect(events).toBe(1);
    expect(el.value.source).toBe("school");
    expect(note(el, "source")).toBe("changed from Police");
    const boxes = field(el, "worries").querySelectorAll<HTMLInputElement>("input");
    boxes[0].checked = true;
    fire(boxes[0]);
    expect(el.value.worries).toBe("neglect;da");
    expect(note(el, "worries")).toBe("changed from Domestic abuse");
    const plan = field(el, "plan").querySelector("select")!;
    plan.value = "yes";
    fire(plan);
    expect(el.value.plan).toBe(true);
    plan.value = "";
    fire(plan);
    expect(el.value.plan).toBeNull();
    expect(note(el, "plan")).toBe("changed from No");
    const age = field(el, "age").querySelector<HTMLInputElement>("input[type=number]")!;
    age.value = "30";
    fire(age);
    expect(el.value.age).toBe(30);
    expect(note(el, "age")).toBe("changed from 9; outside the dictionary's range 0–17");
    const unborn = field(el, "age").querySelector<HTMLInputElement>("input[type=checkbox]")!;
    unborn.checked = true;
    fire(unborn);
    expect([el.value.age, el.value.age_code]).toEqual([null, "unborn"]);
    expect(age.disabled).toBe(true);
    expect(note(el, "age")).toBe("changed from 9");
    expect(el.querySelector(".whatif-status")!.textContent).toBe("4 values changed");
    expect(el.value._id).toBe("C1");
  });

  it("resets to the contact as recorded, with an input event", () => {
    const el = form();
    const reset = el.querySelector("button")!;
    expect(reset.disabled).toBe(true);
    const history = field(el, "earlier").querySelector<HTMLInputElement>("input")!;
    history.value = "";
    fire(history);
    expect(el.value.earlier).toBeNull();
    expect(note(el, "earlier")).toBe("changed from 2");
    expect(reset.disabled).toBe(false);
    let events = 0;
    el.addEventListener("input", () => events++);
    reset.click();
    expect(events).toBe(1);
    expect(el.value).toEqual(original);
    expect(note(el, "earlier")).toBe("");
    expect(reset.disabled).toBe(true);
  });
});
