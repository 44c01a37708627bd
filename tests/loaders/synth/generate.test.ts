// The synthetic extract: determinism, marginals against their targets (with the
// tolerances docs/synthetic-data.md states), consistency of the ground truth,
// and the messiness log. Files are generated into a temporary folder by the real
// generator; tables are read with plain string splitting (our CSV never quotes).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract, type Manifest} from "../../../loaders/synth/write.ts";
import * as P from "../../../loaders/synth/params.ts";
import {COLUMNS, VARIANTS} from "../../../loaders/synth/messiness.ts";
import {loadDictionary, normaliseSpelling, spellings, variable} from "../../../loaders/dictionary.ts";

const base = {start: "2015-01-01", months: 51, pilotStart: "2019-01-01", pilotEnd: "2019-03-31"};
let dir: string;

function readTable(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, "utf8").trimEnd().split("\n");
  const cols = header.split(",");
  return lines.map((l) => {
    const f = l.split(",");
    return Object.fromEntries(cols.map((c, i) => [c, f[i] ?? ""]));
  });
}
const share = (rows: unknown[], pred: (r: any) => boolean) => rows.filter(pred).length / rows.length;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "synth-"));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("determinism", () => {
  it("the same seed gives byte-identical files; another seed does not", async () => {
    const a = await generateExtract({...base, seed: 7, contacts: 20_000, messiness: 1, out: join(dir, "a")});
    const b = await generateExtract({...base, seed: 7, contacts: 20_000, messiness: 1, out: join(dir, "b")});
    const c = await generateExtract({...base, seed: 8, contacts: 20_000, messiness: 1, out: join(dir, "c")});
    for (const f of ["contacts.csv", "truth/contacts_truth.csv", "truth/truth.json", "manifest.json"]) {
      expect(readFileSync(join(dir, "a", f)).equals(readFileSync(join(dir, "b", f))), f).toBe(true);
    }
    expect(a.files["contacts.csv"].sha256).toBe(b.files["contacts.csv"].sha256);
    expect(c.files["contacts.csv"].sha256).not.toBe(a.files["contacts.csv"].sha256);
  });

  it("the manifest's hashes and row counts describe the files written", async () => {
    const {createHash} = await import("node:crypto");
    const m = JSON.parse(readFileSync(join(dir, "a", "manifest.json"), "utf8")) as Manifest;
    for (const [f, info] of Object.entries(m.files)) {
      const bytes = readFileSync(join(dir, "a", f));
      expect(createHash("sha256").update(bytes).digest("hex"), f).toBe(info.sha256);
      expect(bytes.length).toBe(info.bytes);
    }
    expect(m.counts.rows).toBe(m.counts.contacts + m.counts.duplicates);
    expect(
      readFileSync(join(dir, "a", "contacts.csv"), "utf8")
        .trimEnd()
        .split("\n").length - 1,
    ).toBe(m.counts.rows);
  });
});

