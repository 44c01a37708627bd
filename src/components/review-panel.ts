import {REASONS, ROLES, VERDICTS, type Reason, type Verdict} from "../lib/reviews.js";
import {exportProblem, noteProblem, type DraftState, type ReviewDraft} from "../lib/review-draft.js";

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, unknown> = {}, ...children: (Node | string)[]) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};
/** Sets attributes (ARIA ones are attributes, not properties, in every browser). */
const attrs = <E extends Element>(e: E, values: Record<string, string>): E => {
  for (const [k, v] of Object.entries(values)) e.setAttribute(k, v);
  return e;
};
const select = (name: string, options: Record<string, string>, blank: string) =>
  el("select", {name}, el("option", {value: ""}, blank), ...Object.entries(options).map(([v, label]) => el("option", {value: v}, label)));
const words = (code: string) => code.replace(/_/g, " ");

/** A dictionary variable offered for a terminology problem: its name, or its name and label. */
export type VariableOption = string | {name: string; label?: string};
const variableEntry = (v: VariableOption): [string, string] => (typeof v === "string" ? [v, words(v)] : [v.name, v.label ?? words(v.name)]);

/**
 * The reviewer's form for one contact: session date and roles (no names), a verdict and a
 * reason (both unchosen until the reviewer picks one), the variable (for a terminology
 * problem) and a note. The note is screened as it is typed: a note that looks like it holds
 * an identifier gets a warning naming the kind (never the text) and cannot be recorded.
 * "Record" saves to the browser draft (kept across reloads); the element's value is the
 * draft, and an input event fires on every change.
 * @example display(ReviewPanel(contact, {draft, variables: [{name: "primary_concern", label: "Primary concern"}]}))
 */
export function ReviewPanel(contact: {record_id: string} | null, {draft, variables}: {draft: ReviewDraft; variables: VariableOption[]}) {
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
        ` ${words(r)}`,
      ),
    ),
  );
  const verdict = el(
    "fieldset",
    {},
    el("legend", {}, "Verdict"),
    ...Object.entries(VERDICTS).map(([v, label]) =>
      el("label", {style: "display: block"}, el("input", {type: "radio", name: "verdict", value: v, required: true}), ` ${label}`),
    ),
  );
  const reason = select("reason", REASONS, "(choose a reason)");
  reason.required = true;
  const variable = select("variable", Object.fromEntries(variables.map(variableEntry)), "(no variable)");
  const note = attrs(
    el("textarea", {
      name: "note",
      rows: 2,
      cols: 60,
      placeholder: "what the session saw — never a name, address, date of birth or phone number",
    }),
    {"aria-describedby": "review-note-warning", "aria-invalid": "false"},
  );
  const warning = attrs(el("p", {className: "review-note-warning", id: "review-note-warning"}), {role: "alert", "aria-live": "polite"});
  const hint = el("p", {className: "review-hint", id: "review-hint"});
  const message = el("p", {className: "review-message", role: "status"});
  const record = attrs(
    el(
      "button",
      {type: "submit", disabled: true},
      contact ? `Record verdict on ${contact.record_id}` : "Pick a contact in the queue first",
    ),
    {"aria-describedby": "review-hint review-note-warning"},
  );
  form.append(
    el("div", {}, el("label", {}, "Session date ", date)),
    roles,
    verdict,
    el("label", {style: "display: block"}, "Reason ", reason),
    el("label", {style: "display: block"}, "Variable it names ", variable),
    el("label", {style: "display: block"}, "Note ", note),
    warning,
    hint,
    record,
    message,
  );
  const chosenVerdict = () => (form.querySelector<HTMLInputElement>("input[name=verdict]:checked")?.value ?? "") as Verdict | "";
  // Screens the note and says why the button is disabled; runs on every input and change.
  const check = () => {
    const problem = noteProblem(note.value);
    if (warning.textContent !== (problem ?? "")) warning.textContent = problem ?? "";
    note.setAttribute("aria-invalid", String(problem !== null));
    const chosen = chosenVerdict() !== "" && reason.value !== "";
    record.disabled = !contact || !chosen || problem !== null;
    hint.textContent = contact && !chosen ? "Choose a verdict and a reason to record this contact." : "";
  };
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
  form.addEventListener("input", check);
  form.addEventListener("change", check);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check();
    if (!contact) return;
    try {
      // record() screens the note again and refuses an unchosen verdict or reason
      draft.record({
        record_id: contact.record_id,
        verdict: chosenVerdict(),
        reason: reason.value as Reason | "",
        variable: variable.value,
        note: note.value,
      });
      message.textContent = `Recorded: ${contact.record_id} — ${VERDICTS[chosenVerdict() as Verdict]}. Kept in this browser until exported.`;
      emit();
    } catch (e) {
      message.textContent = `Not recorded: ${(e as Error).message}`;
      if (noteProblem(note.value)) note.focus();
    }
  });
  check();
  (form as unknown as {value: unknown}).value = state;
  return form;
}

/**
 * A link that downloads the draft as one session file, to be saved into data/reviews/; a
 * sentence instead when there is nothing to export or a note would make the build refuse it.
 * @example ExportLink(draft)
 */
