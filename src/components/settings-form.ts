import {html} from "npm:htl";

/** An Observable Input: an element with a value. */
export type Field = HTMLElement & {value: unknown};

export interface SettingsFormOptions<T> {
  /** checks the fields' raw values (typed fields as their text); problems by field name, and the settings when there are none */
  check: (raw: Record<string, unknown>) => {problems: Partial<Record<string, string>>; settings?: T};
  /** the button's text */
  submit?: string;
}

let forms = 0;

/** Checkboxes and radios a row apart of at least 24 px, the target size WCAG 2.2 asks for (2.5.8). */
const FORM_STYLE = ".settings-form input[type=checkbox], .settings-form input[type=radio] { margin-block: 6px; }";

/** Under the field's input, in a red that reads at 7:1 on white. */
const MESSAGE_STYLE = "margin: 0.2rem 0 0.6rem 126.5px; max-width: 360px; color: #b00020; font: 13px/1.35 var(--sans-serif);";

/**
 * The raw value of a field: the text of its text or number box (so "abc", or a number
 * out of range that Inputs would refuse silently, is checked as typed), else its value.
 */
export function rawValue(field: Field): unknown {
  const box = field.querySelector<HTMLInputElement>("input[type=text], input[type=number], textarea");
  return box ? box.value : field.value;
}

/**
 * A form of Inputs whose value changes only when its button is pressed: the checked
 * settings at that moment (null before the first press), so a cell that reads it runs
 * on the button and never on a field's change. As the user types, each field's
 * problem is shown beside it (linked by aria-describedby) and the button is disabled
 * while any problem stands. The fields' own input events stay inside the form;
 * `Generators.input(field)` still follows one field, e.g. to describe the chosen target.
 * @example const run = view(SettingsForm({hidden: Inputs.text({label: "Hidden layers"})}, {check, submit: "Train"}))
 */
export function SettingsForm<T>(fields: Record<string, Field>, {check, submit = "Submit"}: SettingsFormOptions<T>) {
  const id = `settings-${++forms}`;
  const messages: Record<string, HTMLElement> = {};
  const rows = Object.entries(fields).map(([name, field]) => {
    const message =
      html`<p class="field-message" id=${`${id}-${name}`} data-message-for=${name} role="status" style=${MESSAGE_STYLE} hidden></p>` as HTMLElement;
    messages[name] = message;
    for (const control of field.querySelectorAll("input, select, textarea")) control.setAttribute("aria-describedby", message.id);
    return html`<div class="settings-field" data-field=${name}>${field}${message}</div>`;
  });
  const button = html`<button type="button">${submit}</button>` as HTMLButtonElement;
  const inner = html`<div class="settings-fields">${rows}</div>` as HTMLElement;
  const form =
    html`<div class="settings-form"><style>${FORM_STYLE}</style>${inner}<div class="settings-submit" style="margin: 0.6rem 0 0 126.5px">${button}</div></div>` as HTMLElement & {
      value: T | null;
    };
  let value: T | null = null;
  const update = () => {
    const raw = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, rawValue(field)]));
    const result = check(raw);
    for (const [name, message] of Object.entries(messages)) {
      const text = result.problems[name];
      message.textContent = text ?? "";
      message.hidden = !text;
      for (const control of fields[name].querySelectorAll("input, select, textarea"))
        if (text) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
    }
    button.disabled = !result.settings;
    return result;
  };
  // Seen on the way down, before an Input can stop an event it finds invalid; checked once every handler has run.
  for (const type of ["input", "change"]) inner.addEventListener(type, () => queueMicrotask(update), true);
  // A field's change is not the form's: only the button changes the form's value.
  inner.addEventListener("input", (event) => event.stopPropagation());
  button.addEventListener("click", (event) => {
    const {settings} = update();
    if (!settings) return;
    value = settings;
    form.dispatchEvent(new Event("input", {bubbles: true}));
    event.preventDefault();
  });
  Object.defineProperty(form, "value", {get: () => value, set: () => undefined});
  update();
  return form;
}
