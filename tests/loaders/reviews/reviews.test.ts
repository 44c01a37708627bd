import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {afterEach, describe, expect, it} from "vitest";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {dataErrorContacts, readReviews} from "../../../loaders/reviews/reviews.ts";
import {toCsv, type ReviewRow} from "../../../src/lib/reviews.ts";

const dict = loadDictionary("data/dictionary.yaml");
const row = (over: Partial<ReviewRow> = {}): ReviewRow => ({
  session_date: "2026-11-26",
  reviewer_roles: ["analyst"],
  record_id: "C0001",
  verdict: "decision_right",
  reason: "other",
  variable: "",
  note: "",
  recorded_at: "2026-11-26T10:00:00Z",
  ...over,
});
const dirs: string[] = [];
const dirWith = (files: Record<string, string>) => {
  const d = mkdtempSync(join(tmpdir(), "reviews-"));
  dirs.push(d);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, {recursive: true, force: true})));

describe("reading data/reviews", () => {
  it("reads every session file and lists the data-error contacts", async () => {
    const d = dirWith({
      "2026-11-20-a.csv": toCsv([row({record_id: "C1", verdict: "data_error", reason: "recording_error"})]),
      "2026-11-26-b.csv": toCsv([row({record_id: "C2"}), row({record_id: "C3", verdict: "data_error", reason: "recording_error"})]),
    });
    const r = await readReviews(dict, d);
    expect(r.files.map((f) => [f.file, f.rows.length])).toEqual([
      ["2026-11-20-a.csv", 1],
      ["2026-11-26-b.csv", 2],
    ]);
    expect(await dataErrorContacts(dict, d)).toEqual(["C1", "C3"]);
  });

  it("refuses an identical copy of another file, naming both", async () => {
    const text = toCsv([row()]);
    await expect(readReviews(dict, dirWith({"a.csv": text, "b.csv": text}))).rejects.toThrow(
      /b\.csv, line 1: the file is an identical copy of a\.csv/,
    );
  });

  it.each([
    ["an e-mail address", "call back on jo.bloggs@example.org please", /email \(1\)/],
    ["a phone number", "mum on 07700 900123", /phone/],
    ["a full postcode", "moved to CO4 3SQ last month", /postcode/],
  ])("refuses notes holding %s, never printing it", async (_k, note, kind) => {
    const d = dirWith({"s.csv": toCsv([row({note})])});
    const err = await readReviews(dict, d).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(kind);
    expect((err as Error).message).toMatch(/s\.csv, line 1/);
    for (const word of note.split(" ").filter((w) => /\d|@/.test(w))) expect((err as Error).message).not.toContain(word);
  });

  it("accepts plain notes", async () => {
    const r = await readReviews(
      dict,
      dirWith({"s.csv": toCsv([row({note: "history of DA weighed more by staff, see threshold guidance"})])}),
    );
    expect(r.rows).toHaveLength(1);
  });
});
