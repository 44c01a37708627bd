import type {Row, Value} from "../lib/features.js";
import {codeList, valueProblem, valueText, type FormVariable} from "../lib/whatif.js";

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: (Node | string)[]) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

/** One field: its element, how it reads its value into a row, and how it shows a row's value. */
interface Field {
  element: HTMLElement;
  note: HTMLElement;
  read(row: Row): void;
  write(row: Row): void;
}

const NOT_RECORDED = "not recorded";
const FIELD_STYLE = "display: flex; flex-direction: column; gap: 0.2rem; font: 13px/1.4 var(--sans-serif);";
const NOTE_STYLE = "color: #8a4b00; min-height: 1.2em;";

let forms = 0;

/** A select of labelled options; "" stands for not recorded. */
function selectOf(id: string, options: [string, string][]) {
  return el("select", {id}, ...options.map(([value, label]) => el("option", {value}, label))) as HTMLSelectElement;
}

function categoryField(v: FormVariable, id: string, original: Row): Omit<Field, "element" | "note"> & {control: HTMLElement} {
  const missingAllowed = !v.required || original[v.name] === null || original[v.name] === undefined;
  if (v.type === "boolean") {
    const [yes, no] = [v.codes?.[0]?.label ?? "yes", v.codes?.[1]?.label ?? "no"];
    const control = selectOf(id, [["yes", yes], ["no", no], ...(missingAllowed ? [["", NOT_RECORDED] as [string, string]] : [])]);
    return {
      control,
      read: (row) => void (row[v.name] = control.value === "" ? null : control.value === "yes"),
      write: (row) => {
        const value = row[v.name];
        control.value =
          value === null || value === undefined || value === "" ? "" : value === true || value === "yes" || value === 1 ? "yes" : "no";
      },
    };
  }
  const control = selectOf(id, [
    ...(v.codes ?? []).map((c): [string, string] => [c.code, c.label]),
    ...(missingAllowed ? [["", NOT_RECORDED] as [string, string]] : []),
  ]);
  return {
    control,
    read: (row) => void (row[v.name] = control.value === "" ? null : control.value),
    write: (row) => void (control.value = row[v.name] === null || row[v.name] === undefined ? "" : String(row[v.name])),
  };
}

function numberField(v: FormVariable, id: string): Omit<Field, "element" | "note"> & {control: HTMLElement} {
  const input = el("input", {id, type: "number", step: v.type === "integer" ? "1" : "any"}) as HTMLInputElement;
  if (v.range) [input.min, input.max] = v.range.map(String);
  else if (v.history) input.min = "0";
  const specials = (v.special_codes ?? []).map((c) => {
    const box = el("input", {type: "checkbox", value: c.code, id: `${id}-${c.code}`}) as HTMLInputElement;
    return {box, label: el("label", {htmlFor: box.id, style: "margin-left: 0.6em"}, box, ` ${c.label}`)};
  });
  // One special code at a time; while one is ticked the number does not apply.
  for (const s of specials)
    s.box.addEventListener("input", () => {
      for (const t of specials) if (t !== s) t.box.checked = false;
      input.disabled = specials.some((t) => t.box.checked);
    });
  const control = el("div", {style: "display: flex; align-items: center"}, input, ...specials.map((s) => s.label));
  return {
    control,
    read: (row) => {
      const special = specials.find((s) => s.box.checked);
      if (specials.length) row[`${v.name}_code`] = special ? special.box.value : null;
      row[v.name] = special || input.value.trim() === "" || !Number.isFinite(input.valueAsNumber) ? null : input.valueAsNumber;
    },
    write: (row) => {
      const special = row[`${v.name}_code`];
      for (const s of specials) s.box.checked = s.box.value === special;
      input.disabled = specials.some((s) => s.box.checked);
      input.value = typeof row[v.name] === "number" ? String(row[v.name]) : "";
    },
  };
}

