// Cross-check, Consistency and the overview on data from another field
// (tests/fixtures/other-field.ts: a risk-assessment table whose dictionary names a record,
// an event time and a baseline feature only: no person, no staff, no decision). Ingested
// and a logistic model trained on it; the Cross-check data then comes from its roles and
// its one target alone, with no history (no person) and no decision column; the
// Consistency page says what it would need; the overview breaks records down by the
// baseline feature and shows the target's variable as the decision mix.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdirSync, mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {writeOtherField, type OtherField} from "../../fixtures/other-field.ts";
import {computeConsistency} from "../../../loaders/consistency/consistency.ts";
import {crosscheckData} from "../../../loaders/crosscheck/crosscheck.ts";
import {withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary, type Dictionary} from "../../../loaders/dictionary.ts";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {overview} from "../../../loaders/overview.ts";
import {identifierVariables} from "../../../loaders/public/scan.ts";
import {DEFAULT_CONFIG, train} from "../../../loaders/train/train.ts";

/** Every name the MASH dictionary gives a role or a target's variable. */
const MASH = /contact_id|child_id|household_id|contact_datetime|decision_datetime|screener_id|mash_decision|rag_rating|referral_source/;

let root: string;
let fixture: OtherField;
let dict: Dictionary;
const paths = {warehouse: "", modelsDir: "", reviews: ""};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "other-field-crosscheck-"));
  fixture = writeOtherField(join(root, "data"), {seed: 18, rows: 4000});
  for (const d of ["processed", "models", "reviews"]) mkdirSync(join(root, d), {recursive: true});
  paths.warehouse = join(root, "processed", "warehouse.duckdb");
  paths.modelsDir = join(root, "models");
  paths.reviews = join(root, "reviews");
  await ingest({
    files: [fixture.csv],
    dictionary: fixture.dictionary,
    db: paths.warehouse,
    report: join(root, "processed", "ingest-report.json"),
  });
  await train(
    {...DEFAULT_CONFIG, model: "logistic"},
    {dictionary: fixture.dictionary, db: paths.warehouse, modelsDir: paths.modelsDir, reviews: paths.reviews},
  );
  dict = loadDictionary(fixture.dictionary);
}, 120_000);
afterAll(() => rmSync(root, {recursive: true, force: true}));

describe("a dictionary from another field: no person, no staff, no decision", () => {
  it("consistency: says it needs roles.staff and roles.decision, without opening the warehouse", async () => {
    const c = await computeConsistency(dict, paths.modelsDir, join(root, "no-warehouse.duckdb"));
    expect(c).toMatchObject({available: false, needs: ["roles.staff", "roles.decision"]});
  });

  it("cross-check: the model of its one target against the outcome, from its roles alone", async () => {
    const cc = await withDuckDB((db) => crosscheckData(db, dict, {dir: paths.modelsDir, queueSize: 100_000}), paths.warehouse, {
      readOnly: true,
    });
    if (!cc.model) throw new Error("a model was trained");
    expect(cc.target).toMatchObject({name: "reoffended", label: "Reoffended within two years"});
    expect(cc.roles).toEqual({record: "case_ref", person: null, group: null, time: "assessed_on", decision: null, baseline: "priors_band"});
    expect(cc.columns).toEqual(["reoffended_2y"]);
    expect(cc.views.map((v) => v.variable)).toEqual(["priors_band", "charge_degree"]); // age_group is a quasi-identifier: no view by it
    expect(cc.followUps).toEqual([]);
    expect(cc.directions).toEqual({
      positiveLow: "Reoffended within two years: yes, model low",
      negativeHigh: "Reoffended within two years: no, model high",
    });
    expect(cc.queue).toHaveLength(cc.n);
    const byRef = new Map(fixture.rows.map((r) => [r.case_ref, r]));
    for (const q of cc.queue) {
      const r = byRef.get(q.record_id)!;
      expect(q.history).toBeNull(); // no person: no earlier records to list
      expect(q.decision).toBeNull();
      expect(q.values).toEqual({reoffended_2y: r.reoffended_2y});
      expect(q.y).toBe(r.reoffended_2y === "yes" ? 1 : 0);
      expect(q.baseline).toBe(r.priors_band);
      expect(q.time.slice(0, 10)).toBe(r.assessed_on);
    }
    for (const v of cc.views) expect(v.rows.reduce((a, d) => a + d.n, 0)).toBe(cc.n);
    expect(cc.variables.priors_band.label).toBeTruthy();
    expect(JSON.stringify(cc)).not.toMatch(MASH);
  });

  it("overview: breaks records down by the baseline feature; the decision mix is the target's variable", async () => {
    const o = await overview([fixture.csv], dict);
    expect([o.time.name, o.by.name, o.decision.name]).toEqual(["assessed_on", "priors_band", "reoffended_2y"]);
    expect(o.rows).toBe(fixture.rows.length);
    expect(o.decisions.reduce((a, d) => a + d.n, 0)).toBe(fixture.rows.length);
    expect(o.target).toEqual({name: "reoffended", label: "Reoffended within two years", variable: "reoffended_2y", positive: ["yes"]});
    expect(JSON.stringify(o)).not.toMatch(MASH);
  });

  it("the public scan's identifiers are this dictionary's: the assessment reference", () => {
    expect(identifierVariables(dict).map((v) => v.name)).toEqual(["case_ref"]);
  });
});