describe("a clean extract lands on its targets", () => {
  let rows: Record<string, string>[];
  let truthRows: Record<string, string>[];
  let truth: any;
  let manifest: Manifest;
  beforeAll(async () => {
    manifest = await generateExtract({...base, seed: 11, contacts: 60_000, messiness: 0, out: join(dir, "clean")});
    rows = readTable(join(dir, "clean", "contacts.csv"));
    truthRows = readTable(join(dir, "clean", "truth", "contacts_truth.csv"));
    truth = JSON.parse(readFileSync(join(dir, "clean", "truth", "truth.json"), "utf8"));
  }, 60_000);

  it("has exactly the contacts asked for, in time order, with unique ids", () => {
    expect(rows.length).toBe(60_000);
    expect(new Set(rows.map((r) => r.contact_id)).size).toBe(60_000);
    for (let i = 1; i < rows.length; i++) expect(rows[i].contact_datetime >= rows[i - 1].contact_datetime).toBe(true);
    expect(rows[0].contact_datetime.slice(0, 7)).toBe("2015-01");
    expect(rows.at(-1)!.contact_datetime.slice(0, 7)).toBe("2019-03");
    expect(Object.keys(rows[0])).toEqual([...COLUMNS]);
  });

  it("referral-source shares are within 1.5 points of the targets", () => {
    for (const s of P.REFERRAL_SOURCES)
      expect(Math.abs(share(rows, (r) => r.referral_source === s) - P.sourceShare[s]), s).toBeLessThan(0.015);
  });

  it("concern prevalence is within 4 points of the DfE factor shares, with several concerns per contact", () => {
    for (const k of P.CONCERNS) {
      const p = share(rows, (r) => r.concerns.split(";").includes(k));
      expect(Math.abs(p - P.concernPrevalence[k]), k).toBeLessThan(0.04);
    }
    const mean = rows.reduce((a, r) => a + r.concerns.split(";").length, 0) / rows.length;
    expect(mean).toBeGreaterThan(1.8);
    expect(mean).toBeLessThan(3);
  });

  it("concerns co-occur (toxic trio): mental health with drug misuse, drug with alcohol misuse, more often than by chance", () => {
    const lift = (a: string, b: string) =>
      share(rows, (r) => r.concerns.includes(a) && r.concerns.includes(b)) /
      (share(rows, (r) => r.concerns.includes(a)) * share(rows, (r) => r.concerns.includes(b)));
    expect(lift("mental_health", "drug_misuse")).toBeGreaterThan(1.1);
    expect(lift("drug_misuse", "alcohol_misuse")).toBeGreaterThan(1.3);
  });

  it("gender within 1.5 points; ethnicity and disability missing at their stated rates (±1.5 points)", () => {
    expect(Math.abs(share(rows, (r) => r.gender === "male") - P.genderShare.male)).toBeLessThan(0.015);
    expect(Math.abs(share(rows, (r) => r.ethnicity === "") - P.ethnicityShare.missing)).toBeLessThan(0.015);
    expect(Math.abs(share(rows, (r) => r.disability === "") - P.disabilityShare.missing)).toBeLessThan(0.015);
    expect(share(rows, (r) => r.age_years === "unborn")).toBeGreaterThan(0.01);
  });

  it("about 30% of decided contacts go to information sharing (±3 points); police contacts end in NFA most often", () => {
    const decided = rows.filter((r) => r.mash_decision !== "");
    expect(Math.abs(share(decided, (r) => r.mash_decision === "info_sharing") - P.truthEffects.targetShareRate)).toBeLessThan(0.03);
    const police = decided.filter((r) => r.referral_source === "police");
    expect(share(police, (r) => r.mash_decision === "nfa")).toBeGreaterThan(0.4);
  });

  it("August dips below July and September; schools barely contact at weekends", () => {
    const byMonth = (m: string) => rows.filter((r) => r.contact_datetime.slice(5, 7) === m).length;
    expect(byMonth("08")).toBeLessThan(0.85 * Math.min(byMonth("07"), byMonth("09")));
    const weekday = (r: Record<string, string>) => new Date(r.contact_datetime.slice(0, 10) + "T00:00:00Z").getUTCDay();
    const school = rows.filter((r) => r.referral_source === "school");
    expect(share(school, (r) => weekday(r) === 0 || weekday(r) === 6)).toBeLessThan(0.02);
    const police = rows.filter((r) => r.referral_source === "police");
    expect(share(police, (r) => weekday(r) === 0 || weekday(r) === 6)).toBeGreaterThan(0.25);
  });

  it("children and households recur, and prior_contacts_12m counts the child's earlier contacts in the extract", () => {
    expect(share(rows, (r) => r.prior_contacts_12m !== "0")).toBeGreaterThan(0.2);
    expect(share(rows, (r) => r.prior_contacts_12m !== "0")).toBeLessThan(0.45);
    expect(manifest.counts.children).toBeLessThan(0.9 * rows.length);
    expect(manifest.counts.households).toBeLessThan(manifest.counts.children);
    // After the first year, the count in the extract can be recomputed exactly.
    const seen = new Map<string, number[]>();
    let checked = 0;
    for (const r of rows) {
      const t = Date.parse(r.contact_datetime.slice(0, 10) + "T00:00:00Z") / 86_400_000;
      const prev = seen.get(r.child_id) ?? [];
      if (r.contact_datetime >= "2016-01-01") {
        expect(Number(r.prior_contacts_12m)).toBe(prev.filter((p) => t - p <= 365).length);
        checked++;
      }
      prev.push(t);
      seen.set(r.child_id, prev);
    }
    expect(checked).toBeGreaterThan(40_000);
  });

  it("the truth file has one row per contact, in the same order, and names every planted effect", () => {
    expect(truthRows.map((r) => r.contact_id)).toEqual(rows.map((r) => r.contact_id));
    const names = truth.plantedEffects.map((e: {name: string}) => e.name);
    for (const n of [
      "lenient_screeners",
      "strict_screeners",
      "workload",
      "policy_shift",
      "pilot_decision_delay",
      "pilot_screener_consistency",
      "label_bias_ethnicity",
    ]) {
      expect(names).toContain(n);
    }
    expect(truth.screeners.filter((s: any) => s.role === "lenient")).toHaveLength(P.staffEffects.lenientScreeners);
    expect(truth.screeners.filter((s: any) => s.role === "strict")).toHaveLength(P.staffEffects.strictScreeners);
    for (const s of truth.screeners)
      expect(
        rows.some((r) => r.screener_id === s.id),
        s.id,
      ).toBe(true);
  });

  it("the truth agrees with the extract: pilot flags, planted screeners' rates, decisions follow the staff probability", () => {
    for (let i = 0; i < rows.length; i += 97) {
      const inPilot = rows[i].contact_datetime >= "2019-01-01" && rows[i].contact_datetime < "2019-04-01";
      expect(truthRows[i].in_pilot).toBe(inPilot ? "1" : "0");
    }
    for (const s of truth.screeners.filter((x: any) => x.role !== "none")) {
      const mine = rows.filter((r) => r.screener_id === s.id && r.mash_decision !== "");
      const rate = share(mine, (r) => r.mash_decision === "info_sharing");
      const expected = s.expected / s.n;
      if (s.role === "lenient") expect(rate).toBeLessThan(expected - 0.05);
      else expect(rate).toBeGreaterThan(expected + 0.05);
    }
    // Mean staff probability matches the realised sharing rate (calibration of the truth itself).
    const decided = rows.map((r, i) => [r, truthRows[i]] as const).filter(([r]) => r.mash_decision !== "");
    const meanP = decided.reduce((a, [, t]) => a + Number(t.p_share_staff), 0) / decided.length;
    expect(
      Math.abs(
        meanP -
          share(
            decided.map(([r]) => r),
            (r) => r.mash_decision === "info_sharing",
          ),
      ),
    ).toBeLessThan(0.01);
    expect(truth.realised.aucStaffDecisionObservable).toBeGreaterThan(0.75);
    expect(truth.realised.aucStaffDecisionObservable).toBeLessThan(0.9);
  });

  it("the pilot teams' decisions in the pilot window are faster, as planted; the other teams' are not", () => {
    const hours = (r: Record<string, string>) =>
      (Date.parse(r.decision_datetime.replace(" ", "T") + "Z") - Date.parse(r.contact_datetime.replace(" ", "T") + "Z")) / 3.6e6;
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
    const decided = rows.filter((r) => r.decision_datetime !== "" && r.mash_decision !== "info_sharing");
    const teams = new Set<string>(truth.pilot.teams);
    const ratio = (inPilotTeams: boolean) => {
      const mine = decided.filter((r) => teams.has(r.team) === inPilotTeams);
      const pilot = mine.filter((r) => r.contact_datetime >= "2019-01-01");
      const before = mine.filter((r) => r.contact_datetime >= "2018-01-01" && r.contact_datetime < "2018-04-01");
      return median(pilot.map(hours)) / median(before.map(hours));
    };
    expect(ratio(true)).toBeLessThan(0.88);
    expect(ratio(false)).toBeGreaterThan(0.9);
  });

  it("every code in a clean extract is a dictionary code", () => {
    const dict = loadDictionary();
    for (const v of dict.variables.filter((x) => x.codes)) {
      const known = new Set([...(v.codes ?? []), ...(v.special_codes ?? [])].map((c) => c.code));
      const values = new Set(rows.flatMap((r) => (v.type === "multi-category" ? r[v.name].split(v.separator ?? ";") : [r[v.name]])));
      for (const value of values) if (value !== "") expect(known.has(value), `${v.name}: ${value}`).toBe(true);
    }
  });
});

