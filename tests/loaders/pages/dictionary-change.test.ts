// "Changing a code's synonym in the dictionary and re-ingesting changes the Variables
// and Data quality pages without touching any other file": the page loaders' data,
// before and after adding a synonym, on an extract made by the generator.
import {afterAll, beforeAll, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {parseDocument} from "yaml";
import {generateExtract} from "../../../loaders/synth/write.ts";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {variablesData} from "../../../loaders/pages/variables.ts";
import {qualityData} from "../../../loaders/pages/quality.ts";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dict-change-"));
  await generateExtract({
    seed: 9,
    start: "2017-01-01",
    months: 12,
    contacts: 6000,
    messiness: 8,
    pilotStart: "2017-10-01",
    pilotEnd: "2017-12-31",
    out: join(dir, "x"),
  });
}, 60_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it("adding a synonym turns an unknown spelling into a mapped code on both pages", async () => {
  const dictA = join(dir, "a.yaml");
  writeFileSync(dictA, readFileSync("data/dictionary.yaml"));
  const paths = {files: [join(dir, "x", "contacts.csv")], db: join(dir, "wh.duckdb"), report: join(dir, "report.json")};
  const before = await ingest({...paths, dictionary: dictA});
  const typo = before.unknownCodes.find((u) => u.variable === "referral_source");
  expect(typo, "the messy extract should hold an unknown referral_source spelling").toBeDefined();
  const qA = await qualityData(loadDictionary(dictA), paths.report, paths.db);
  expect(qA.unknown.some((u) => u.spelling === typo!.spelling)).toBe(true);

  // Map the typo to a code, as a working session would, with a change-log entry.
  const doc = parseDocument(readFileSync(dictA, "utf8"));
  const vars = doc.get("variables") as any;
  const source = vars.items.find((v: any) => v.get("name") === "referral_source");
  const code = source.get("codes").items.find((c: any) => c.get("code") === "school");
  const synonyms = code.get("synonyms");
  synonyms.add(typo!.spelling);
  (doc.get("changes") as any).add({
    date: "2026-11-26",
    what: `"${typo!.spelling}" is a synonym of school`,
    why: "seen in the extract",
    agreed_by: "MASH team manager",
  });
  const dictB = join(dir, "b.yaml");
  writeFileSync(dictB, doc.toString());

  const after = await ingest({...paths, dictionary: dictB});
  expect(after.unknownCodes.some((u) => u.spelling === typo!.spelling)).toBe(false);
  // Rows whose only fault was the typo are now accepted (some may break other rules too).
  expect(after.accepted).toBeGreaterThan(before.accepted);
  expect(after.accepted - before.accepted).toBeLessThanOrEqual(typo!.n);
  expect(before.rejected - after.rejected).toBe(after.accepted - before.accepted);
  expect(after.mappedCodes.find((m) => m.spelling === typo!.spelling)?.code).toBe("school");
  const vB = await variablesData(loadDictionary(dictB), paths.db);
  const src = vB.variables.find((v) => v.name === "referral_source")!;
  expect(src.codes!.find((c) => c.code === "school")!.synonyms).toContain(typo!.spelling);
  expect(vB.changes.at(-1)!.agreed_by).toBe("MASH team manager");
  const qB = await qualityData(loadDictionary(dictB), paths.report, paths.db);
  expect(qB.unknown.some((u) => u.spelling === typo!.spelling)).toBe(false);
  expect(qB.mappings.some((m) => m.spelling === typo!.spelling && m.code === "school")).toBe(true);
  expect(qB.runs).toHaveLength(2);
}, 120_000);
