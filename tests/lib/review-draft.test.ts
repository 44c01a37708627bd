import {describe, expect, it} from "vitest";
import {
  cleared,
  DRAFT_KEY,
  exportProblem,
  noteProblem,
  ReviewDraft,
  withoutVerdict,
  withVerdict,
  type DraftState,
  type StorageLike,
} from "../../src/lib/review-draft.ts";
import {parseReviews} from "../../src/lib/reviews.ts";

class MemoryStorage implements StorageLike {
  map = new Map<string, string>();
  getItem(k: string) {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.map.set(k, v);
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
}

describe("review draft in browser storage", () => {
  it("survives a reload (a new ReviewDraft on the same storage), replaces a contact's verdict, exports a valid session file", () => {
    const storage = new MemoryStorage();
    const a = new ReviewDraft(storage, () => "2026-11-26");
    expect(() => a.record({record_id: "C1", verdict: "model_right", reason: "other"})).toThrow(/roles/);
    a.setSession("2026-11-26", ["analyst", "social_worker"]);
    a.record({record_id: "C1", verdict: "model_right", reason: "other"}, "t1");
    a.record({record_id: "C2", verdict: "data_error", reason: "recording_error", note: "DOB typed as contact date"}, "t2");
    const b = new ReviewDraft(storage); // the page reloaded
    expect(b.state.verdicts.map((v) => v.record_id)).toEqual(["C1", "C2"]);
    b.record({record_id: "C1", verdict: "both_reasonable", reason: "local_threshold_practice"}, "t3");
    expect(b.state.verdicts.map((v) => [v.record_id, v.verdict])).toEqual([
      ["C2", "data_error"],
      ["C1", "both_reasonable"],
    ]);
    const file = b.exportFile("s1");
    expect(file.name).toBe("2026-11-26-s1.csv");
    expect(parseReviews(file.text, file.name).map((r) => r.verdict)).toEqual(["data_error", "both_reasonable"]);
    b.clear();
    expect(JSON.parse(storage.getItem(DRAFT_KEY)!)).toEqual({
      session_date: "2026-11-26",
      roles: ["analyst", "social_worker"],
      verdicts: [],
    });
  });

  it("keeps a damaged draft aside instead of dropping it silently", () => {
    const storage = new MemoryStorage();
    storage.setItem(DRAFT_KEY, "{not json");
    expect(new ReviewDraft(storage).state.verdicts).toEqual([]);
    expect(storage.getItem(`${DRAFT_KEY}:damaged`)).toBe("{not json");
  });
});

// The notes the Cross-check page must refuse, each kind alone and all together (issue 19, item 5).
const IDENTIFIER_NOTES: [string, string][] = [
  ["a person's name", "olivia smith"],
  ["a person's name", "JACK TAYLOR"],
  ["an e-mail address", "jo@example.org"],
  ["a phone number", "07700 900123"],
  ["an NHS number", "943 476 5919"],
  ["a postcode", "IP1 2AB"],
  ["a date of birth", "DOB 01/02/2015"],
  ["a national insurance number", "AB 12 34 56 C"],
  ["a street address", "12 High St"],
];
const ALL = "Mum Jane Smith jane.smith@example.com rang on 07700 900123, 12 High St IP1 2AB, DOB 01/02/2015";
const CLEAN = "staff knew of a recent police contact not in the extract";
const session = (): DraftState => ({session_date: "2026-11-26", roles: ["analyst"], verdicts: []});

describe("notes: screened for identifiers, named by kind, never echoed", () => {
  it.each(IDENTIFIER_NOTES)("a note holding %s (%s) is a problem that names the kind", (kind, note) => {
    const problem = noteProblem(note)!;
    expect(problem).toBe(`The note holds what looks like ${kind}: remove it — notes must not identify anyone`);
    expect(problem.toLowerCase()).not.toContain(note.toLowerCase());
  });

  it("names every kind in words, joined with 'and', and nothing of the note", () => {
    expect(noteProblem("Jane Smith rang on 07700 900123")).toBe(
      "The note holds what looks like a person's name and a phone number: remove it — notes must not identify anyone",
    );
    const all = noteProblem(ALL)!;
    expect(all).toBe(
      "The note holds what looks like a person's name, a postcode, an e-mail address, a phone number, a date of birth and a street address: remove it — notes must not identify anyone",
    );
    for (const part of ["Jane", "Smith", "jane.smith@example.com", "07700", "900123", "High St", "IP1", "01/02/2015"])
      expect(all).not.toContain(part);
  });

  it("a clean note, or none, is no problem", () => {
    expect(noteProblem(CLEAN)).toBeNull();
    expect(noteProblem("")).toBeNull();
  });

  it.each([...IDENTIFIER_NOTES.map(([, n]) => n), ALL])("recording a note %j is refused and stores nothing", (note) => {
    const storage = new MemoryStorage();
    const draft = new ReviewDraft(storage, () => "2026-11-26");
    draft.setSession("2026-11-26", ["analyst"]);
    const before = storage.getItem(DRAFT_KEY);
    expect(() => draft.record({record_id: "C1", verdict: "model_right", reason: "other", note})).toThrow(
      /^The note holds what looks like /,
    );
    expect(storage.getItem(DRAFT_KEY)).toBe(before);
    expect(draft.state.verdicts).toEqual([]);
  });
});

describe("a verdict needs a choice: nothing is pre-selected", () => {
  it("refuses an unchosen verdict or reason, saying which", () => {
    expect(() => withVerdict(session(), {record_id: "C1", verdict: "", reason: "other"}, "t")).toThrow("choose a verdict before recording");
    expect(() => withVerdict(session(), {record_id: "C1", verdict: "model_right", reason: ""}, "t")).toThrow(
      "choose a reason before recording",
    );
    expect(withVerdict(session(), {record_id: "C1", verdict: "model_right", reason: "other", note: ` ${CLEAN} `}, "t").verdicts).toEqual([
      {
        session_date: "2026-11-26",
        reviewer_roles: ["analyst"],
        record_id: "C1",
        verdict: "model_right",
        reason: "other",
        variable: "",
        note: CLEAN,
        recorded_at: "t",
      },
    ]);
  });
});

describe("deleting a verdict and clearing the draft", () => {
  const two = () => {
    const storage = new MemoryStorage();
    const draft = new ReviewDraft(storage, () => "2026-11-26");
    draft.setSession("2026-11-26", ["analyst", "police"]);
    draft.record({record_id: "C1", verdict: "model_right", reason: "other", note: CLEAN}, "t1");
    draft.record({record_id: "C2", verdict: "data_error", reason: "recording_error"}, "t2");
    return {storage, draft};
  };

  it("pure: withoutVerdict drops one contact's verdict, cleared drops all and keeps the session", () => {
    const s = two().draft.state;
    expect(withoutVerdict(s, "C1").verdicts.map((v) => v.record_id)).toEqual(["C2"]);
    expect(withoutVerdict(s, "C9")).toEqual(s);
    expect(cleared(s)).toEqual({session_date: "2026-11-26", roles: ["analyst", "police"], verdicts: []});
    expect(s.verdicts).toHaveLength(2); // the input is not changed
  });

  it("a deleted verdict is gone from storage and from the export", () => {
    const {storage, draft} = two();
    expect(draft.exportFile("x").text).toContain(CLEAN);
    draft.remove("C1");
    expect(storage.getItem(DRAFT_KEY)).not.toContain("C1");
    expect(storage.getItem(DRAFT_KEY)).not.toContain(CLEAN);
    const text = draft.exportFile("x").text;
    expect(parseReviews(text, "x.csv").map((r) => r.record_id)).toEqual(["C2"]);
    expect(text).not.toContain(CLEAN);
  });

  it("clearing leaves no verdict in storage or the export, and roles stay for the next verdict", () => {
    const {storage, draft} = two();
    draft.clear();
    expect(JSON.parse(storage.getItem(DRAFT_KEY)!).verdicts).toEqual([]);
    expect(parseReviews(draft.exportFile("x").text, "x.csv")).toEqual([]);
    draft.record({record_id: "C3", verdict: "both_reasonable", reason: "other"}, "t3");
    expect(draft.state.verdicts.map((v) => [v.record_id, v.reviewer_roles.join(";")])).toEqual([["C3", "analyst;police"]]);
  });

  it("listeners hear every change made through the draft, until they stop", () => {
    const {draft} = two();
    const heard: number[] = [];
    const stop = draft.subscribe((s) => heard.push(s.verdicts.length));
    draft.record({record_id: "C3", verdict: "both_reasonable", reason: "other"});
    draft.remove("C1");
    expect(() => draft.record({record_id: "C4", verdict: "model_right", reason: "other", note: "07700 900123"})).toThrow();
    draft.clear();
    stop();
    draft.record({record_id: "C5", verdict: "both_reasonable", reason: "other"});
    expect(heard).toEqual([3, 2, 0]);
  });
});

describe("undo and the session file's name", () => {
  it("undoes the last change only (record, delete or clear), in memory: a deleted verdict stays out of storage", () => {
    const storage = new MemoryStorage();
    const draft = new ReviewDraft(storage, () => "2026-11-26");
    expect(draft.canUndo).toBe(false);
    draft.setSession("2026-11-26", ["analyst"]);
    draft.record({record_id: "C1", verdict: "model_right", reason: "other", note: CLEAN}, "t1");
    draft.record({record_id: "C2", verdict: "data_error", reason: "recording_error"}, "t2");
    draft.undo();
    expect(draft.state.verdicts.map((v) => v.record_id)).toEqual(["C1"]);
    draft.undo(); // one step only
    expect(draft.state.verdicts.map((v) => v.record_id)).toEqual(["C1"]);
    expect(draft.canUndo).toBe(false);
    draft.remove("C1");
    expect([...storage.map.values()].join("")).not.toContain(CLEAN);
    draft.undo();
    expect(draft.state.verdicts.map((v) => v.note)).toEqual([CLEAN]);
    draft.clear();
    draft.undo();
    expect(new ReviewDraft(storage).state.verdicts.map((v) => v.record_id)).toEqual(["C1"]); // stored, not only in memory
  });

  it("names the file by session date and the model reviewed", () => {
    const draft = new ReviewDraft(new MemoryStorage(), () => "2026-12-05");
    expect(draft.exportFile("a1b2", "logistic 2026/12/04").name).toBe("2026-12-05-logistic-2026-12-04-a1b2.csv");
    expect(draft.exportFile("a1b2").name).toBe("2026-12-05-a1b2.csv");
  });
});

describe("export", () => {
  it("is refused while a verdict kept before notes were screened holds an identifier", () => {
    const s = withVerdict(session(), {record_id: "C1", verdict: "model_right", reason: "other"}, "t");
    expect(exportProblem(s)).toBeNull();
    const old = {...s, verdicts: [...s.verdicts, {...s.verdicts[0], record_id: "C2", note: "olivia smith"}]};
    expect(exportProblem(old)).toBe(
      "The note on C2 holds what looks like an identifier: delete that verdict or record it again before exporting",
    );
    expect(exportProblem(old)).not.toContain("olivia");
  });
});