describe("messiness", () => {
  it("level 1 logs every malformed and duplicated line where it is, and keeps the clean content", async () => {
    const clean = await generateExtract({...base, seed: 5, contacts: 30_000, messiness: 0, out: join(dir, "m0")});
    await generateExtract({...base, seed: 5, contacts: 30_000, messiness: 1, out: join(dir, "m1")});
    const lines = readFileSync(join(dir, "m1", "contacts.csv"), "utf8")
      .trimEnd()
      .split("\n");
    const log = JSON.parse(readFileSync(join(dir, "m1", "truth", "truth.json"), "utf8")).messiness;
    expect(log.malformed.length).toBeGreaterThan(5);
    expect(log.duplicates.length).toBeGreaterThan(20);
    expect(log.codeVariants).toBeGreaterThan(500);
    for (const d of log.duplicates) expect(lines[d.line - 1]).toBe(lines[d.ofLine - 1]);
    for (const m of log.malformed) {
      const f = lines[m.line - 1].split(",");
      if (m.kind === "truncated") expect(f.length).toBeLessThan(COLUMNS.length);
      else expect(f.length).toBe(COLUMNS.length);
      if (m.kind === "missing_id") expect(f[0]).toBe("");
    }
    expect(lines.length - 1).toBe(clean.counts.contacts + log.duplicates.length);
    // The truth (and so the clean content) does not depend on the messiness level.
    expect(
      readFileSync(join(dir, "m1", "truth", "contacts_truth.csv")).equals(readFileSync(join(dir, "m0", "truth", "contacts_truth.csv"))),
    ).toBe(true);
    const m0 = readFileSync(join(dir, "m0", "contacts.csv"), "utf8");
    expect(m0).not.toMatch(/POLICE|Suffolk Constabulary| ,|, /);
  }, 60_000);

  it("the dictionary's synonyms cover every spelling variant the generator writes", () => {
    const dict = loadDictionary();
    for (const [name, variants] of Object.entries(VARIANTS)) {
      const map = spellings(variable(dict, name));
      for (const [code, list] of Object.entries(variants))
        for (const s of list) expect(map.get(normaliseSpelling(s)), `${name}: ${s}`).toBe(code);
    }
  });
});

describe("docs", () => {
  it("docs/synthetic-data.md documents every parameter of params.ts", () => {
    const doc = readFileSync("docs/synthetic-data.md", "utf8");
    const missing: string[] = [];
    const codes = new Set<string>([...P.REFERRAL_SOURCES, ...P.CONCERNS, ...P.DISTRICTS]);
    for (const [name, value] of Object.entries(P)) {
      if (!doc.includes(`\`${name}\``)) missing.push(name);
      // One level down: the named settings inside each parameter group (code lists are documented as tables).
      if (value && typeof value === "object" && !Array.isArray(value)) {
        for (const k of Object.keys(value))
          if (/^[a-z]/.test(k) && !codes.has(k) && !doc.includes(`\`${k}\``)) missing.push(`${name}.${k}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
