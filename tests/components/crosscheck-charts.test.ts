// @vitest-environment jsdom
// Snapshots of the Cross-check page (src/crosscheck.md): staff sharing rate beside the
// model's mean score per group, RAG ratings by band, and the reviewer's form with its
// export link. Fixed width; rows shaped like the crosscheck loader's `byBand`,
// `bySource` and `ragByBand`; a ReviewDraft over an in-memory store with a fixed date.
import {describe, expect, it} from "vitest";
import {resolveObjectURL} from "node:buffer";
import {CrosscheckChart, RagByBand} from "../../src/components/crosscheck-chart.ts";
import {DraftVerdicts, ExportLink, ReviewPanel} from "../../src/components/review-panel.ts";
import {ReviewDraft, type StorageLike} from "../../src/lib/review-draft.ts";
import {ROLES, VERDICTS} from "../../src/lib/reviews.ts";
import {wilson} from "../../src/lib/intervals.ts";
import {clean, marks, swatches, texts, ticks} from "./snapshot.ts";

const group = (key: string, k: number, n: number, meanScore: number) => ({key, ...wilson(k, n), meanScore, gap: k / n - meanScore});
const byBand = [group("1", 20, 400, 0.04), group("2", 60, 300, 0.12), group("3", 90, 200, 0.3), group("4", 1100, 1200, 0.8)].map((d) => ({
  ...d,
  band: Number(d.key),
}));
const bySource = [group("school", 30, 200, 0.2), group("police", 150, 300, 0.45), group("health", 40, 100, 0.3)];
const ragByBand = [
  {band: 1, rag: "green", n: 15},
  {band: 1, rag: "missing", n: 5},
  {band: 2, rag: "green", n: 30},
  {band: 2, rag: "amber", n: 25},
  {band: 2, rag: "red", n: 5},
  {band: 3, rag: "amber", n: 50},
  {band: 3, rag: "red", n: 40},
];

function memoryStorage(): StorageLike {
  const m = new Map<string, string>();
  return {getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k)};
}

describe("cross-check charts (SVG snapshots at a fixed width)", () => {
  it("crosscheck chart: per band a dot with its interval, the model's tick, and n", async () => {
    const el = CrosscheckChart(byBand, {width: 600, y: "band"});
    expect(ticks(el, "y")).toEqual(["1", "2", "3", "4"]);
    expect(marks(el, "dot", "circle").length).toBe(4);
    expect(marks(el, "tick", "line").length).toBe(4);
    expect(marks(el, "rule", "line").length).toBe(4);
    expect(texts(el)).toEqual(["n = 400", "n = 300", "n = 200", "n = 1,200"]);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/crosscheck.svg.html");
  });

  it("crosscheck chart sorted: groups ordered by staff rate, highest first", () => {
    const el = CrosscheckChart(bySource, {width: 600, sort: true});
    expect(ticks(el, "y")).toEqual(["police", "health", "school"]);
  });

  it("RAG by band: one stacked bar per band and rating, the four ratings in the legend", async () => {
    const el = RagByBand(ragByBand, {width: 600});
    expect(marks(el, "bar", "rect").length).toBe(ragByBand.length);
    expect(swatches(el)).toEqual(["green", "amber", "red", "missing"]);
    expect(ticks(el, "x")).toEqual(["1", "2", "3"]);
    await expect(clean(el)).toMatchFileSnapshot("__snapshots__/rag-by-band.svg.html");
  });
});