export function ExportLink(draft: ReviewDraft, suffix = Math.random().toString(36).slice(2, 8), model?: string) {
  const s = draft.state;
  const n = s.verdicts.length;
  if (!n) return el("span", {}, "No verdicts recorded yet.");
  const problem = exportProblem(s);
  if (problem) return el("span", {className: "warning"}, problem);
  const {name, text} = draft.exportFile(suffix, model);
  return el(
    "a",
    {href: URL.createObjectURL(new Blob([text], {type: "text/csv"})), download: name},
    `Export ${n} verdict${n === 1 ? "" : "s"} as ${name}`,
  );
}

/**
 * This session's verdicts as they stand in the draft: a count, a table of verdicts (labels,
 * not codes) each with a Delete button, the export link (its file named by date and model),
 * "Undo last change", and "Clear draft" with a confirm step. It follows the draft (`draft.subscribe`), so a verdict recorded, deleted or cleared
 * shows at once, export link included.
 * @example display(DraftVerdicts(draft, {recordLabel: "Contact", invalidation}))
 */
export function DraftVerdicts(
  draft: ReviewDraft,
  {
    recordLabel = "record",
    variableLabel = words,
    suffix = Math.random().toString(36).slice(2, 8),
    model,
    invalidation,
  }: {
    recordLabel?: string;
    variableLabel?: (name: string) => string;
    suffix?: string;
    /** the registry id of the model the session reviews, named in the exported file's name */
    model?: string;
    invalidation?: Promise<unknown>;
  } = {},
) {
  const root = el("div", {className: "review-draft"});
  let href = "";
  // Where focus goes after the next change: the row that took a deleted row's place, or the heading.
  let pending: number | "heading" | undefined;
  const render = (s: DraftState, focus?: number | "heading") => {
    if (href) URL.revokeObjectURL(href);
    const heading = el("h2", {tabIndex: -1}, `This session's verdicts (kept in this browser until exported): ${s.verdicts.length}`);
    const deletes = s.verdicts.map((v, i) => {
      const b = attrs(el("button", {type: "button", className: "review-delete"}, "Delete"), {
        "aria-label": `Delete the verdict on ${v.record_id}`,
      });
      b.addEventListener("click", () => {
        pending = i;
        draft.remove(v.record_id);
      });
      return b;
    });
    const table = s.verdicts.length
      ? el(
          "table",
          {},
          el("thead", {}, el("tr", {}, ...[recordLabel, "verdict", "reason", "variable", "note", ""].map((h) => el("th", {}, h)))),
          el(
            "tbody",
            {},
            ...s.verdicts.map((v, i) =>
              el(
                "tr",
                {},
                el("td", {}, v.record_id),
                el("td", {}, VERDICTS[v.verdict] ?? words(v.verdict)),
                el("td", {}, REASONS[v.reason] ?? words(v.reason)),
                el("td", {}, v.variable ? variableLabel(v.variable) : ""),
                el("td", {}, noteProblem(v.note) ? "(hidden: it holds what looks like an identifier)" : v.note),
                el("td", {}, deletes[i]),
              ),
            ),
          ),
        )
      : "";
    const link = ExportLink(draft, suffix, model);
    href = link instanceof HTMLAnchorElement ? link.href : "";
    const clear = el("button", {type: "button", className: "review-clear", disabled: !s.verdicts.length}, "Clear draft…");
    const confirm = attrs(el("span", {hidden: true}), {role: "group", "aria-label": "Confirm clearing the draft"});
    const yes = el("button", {type: "button"}, "Yes, clear the draft");
    const no = el("button", {type: "button"}, "Keep them");
    confirm.append(
      `Delete all ${s.verdicts.length} verdict${s.verdicts.length === 1 ? "" : "s"} from this browser? Export them first if they are needed. `,
      yes,
      " ",
      no,
    );
    clear.addEventListener("click", () => {
      clear.hidden = true;
      confirm.hidden = false;
      no.focus();
    });
    no.addEventListener("click", () => {
      confirm.hidden = true;
      clear.hidden = false;
      clear.focus();
    });
    yes.addEventListener("click", () => {
      pending = "heading";
      draft.clear();
    });
    // One step back: the last verdict recorded, deleted or the draft cleared.
    const undo = el("button", {type: "button", className: "review-undo", disabled: !draft.canUndo}, "Undo last change");
    undo.addEventListener("click", () => {
      pending = "heading";
      draft.undo();
    });
    root.replaceChildren(
      heading,
      table,
      el(
        "p",
        {className: "review-export"},
        link,
        " — save the file into ",
        el("code", {}, "data/reviews/"),
        " and commit it; then rebuild.",
      ),
      el("p", {}, undo, " ", clear, " ", confirm),
    );
    // Keyboard users keep their place: after a delete, the next Delete button (or the heading).
    if (focus === "heading") heading.focus();
    else if (focus !== undefined) (deletes[focus] ?? deletes.at(-1) ?? heading).focus();
  };
  render(draft.state);
  const stop = draft.subscribe((s) => {
    const focus = pending;
    pending = undefined;
    render(s, focus);
  });
  void invalidation?.then(() => {
    stop();
    if (href) URL.revokeObjectURL(href);
  });
  return root;
}
