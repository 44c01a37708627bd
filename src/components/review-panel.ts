import {REASONS, ROLES, VERDICTS} from "../lib/reviews.js";
import type {ReviewDraft} from "../lib/review-draft.js";

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: (Node | string)[]) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};
const select = (name: string, options: Record<string, string>, blank?: string) =>
  el(
    "select",
    {name},
    ...(blank === undefined ? [] : [el("option", {value: ""}, blank)]),
    ...Object.entries(options).map(([v, label]) => el("option", {value: v}, `${v.replace(/_/g, " ")} — ${label}`)),
  );

/**
 * The reviewer's form for one contact: session date and roles (no names), a verdict, a
 * reason code, the variable (for a terminology problem) and a note. "Record" saves to
 * the browser draft (kept across reloads); the element's value is the draft, and an
 * input event fires on every change so the page can show it.
 * @example view(ReviewPanel(contact, {draft, variables}))
 */
export function ReviewPanel(contact: {record_id: string} | null, {draft, variables}: {draft: ReviewDraft; variables: string[]}) {
  const state = draft.state;
  const form = el("form", {className: "review-panel"});
  const date = el("input", {type: "date", name: "session_date", value: state.session_date});
  const roles = el(
    "fieldset",
    {},
    el("legend", {}, "Roles in this session (no names)"),
    ...ROLES.map((r) =>
      el(
        "label",
        {style: "margin-right: 1em"},
        el("input", {type: "checkbox", name: "role", value: r, checked: state.roles.includes(r)}),
        ` ${r.replace(/_/g, " ")}`,
      ),
    ),
  );
  const verdict = el(
    "fieldset",
    {},
    el("legend", {}, "Verdict"),
    ...Object.entries(VERDICTS).map(([v, label], i) =>
      el("label", {style: "display: block"}, el("input", {type: "radio", name: "verdict", value: v, checked: i === 0}), ` ${label}`),
    ),
  );
  const reason = select("reason", REASONS);
  const variable = select("variable", Object.fromEntries(variables.map((v) => [v, "dictionary variable"])), "(no variable)");
  const note = el("textarea", {
    name: "note",
    rows: 2,
    cols: 60,
    placeholder: "what the session saw — never a name, address, date of birth or phone number",
  });
  const message = el("p", {className: "review-message", role: "status"});
  const record = el(
    "button",
    {type: "submit", disabled: !contact},
    contact ? `Record verdict on ${contact.record_id}` : "Pick a contact in the queue first",
  );
  form.append(
    el("div", {}, el("label", {}, "Session date ", date)),
    roles,
    verdict,
    el("label", {style: "display: block"}, "Reason ", reason),
    el("label", {style: "display: block"}, "Variable it names ", variable),
    el("label", {style: "display: block"}, "Note ", note),
    record,
    message,
  );
  const emit = () => {
    (form as unknown as {value: unknown}).value = draft.state;
    form.dispatchEvent(new Event("input", {bubbles: true}));
  };
  const saveSession = () => {
    try {
      draft.setSession(
        date.value,
        Array.from(form.querySelectorAll<HTMLInputElement>("input[name=role]:checked"), (i) => i.value),
      );
      emit();
    } catch (e) {
      message.textContent = (e as Error).message;
    }
  };
  date.addEventListener("change", saveSession);
  roles.addEventListener("change", saveSession);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!contact) return;
    try {
      const v = form.querySelector<HTMLInputElement>("input[name=verdict]:checked")!.value as keyof typeof VERDICTS;
      draft.record({
        record_id: contact.record_id,
        verdict: v,
        reason: reason.value as keyof typeof REASONS,
        variable: variable.value,
        note: note.value,
      });
      message.textContent = `Recorded: ${contact.record_id} — ${v.replace(/_/g, " ")}. Kept in this browser until exported.`;
      emit();
    } catch (e) {
      message.textContent = (e as Error).message;
    }
  });
  (form as unknown as {value: unknown}).value = state;
  return form;
}

/**
 * A link that downloads the draft as one session file, to be saved into data/reviews/.
 * @example ExportLink(draft)
 */
export function ExportLink(draft: ReviewDraft, suffix = Math.random().toString(36).slice(2, 8)) {
  const {name, text} = draft.exportFile(suffix);
  const n = draft.state.verdicts.length;
  const a = el(
    "a",
    {href: URL.createObjectURL(new Blob([text], {type: "text/csv"})), download: name},
    `Export ${n} verdict${n === 1 ? "" : "s"} as ${name}`,
  );
  return n ? a : el("span", {}, "No verdicts recorded yet.");
}