describe("review panel (HTML snapshot)", () => {
  it("offers every role, verdict and reason, none pre-selected, and records a verdict once both are chosen", async () => {
    const draft = new ReviewDraft(memoryStorage(), () => "2024-05-01");
    const form = ReviewPanel(
      {record_id: "C-0042"},
      {draft, variables: ["referral_source", {name: "primary_concern", label: "Primary concern"}]},
    );
    expect(form.querySelectorAll("input[name=role]").length).toBe(ROLES.length);
    expect(form.querySelectorAll("input[name=verdict]").length).toBe(Object.keys(VERDICTS).length);
    expect(form.querySelectorAll("input[name=verdict]:checked").length).toBe(0);
    expect(form.querySelector<HTMLSelectElement>("select[name=reason]")!.value).toBe("");
    expect([...form.querySelectorAll("select[name=variable] option")].map((o) => [o.getAttribute("value"), o.textContent])).toEqual([
      ["", "(no variable)"],
      ["referral_source", "referral source"],
      ["primary_concern", "Primary concern"],
    ]);
    const button = form.querySelector("button")!;
    expect(button.textContent).toBe("Record verdict on C-0042");
    expect(button.disabled).toBe(true);
    expect(form.querySelector(".review-hint")!.textContent).toBe("Choose a verdict and a reason to record this contact.");
    await expect(clean(form)).toMatchFileSnapshot("__snapshots__/review-panel.html");

    form.querySelector<HTMLInputElement>("input[name=verdict][value=model_right]")!.checked = true;
    form.dispatchEvent(new Event("change", {bubbles: true}));
    expect(button.disabled).toBe(true); // a reason is still to choose
    form.querySelector<HTMLSelectElement>("select[name=reason]")!.value = "other";
    form.dispatchEvent(new Event("change", {bubbles: true}));
    expect(button.disabled).toBe(false);
    expect(form.querySelector(".review-hint")!.textContent).toBe("");

    // a note is screened as it is typed: the warning names the kind, never the text, and blocks recording
    const note = form.querySelector<HTMLTextAreaElement>("textarea[name=note]")!;
    const warning = form.querySelector("[role=alert]")!;
    note.value = "mum on 07700 900123";
    note.dispatchEvent(new Event("input", {bubbles: true}));
    expect(warning.textContent).toBe("The note holds what looks like a phone number: remove it — notes must not identify anyone");
    expect(note.getAttribute("aria-invalid")).toBe("true");
    expect(button.disabled).toBe(true);
    form.dispatchEvent(new Event("submit", {cancelable: true})); // a forced submit is refused too
    expect(draft.state.verdicts).toEqual([]);
    expect(form.textContent).not.toContain("07700");
    note.value = "staff knew of a recent police contact not in the extract";
    note.dispatchEvent(new Event("input", {bubbles: true}));
    expect(warning.textContent).toBe("");
    expect(button.disabled).toBe(false);

    // recording without roles is refused with the reason; with a role it lands in the draft
    form.dispatchEvent(new Event("submit", {cancelable: true}));
    expect(form.querySelector("[role=status]")!.textContent).toBe(
      "Not recorded: say which roles are in the session before recording a verdict",
    );
    const analyst = form.querySelector<HTMLInputElement>("input[name=role][value=analyst]")!;
    analyst.checked = true;
    analyst.dispatchEvent(new Event("change", {bubbles: true}));
    form.dispatchEvent(new Event("submit", {cancelable: true}));
    expect(form.querySelector("[role=status]")!.textContent).toBe(
      "Recorded: C-0042 — the model was right. Kept in this browser until exported.",
    );
    expect(draft.state.verdicts.map((v) => [v.record_id, v.verdict, v.reason, v.session_date, v.reviewer_roles.join(";"), v.note])).toEqual(
      [["C-0042", "model_right", "other", "2024-05-01", "analyst", "staff knew of a recent police contact not in the extract"]],
    );
  });

  it("without a contact, the record button is disabled and says what to do", () => {
    const form = ReviewPanel(null, {draft: new ReviewDraft(memoryStorage(), () => "2024-05-01"), variables: []});
    const button = form.querySelector("button")!;
    expect(button.disabled).toBe(true);
    expect(button.textContent).toBe("Pick a contact in the queue first");
  });

  it("export link: downloads the draft as one session file", async () => {
    const draft = new ReviewDraft(memoryStorage(), () => "2024-05-01");
    expect(ExportLink(draft, "test01").textContent).toBe("No verdicts recorded yet.");
    draft.setSession("2024-05-01", ["analyst", "social_worker"]);
    draft.record({record_id: "C-0042", verdict: "decision_right", reason: "local_threshold_practice"}, "2024-05-01T10:00:00.000Z");
    const a = ExportLink(draft, "test01");
    expect(a.tagName).toBe("A");
    expect(a.getAttribute("download")).toBe("2024-05-01-test01.csv");
    const csv = await resolveObjectURL(a.getAttribute("href")!)!.text();
    expect(csv).toBe(
      "session_date,reviewer_roles,record_id,verdict,reason,variable,note,recorded_at\n2024-05-01,analyst;social_worker,C-0042,decision_right,local_threshold_practice,,,2024-05-01T10:00:00.000Z\n",
    );
    // the object URL is random: named, not compared
    await expect(clean(a).replace(/blob:nodedata:[0-9a-f-]+/, "blob:…")).toMatchFileSnapshot("__snapshots__/export-link.html");
  });

  it("draft verdicts: labels not codes, and a delete or a clear shows at once, export link included", () => {
    const draft = new ReviewDraft(memoryStorage(), () => "2024-05-01");
    const card = DraftVerdicts(draft, {recordLabel: "Contact", variableLabel: (n) => `${n} (label)`, suffix: "test01"});
    expect(card.querySelector("h2")!.textContent).toBe("This session's verdicts (kept in this browser until exported): 0");
    expect(card.textContent).toContain("No verdicts recorded yet.");
    draft.setSession("2024-05-01", ["analyst"]);
    draft.record({record_id: "C-1", verdict: "decision_right", reason: "local_threshold_practice"});
    draft.record({
      record_id: "C-2",
      verdict: "terminology_problem",
      reason: "code_meaning_unclear",
      variable: "primary_concern",
      note: "seen",
    });
    expect(card.querySelector("h2")!.textContent).toBe("This session's verdicts (kept in this browser until exported): 2");
    expect([...card.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent))).toEqual([
      ["C-1", VERDICTS.decision_right, "local threshold practice", "", "", "Delete"],
      ["C-2", VERDICTS.terminology_problem, "the meaning of a code is unclear or has drifted", "primary_concern (label)", "seen", "Delete"],
    ]);
    expect(card.querySelector("a")!.textContent).toBe("Export 2 verdicts as 2024-05-01-test01.csv");

    card.querySelector<HTMLButtonElement>("button[aria-label='Delete the verdict on C-1']")!.click();
    expect(draft.state.verdicts.map((v) => v.record_id)).toEqual(["C-2"]);
    expect(card.querySelector("a")!.textContent).toBe("Export 1 verdict as 2024-05-01-test01.csv");
    expect(card.textContent).not.toContain("C-1");

    // clearing asks first; "Keep them" keeps them
    const clear = () => card.querySelector<HTMLButtonElement>(".review-clear")!;
    const byText = (t: string) => [...card.querySelectorAll("button")].find((b) => b.textContent === t)!;
    clear().click();
    expect(clear().hidden).toBe(true);
    byText("Keep them").click();
    expect(draft.state.verdicts).toHaveLength(1);
    clear().click();
    byText("Yes, clear the draft").click();
    expect(draft.state.verdicts).toEqual([]);
    expect(card.querySelector("h2")!.textContent).toBe("This session's verdicts (kept in this browser until exported): 0");
    expect(card.textContent).toContain("No verdicts recorded yet.");
    expect(clear().disabled).toBe(true);
  });
});
