// The home page's aggregates, computed by DuckDB from a small extract made by the generator.
import {afterAll, beforeAll, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract} from "../../loaders/synth/write.ts";
import {parse, stringify} from "yaml";
import {decisionVariable, defaultBreakdown, overview} from "../../loaders/overview.ts";
import {loadDictionary, type Dictionary} from "../../loaders/dictionary.ts";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "overview-"));
  await generateExtract({
    seed: 3,
    start: "2016-01-01",
    months: 6,
    contacts: 3000,
    messiness: 3,
    pilotStart: "2016-05-01",
    pilotEnd: "2016-06-30",
    out: dir,
  });
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

it("counts every row, maps variants to codes, and keeps unreadable dates and unknown codes visible", async () => {
  const o = await overview([join(dir, "contacts.csv")]);
  const lines = readFileSync(join(dir, "contacts.csv"), "utf8").trimEnd().split("\n").slice(1);
  const truth = JSON.parse(readFileSync(join(dir, "truth", "truth.json"), "utf8"));
  expect(o.rows).toBe(lines.length);
  const badDates = truth.messiness.malformed.filter((m: {kind: string}) => m.kind === "bad_datetime").length;
  expect(o.unreadableTime).toBe(badDates);
  const monthlyTotal = o.monthly.reduce((a, d) => a + d.n, 0);
  expect(monthlyTotal + o.unreadableTime).toBe(o.rows);
  expect(new Set(o.monthly.map((d) => d.month)).size).toBe(6);
  const codes = new Set(o.monthly.map((d) => d.code));
  expect(codes.has("police")).toBe(true);
  for (const c of codes) expect(c === "(unrecognised)" || c === "(missing)" || o.by.codes.some((k) => k.code === c), c).toBe(true);
  // Police spelled any way (Police, POLICE, Suffolk Constabulary, stray spaces) is counted as police.
  const policeLines = lines.filter((l) => /^(police|suffolk constabulary)$/i.test((l.split(",")[4] ?? "").trim())).length;
  const policeMonthly = o.monthly.filter((d) => d.code === "police").reduce((a, d) => a + d.n, 0);
  expect(policeMonthly).toBeLessThanOrEqual(policeLines);
  expect(policeLines - policeMonthly).toBeLessThanOrEqual(badDates);
  expect(o.decisions.reduce((a, d) => a + d.n, 0)).toBe(o.rows);
});

/** data/dictionary.yaml with its roles changed, loaded through the schema. */
function dictionaryWith(change: (doc: {roles: Record<string, string>}) => void): Dictionary {
  const doc = parse(readFileSync("data/dictionary.yaml", "utf8"));
  change(doc);
  const path = join(dir, "dictionary.yaml");
  writeFileSync(path, stringify(doc));
  return loadDictionary(path);
}

it("reads the time, breakdown and decision from the dictionary's roles, and the default target", async () => {
  const o = await overview([join(dir, "contacts.csv")]);
  expect([o.time.name, o.by.name, o.decision.name]).toEqual(["contact_datetime", "referral_source", "mash_decision"]);
  expect(o.by.label).toBe("Who made the contact");
  expect(o.target).toEqual({
    name: "info_sharing",
    label: "Staff shared information",
    variable: "mash_decision",
    positive: ["info_sharing"],
  });
  const byDistrict = await overview(
    [join(dir, "contacts.csv")],
    dictionaryWith((d) => (d.roles.baseline_feature = "district")),
  );
  expect(byDistrict.by.name).toBe("district");
  expect(byDistrict.monthly.reduce((a, d) => a + d.n, 0)).toBe(o.monthly.reduce((a, d) => a + d.n, 0));
  expect(new Set(byDistrict.monthly.map((d) => d.code)).has("ipswich")).toBe(true);
});

it("without a baseline feature the breakdown is the first category feature; without a decision role, the default target's variable", () => {
  const d = dictionaryWith((doc) => {
    delete doc.roles.baseline_feature;
    delete doc.roles.decision;
  });
  expect(defaultBreakdown(d)).toBe("referral_source");
  expect(decisionVariable(d)).toBe("mash_decision");
  const none = {...d, variables: d.variables.filter((v) => v.type !== "category" || v.role !== "feature")};
  expect(() => defaultBreakdown(none)).toThrow(/no baseline feature \(roles.baseline_feature\)/);
});

it("the home page's headline counts accepted contacts, as Data quality does, with read = accepted + rejected + duplicates", async () => {
  const {miniProject, SMALL_YEAR} = await import("../fixtures/mini-project.ts");
  const project = await miniProject({...SMALL_YEAR, seed: 22, contacts: 3000, messiness: 4});
  try {
    const {acceptedOverview} = await import("../../loaders/overview.ts");
    const {qualityData} = await import("../../loaders/pages/quality.ts");
    const a = await acceptedOverview(loadDictionary(), project.warehouse, project.report);
    const q = await qualityData(loadDictionary(), project.report, project.warehouse);
    const {read, accepted, rejected, duplicates} = a.accounting;
    expect([read, accepted, rejected, duplicates]).toEqual([
      q.report.read,
      q.report.accepted,
      q.report.rejected,
      q.report.duplicates.total,
    ]);
    expect(accepted + rejected + duplicates).toBe(read);
    expect(rejected + duplicates).toBeGreaterThan(0); // a messy extract: the raw row count would not be the headline
    // the charts count the same accepted contacts
    expect(a.monthly.reduce((s, d) => s + d.n, 0)).toBe(accepted);
    expect(a.decisions.reduce((s, d) => s + d.n, 0)).toBe(accepted);
    expect(new Set(a.monthly.map((d) => d.code)).has("(unrecognised)")).toBe(false);
    expect(a.from?.slice(0, 4)).toBe("2016");
  } finally {
    project.remove();
  }
}, 120_000);