function multiField(v: FormVariable, id: string): Field {
  const boxes = (v.codes ?? []).map((c) => el("input", {type: "checkbox", value: c.code, id: `${id}-${c.code}`}) as HTMLInputElement);
  const note = el("span", {className: "whatif-note", id: `${id}-note`, style: NOTE_STYLE});
  const element = el(
    "fieldset",
    {style: `${FIELD_STYLE} border: 1px solid #ccc; padding: 0.3rem 0.6rem; margin: 0`},
    el("legend", {}, v.label),
    el(
      "div",
      {style: "display: flex; flex-wrap: wrap; gap: 0.1rem 0.8rem"},
      ...boxes.map((b, k) => el("label", {htmlFor: b.id}, b, ` ${v.codes![k].label}`)),
    ),
    note,
  );
  element.setAttribute("aria-describedby", note.id);
  return {
    element,
    note,
    read: (row) =>
      void (row[v.name] = boxes
        .filter((b) => b.checked)
        .map((b) => b.value)
        .join(";") as Value),
    write: (row) => {
      const on = new Set(codeList(row[v.name]));
      for (const b of boxes) b.checked = on.has(b.value);
    },
  };
}

/**
 * The what-if form: one field per model input, built from the dictionary — a category as a
 * select of its labels, a yes/no input as a select, a number as a number box with the
 * dictionary's range (and a box per special code, e.g. "Unborn child"), a multi-category as
 * checkboxes; "not recorded" where the dictionary allows it. Pre-filled with `original`; each
 * edited field says "changed from …" (and what the dictionary would say of the new value); the
 * reset button restores the contact as recorded. The element's value is the edited row (the
 * original's other keys kept), and an input event fires on every change.
 * @example const edited = view(WhatIfForm(probe.variables, {original: picked.row}))
 */
export function WhatIfForm(variables: FormVariable[], {original}: {original: Row}) {
  const prefix = `whatif-${++forms}`;
  const fields = variables.map((v, i): Field & {v: FormVariable} => {
    const id = `${prefix}-${i}`;
    if (v.type === "multi-category") return {v, ...multiField(v, id)};
    const {control, read, write} = v.type === "integer" || v.type === "number" ? numberField(v, id) : categoryField(v, id, original);
    const note = el("span", {className: "whatif-note", id: `${id}-note`, style: NOTE_STYLE});
    for (const c of [control, ...control.querySelectorAll("input, select")])
      if (c.matches("input, select")) c.setAttribute("aria-describedby", note.id);
    const label = el("label", {htmlFor: id}, v.label);
    return {v, element: el("div", {style: FIELD_STYLE}, label, control, note), note, read, write};
  });
  for (const f of fields) f.element.dataset.variable = f.v.name;
  const reset = el("button", {type: "button"}, "Reset to the contact as recorded") as HTMLButtonElement;
  const status = el("p", {className: "whatif-status", style: "margin: 0.4rem 0"});
  status.setAttribute("role", "status");
  const form = el(
    "form",
    {className: "whatif-form"},
    el(
      "div",
      {style: "display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 0.6rem 1.2rem"},
      ...fields.map((f) => f.element),
    ),
    el("div", {style: "margin-top: 0.6rem; display: flex; gap: 1rem; align-items: center"}, reset, status),
  ) as HTMLFormElement & {value: Row};
  const read = (): Row => {
    const row: Row = {...original};
    for (const f of fields) f.read(row);
    return row;
  };
  // Beside each field: what it was, when edited, and what the dictionary would say of the new value.
  const annotate = () => {
    const row = read();
    let edited = 0;
    for (const f of fields) {
      const was = valueText(f.v, original),
        now = valueText(f.v, row);
      const problem = valueProblem(f.v, row);
      if (was !== now) edited++;
      f.note.textContent = [was !== now ? `changed from ${was}` : "", problem ?? ""].filter(Boolean).join("; ");
    }
    status.textContent = edited ? `${edited} ${edited === 1 ? "value" : "values"} changed` : "as recorded";
    reset.disabled = edited === 0;
  };
  for (const f of fields) f.write(original);
  form.addEventListener("input", annotate);
  form.addEventListener("change", annotate);
  form.addEventListener("submit", (event) => event.preventDefault());
  reset.addEventListener("click", () => {
    for (const f of fields) f.write(original);
    annotate();
    form.dispatchEvent(new Event("input", {bubbles: true}));
  });
  Object.defineProperty(form, "value", {get: read, set: () => undefined});
  annotate();
  return form;
}
