import {describe, expect, it} from "vitest";
import {DRAFT_KEY, ReviewDraft, type StorageLike} from "../../src/lib/review-draft.ts";
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
    expect(storage.getItem(DRAFT_KEY)).toBeNull();
  });

  it("keeps a damaged draft aside instead of dropping it silently", () => {
    const storage = new MemoryStorage();
    storage.setItem(DRAFT_KEY, "{not json");
    expect(new ReviewDraft(storage).state.verdicts).toEqual([]);
    expect(storage.getItem(`${DRAFT_KEY}:damaged`)).toBe("{not json");
  });
});
