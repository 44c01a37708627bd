import {describe, expect, it} from "vitest";
import {csvRecords, parseReviews, summarise, toCsv, type ReviewRow} from "../../src/lib/reviews.ts";

const row = (over: Partial<ReviewRow> = {}): ReviewRow => ({
  session_date: "2026-11-26",
  reviewer_roles: ["analyst", "mash_manager"],
  record_id: "C0001",
  verdict: "decision_right",
  reason: "information_not_in_extract",
  variable: "",
  note: "",
  recorded_at: "2026-11-26T10:00:00Z",
  ...over,
});

describe("review files", () => {
  it("round trip: toCsv then parseReviews gives the same rows, notes with commas, quotes and newlines included", () => {
    const rows = [
      row(),
      row({
        record_id: "C0002",
        verdict: "terminology_problem",
        reason: "code_meaning_unclear",
        variable: "primary_concern",
        note: 'said "neglect", meant\nhome conditions, mostly',
      }),
    ];
    expect(parseReviews(toCsv(rows), "s.csv", {variables: ["primary_concern"]})).toEqual(rows);
  });

  it("a downloaded session file escapes formula-like ids and notes, and parseReviews gives them back", () => {
    const corpus = ['=HYPERLINK("http://x","y")', "+1+2", "@SUM(1,2)", "=cmd|' /C calc'!A0", "-2+3", "'=1"];
    const rows = corpus.map((id, i) => row({record_id: id, note: corpus[(i + 1) % corpus.length]}));
    const text = toCsv(rows);
    const records = csvRecords(text, "s.csv");
    expect(records).toHaveLength(corpus.length + 1);
    for (const {fields} of records.slice(1)) {
      expect(fields).toHaveLength(8);
      for (const f of fields) expect(f, f).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(parseReviews(text, "s.csv")).toEqual(rows);
  });

  it("CSV records keep the line each starts on (a quoted newline spans lines)", () => {
    expect(csvRecords('a,b\n"x\ny",z\nq,r\n', "f").map((r) => r.line)).toEqual([1, 2, 4]);
    expect(() => csvRecords('a,b\n"open,z\n', "f.csv")).toThrow(/f\.csv, line 2: a quoted field is never closed/);
  });

  it.each([
    ["a wrong header", "contact,verdict\nC1,decision_right\n", /bad\.csv, line 1: the header must be/],
    ["an unknown verdict", toCsv([row()]).replace("decision_right", "staff_wrong"), /bad\.csv, line 2: unknown verdict/],
    ["an unknown reason", toCsv([row()]).replace("information_not_in_extract", "gut_feeling"), /line 2: unknown reason code/],
    ["a name-like role", toCsv([row({reviewer_roles: ["analyst", "Jane"]})]), /line 2: unknown reviewer role/],
    ["a missing contact id", toCsv([row({record_id: ""})]), /line 2: record_id is empty/],
    [
      "a terminology problem without a variable",
      toCsv([row({verdict: "terminology_problem"})]),
      /line 2: a terminology problem must name the variable/,
    ],
    [
      "a variable not in the dictionary",
      toCsv([row({verdict: "terminology_problem", variable: "shoe_size"})]),
      /line 2: the variable is not in the dictionary/,
    ],
    ["the same contact twice", toCsv([row(), row({verdict: "model_right"})]), /line 3: the same contact was already reviewed on line 2/],
    ["a ragged row", toCsv([row()]) + "x,y\n", /line 3: 2 fields, expected 8/],
    ["a bad date", toCsv([row({session_date: "26/11/2026"})]), /line 2: session_date must be a date/],
    ["an empty file", "", /line 1: the file is empty/],
  ])("refuses %s, naming the file and line", (_name, text, message) => {
    expect(() => parseReviews(text, "bad.csv", {variables: ["primary_concern"]})).toThrow(message);
  });

  it("summary: verdicts by kind and reason, staff upheld among judged, terminology by variable, data errors", () => {
    const s = summarise(
      [
        row(),
        row({record_id: "C2", verdict: "model_right"}),
        row({record_id: "C3", verdict: "both_reasonable"}),
        row({record_id: "C4", verdict: "data_error", reason: "recording_error"}),
        row({record_id: "C5", verdict: "terminology_problem", reason: "code_meaning_unclear", variable: "primary_concern", note: "n"}),
      ],
      1,
    );
    expect(s.verdicts).toBe(5);
    expect(s.decisionUpheld).toEqual({k: 2, n: 3});
    expect(s.dataErrors).toEqual(["C4"]);
    expect(s.terminology).toEqual([{variable: "primary_concern", n: 1, notes: ["n"]}]);
    expect(s.byVerdict.find((v) => v.verdict === "model_right")!.n).toBe(1);
  });
});
