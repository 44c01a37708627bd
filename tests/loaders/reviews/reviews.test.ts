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
    ["a person's name", "olivia smith"],
    ["a person's name", "JACK TAYLOR"],
    ["an e-mail address", "jo@example.org"],
    ["a phone number", "07700 900123"],
    ["an NHS number", "943 476 5919"],
    ["a postcode", "IP1 2AB"],
    ["a date of birth", "DOB 01/02/2015"],
    ["a national insurance number", "AB 12 34 56 C"],
    ["a street address", "12 High St"],
  ])("refuses a note holding %s (%s), naming the kind and never the note", async (kind, note) => {
    const d = dirWith({"s.csv": toCsv([row({note})])});
    const err = await readReviews(dict, d).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toMatch(/^s\.csv, line 2: notes hold what looks like /);
    expect(message).toContain(`${kind} (1)`);
    expect(message).not.toContain(note);
    for (const word of note.split(" ").filter((w) => w.length > 2)) expect(message.toLowerCase()).not.toContain(word.toLowerCase());
  });

  it("refuses a file whose only identifiers are names, counting notes per kind and naming the first line", async () => {
    const text = toCsv([
      row({record_id: "C1", note: "history weighed more by staff"}),
      row({record_id: "C2", note: "olivia smith"}),
      row({record_id: "C3", note: "Mum Jane Smith jane.smith@example.com rang on 07700 900123, 12 High St IP1 2AB, DOB 01/02/2015"}),
    ]);
    const err = await readReviews(dict, dirWith({"names.csv": text})).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      "names.csv, line 3: notes hold what looks like a person's name (2), a postcode (1), an e-mail address (1), a phone number (1), " +
        "a date of birth (1), a street address (1) (how many notes hold each; the first is on this line): remove them — review files must not identify anyone",
    );
  });

  it("accepts plain notes", async () => {
    const r = await readReviews(
      dict,
      dirWith({
        "s.csv": toCsv([
          row({note: "history of DA weighed more by staff, see threshold guidance"}),
          row({record_id: "C2", note: "staff knew of a recent police contact not in the extract"}),
        ]),
      }),
    );
    expect(r.rows.map((x) => x.note)).toEqual([
      "history of DA weighed more by staff, see threshold guidance",
      "staff knew of a recent police contact not in the extract",
    ]);
  });
});
