/**
 * The dictionary is the contract: code reads roles, never a MASH column name. A grep over
 * loaders/ and src/ (the generator in loaders/synth/ excepted: it writes the MASH extract) for
 * the names of the sample's columns; each line allowed below says why. Checked first on an
 * inline text, so a grep that stopped finding would fail.
 */
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {PROJECT_ROOT, sourceFiles} from "../source-files.ts";

const MASH_NAMES =
  /\b(contact_id|child_id|household_id|screener_id|contact_datetime|decision_datetime|referral_source|mash_decision|rag_rating)\b/;

/** Lines that may name a MASH column, as [file, text the line contains, why]. */
const ALLOWED: ReadonlyArray<[file: string, contains: string, why: string]> = [];

/** file:line: text of every line of `files` naming a MASH column, outside the allow-list. */
export function mashNames(files: {path: string; text: string}[], allowed = ALLOWED): string[] {
  const hits: string[] = [];
  for (const {path, text} of files) {
    text.split("\n").forEach((line, i) => {
      if (!MASH_NAMES.test(line)) return;
      if (allowed.some(([file, contains]) => file === path && line.includes(contains))) return;
      hits.push(`${path}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  return hits;
}

/** Code and pages under `dir`, with their text. */
const sources = (dir: string) =>
  sourceFiles(dir, /\.(ts|js|md)$/).map((path) => ({path, text: readFileSync(join(PROJECT_ROOT, path), "utf8")}));

describe("no MASH column names in code", () => {
  it("finds a name in an inline text, and lets an allowed line through", () => {
    const files = [{path: "loaders/x.ts", text: "const a = 1;\nSELECT mash_decision FROM contacts\n// the referral_source example\n"}];
    expect(mashNames(files, [])).toEqual([
      "loaders/x.ts:2: SELECT mash_decision FROM contacts",
      "loaders/x.ts:3: // the referral_source example",
    ]);
    expect(mashNames(files, [["loaders/x.ts", "the referral_source example", "test"]])).toEqual([
      "loaders/x.ts:2: SELECT mash_decision FROM contacts",
    ]);
  });

  it("loaders/ (but the generator) and src/ read roles, not names", () => {
    const files = [...sources("loaders").filter((f) => !f.path.startsWith("loaders/synth/")), ...sources("src")];
    expect(files.length).toBeGreaterThan(100);
    expect(mashNames(files)).toEqual([]);
  });

  it("every allowed line still exists (the list does not outlive its reason)", () => {
    for (const [file, contains] of ALLOWED)
      expect(readFileSync(join(PROJECT_ROOT, file), "utf8"), `${file}: ${contains}`).toContain(contains);
  });
});
