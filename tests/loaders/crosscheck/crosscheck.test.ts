// crosscheckData on a small generated warehouse: no model of the default target
// (information sharing) → {model: null}; with one, the views count every test and pilot
// contact once, and the disagreement queue is bounded, ranked as documented (1 − score
// when staff shared, the score when they did not; ties by contact id), agrees with the
// warehouse, and shows contact ids but never a child's, household's or screener's id,
// nor a variable that is not a model feature (protected attributes included). Names and
// labels come from the dictionary's roles and targets.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {miniProject, SMALL_YEAR, TINY_MLP, type MiniProject} from "../../fixtures/mini-project.ts";
import {columnLabel, crosscheckData} from "../../../loaders/crosscheck/crosscheck.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary, type Dictionary} from "../../../loaders/dictionary.ts";
import {featureVariables, historyFeatures} from "../../../loaders/train/dataset.ts";
import {DEFAULT_CONFIG, train} from "../../../loaders/train/train.ts";
import {newestModel, predictionsFile, readFeatures, readMetrics} from "../../../loaders/registry.ts";

type Crosscheck = Extract<Awaited<ReturnType<typeof crosscheckData>>, {n: number}>;
let project: MiniProject;
let dict: Dictionary;
let cc: Crosscheck; // the logistic model, default queue
let full: Crosscheck; // the logistic model, every contact queued
let mlp: Crosscheck;
let warehouse: {
  contact_id: string;
  child_id: string;
  household_id: string;
  screener_id: string;
  contact_datetime: string;
  mash_decision: string | null;
  rag_rating: string | null;
  referral_source: string | null;
  primary_concern: string | null;
}[];
const dirs = {logistic: "", mlp: "", otherTarget: ""};
const run = (options: Parameters<typeof crosscheckData>[2]) =>
  withDuckDB((db) => crosscheckData(db, dict, options), project.warehouse, {readOnly: true});

beforeAll(async () => {
  project = await miniProject({...SMALL_YEAR, seed: 12, contacts: 4000, models: [{model: "logistic", includeProtected: true}]});
  dict = loadDictionary(project.dictionary);
  dirs.logistic = project.modelsDir;
  const more = async (name: string, config: Partial<typeof DEFAULT_CONFIG>) => {
    await train(
      {...DEFAULT_CONFIG, split: SMALL_YEAR.split, ...config},
      {db: project.warehouse, modelsDir: join(project.root, name), reviews: project.reviews},
    );
    return join(project.root, name);
  };
  dirs.mlp = await more("models-mlp", {model: "mlp", mlp: {...DEFAULT_CONFIG.mlp, ...TINY_MLP}});
  dirs.otherTarget = await more("models-rag", {target: "rag_red"});
  cc = (await run({dir: dirs.logistic})) as Crosscheck;
  full = (await run({dir: dirs.logistic, queueSize: 100_000})) as Crosscheck;
  mlp = (await run({dir: dirs.mlp, queueSize: 40})) as Crosscheck;
  warehouse = (await withDuckDB(
    (db) =>
      queryRows(
        db,
        `SELECT contact_id, child_id, household_id, screener_id, strftime(contact_datetime, '%Y-%m-%d %H:%M:%S') AS contact_datetime,
    CAST(mash_decision AS VARCHAR) AS mash_decision, CAST(rag_rating AS VARCHAR) AS rag_rating, CAST(referral_source AS VARCHAR) AS referral_source, CAST(primary_concern AS VARCHAR) AS primary_concern FROM contacts`,
      ),
    project.warehouse,
    {readOnly: true},
  )) as typeof warehouse;
}, 120_000);
afterAll(() => project?.remove());

describe("crosscheckData without an information-sharing model", () => {
  it("returns {model: null} for an empty or missing models folder, and for models of other targets only", async () => {
    const none = {
      model: null,
      target: {name: "info_sharing", label: "Staff shared information", definition: dict.targets.info_sharing.definition},
    };
    expect(await run({dir: join(project.root, "no-models-here")})).toEqual(none);
    expect(newestModel("rag_red", dirs.otherTarget)).not.toBeNull();
    expect(await run({dir: dirs.otherTarget})).toEqual(none);
  });
});

describe("crosscheckData with a logistic model", () => {
  it("uses the newest information-sharing model and counts its test and pilot contacts", () => {
    const m = newestModel("info_sharing", dirs.logistic)!;
    expect(cc.model).toEqual({id: m.id, kind: "logistic"});
    const split = (readMetrics(m.dir) as unknown as {split: Record<string, number>}).split;
    expect(cc.splits).toEqual({test: split.test, pilot: split.pilot});
    expect(cc.n).toBe(split.test + split.pilot);
  });

  it("bounds the queue by queueSize (300 by default) and ranks it by disagreement, ties by contact id", async () => {
    expect(cc.n).toBeGreaterThan(300);
    expect(cc.queue).toHaveLength(300);
    expect(full.queue).toHaveLength(cc.n);
    expect(new Set(full.queue.map((q) => q.record_id)).size).toBe(cc.n);
    const small = (await run({dir: dirs.logistic, queueSize: 7})) as Crosscheck;
    expect(small.queue.map((q) => q.record_id)).toEqual(full.queue.slice(0, 7).map((q) => q.record_id));
    expect(cc.queue.map((q) => q.record_id)).toEqual(full.queue.slice(0, 300).map((q) => q.record_id));
    expect(cc.directions).toEqual({
      positiveLow: "Staff shared information: yes, model low",
      negativeHigh: "Staff shared information: no, model high",
    });
    full.queue.forEach((q, k) => {
      expect(q.disagreement).toBe(q.y === 1 ? 1 - q.score : q.score);
      expect(q.direction).toBe(q.y === 1 ? cc.directions.positiveLow : cc.directions.negativeHigh);
      if (k === 0) return;
      const prev = full.queue[k - 1];
      expect(prev.disagreement >= q.disagreement, `rank ${k}`).toBe(true);
      if (prev.disagreement === q.disagreement) expect(prev.record_id.localeCompare(q.record_id)).toBeLessThan(0);
    });
  });

  it("queues test and pilot contacts with the model's scores and the warehouse's decisions", () => {
    const saved = new Map(
      readFileSync(predictionsFile(newestModel("info_sharing", dirs.logistic)!.dir), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(","))
        .map((f) => [f[0], Number(f[3])]),
    );
    const byId = new Map(warehouse.map((r) => [r.contact_id, r]));
    const {pilotFrom, pilotTo} = SMALL_YEAR.split;
    expect(full.queue.filter((q) => q.split === "test").length).toBe(cc.splits.test);
    expect(cc.columns).toEqual(["mash_decision", "rag_rating"]); // the decision role and each target's variable
    for (const q of full.queue) {
      const w = byId.get(q.record_id)!;
      expect(q.time).toBe(w.contact_datetime);
      expect(q.decision).toBe(w.mash_decision);
      expect(q.y).toBe(w.mash_decision === "info_sharing" ? 1 : 0);
      expect(q.values).toEqual({mash_decision: w.mash_decision, rag_rating: w.rag_rating});
      expect(q.baseline).toBe(w.referral_source);
      if (q.split === "test") expect(q.score).toBe(saved.get(q.record_id));
      else expect(q.split === "pilot" && q.time.slice(0, 10) >= pilotFrom! && q.time.slice(0, 10) <= pilotTo!).toBe(true);
      expect(q.band).toBeGreaterThanOrEqual(1);
      expect(q.band).toBeLessThanOrEqual(20);
    }
  });

  it("shows each queued contact's model features only — no protected attribute, even for a model trained on them — and its top five factors", () => {
    const model = newestModel("info_sharing", dirs.logistic)!;
    expect(readFeatures(model.dir).columns.some((c) => c.variable === "gender")).toBe(true); // the model uses them
    const shown = featureVariables(dict).map((v) => v.name);
    const hidden = dict.variables.filter((v) => v.role !== "feature").map((v) => v.name);
    const columns = new Set(readFeatures(model.dir).columns.map((c) => c.name));
    const labels = new Map(readFeatures(model.dir).columns.map((c) => [c.name, columnLabel(dict, c, historyFeatures(dict))]));
    expect(labels.get("referral_source=police")).toBe("Who made the contact: Police");
    expect(labels.get("concerns∋neglect")).toBe("Concerns includes Neglect");
    expect(labels.get("age_years")).toBe("Age (years)");
    expect(labels.get("hist_person_records_12m")).toBe("records about the same child in the 365 days before (counted in the warehouse)");
    // The page's labels: roles, and every variable it names with its codes' labels.
    expect(cc.roles).toEqual({
      record: "contact_id",
      person: "child_id",
      group: "household_id",
      time: "contact_datetime",
      decision: "mash_decision",
      baseline: "referral_source",
    });
    expect(cc.variables.mash_decision).toMatchObject({label: "MASH decision", codes: {info_sharing: "Multi-agency information sharing"}});
    expect(cc.variables.contact_id).toEqual({label: "Contact", codes: {}});
    for (const q of cc.queue) {
      expect(Object.keys(q.features)).toEqual(shown);
      for (const name of hidden) expect(q.features).not.toHaveProperty(name);
      expect(q.factors.length).toBeGreaterThan(0);
      expect(q.factors.length).toBeLessThanOrEqual(5);
      q.factors.forEach((f, k) => {
        expect(columns.has(f.name), f.name).toBe(true);
        expect(f.label).toBe(labels.get(f.name));
        expect(f.value).not.toBe(0);
        if (k > 0) expect(Math.abs(f.value)).toBeLessThanOrEqual(Math.abs(q.factors[k - 1].value));
      });
    }
  });

  it("names no child, household or screener anywhere, and no contact outside the queue", () => {
    const seen = new Set([...JSON.stringify(cc).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]));
    const queued = new Set(cc.queue.map((q) => q.record_id));
    const leaked = warehouse
      .flatMap((r) => [r.child_id, r.household_id, r.screener_id, ...(queued.has(r.contact_id) ? [] : [r.contact_id])])
      .filter((v) => seen.has(v));
    expect(leaked).toEqual([]);
  });

  it("lists up to five earlier contacts of the child, newest first, each before the queued contact", () => {
    const byChild = new Map<string, string[]>();
    for (const r of warehouse) byChild.set(r.child_id, [...(byChild.get(r.child_id) ?? []), r.contact_datetime]);
    const childOf = new Map(warehouse.map((r) => [r.contact_id, r.child_id]));
    let withHistory = 0;
    for (const q of cc.queue) {
      const earlier = byChild.get(childOf.get(q.record_id)!)!.filter((t) => t < q.time);
      const history = q.history!;
      expect(history.earlier).toHaveLength(Math.min(5, earlier.length));
      expect(history.earlier.map((e) => e.time)).toEqual(
        earlier
          .sort()
          .reverse()
          .slice(0, 5)
          .map((t) => t.slice(0, 10)),
      );
      expect(history.earlier.length).toBeGreaterThanOrEqual(Math.min(5, Number(history.person)));
      for (const e of history.earlier) expect(Object.keys(e).sort()).toEqual(["baseline", "decision", "time"]);
      if (earlier.length) withHistory++;
    }
    expect(withHistory).toBeGreaterThan(0);
  });

  it("counts every evaluated contact once in the band, source and concern views, with Wilson intervals, as the warehouse does", () => {
    const ids = new Set(full.queue.map((q) => q.record_id));
    const evaluated = warehouse.filter((r) => ids.has(r.contact_id));
    const positives = evaluated.filter((r) => r.mash_decision === "info_sharing").length;
    // The baseline feature first, then the other category features that identify no one.
    expect(cc.views.map((v) => [v.variable, v.label])).toEqual([
      ["referral_source", "Who made the contact"],
      ["primary_concern", "Main concern"],
      ["da_risk_level", "Domestic-abuse risk level"],
      ["open_case_status", "Open case"],
    ]);
    const view = (name: string) => cc.views.find((v) => v.variable === name)!.rows;
    for (const view of [cc.byBand, ...cc.views.map((v) => v.rows)]) {
      expect(view.reduce((a, d) => a + d.n, 0)).toBe(cc.n);
      expect(view.reduce((a, d) => a + d.k, 0)).toBe(positives);
      for (const d of view) {
        expect(d.rate).toBeCloseTo(d.k / d.n, 12);
        expect(d.lo <= d.rate && d.rate <= d.hi).toBe(true);
        expect(d.gap).toBeCloseTo(d.rate - d.meanScore, 12);
      }
    }
    const count = (key: "referral_source" | "primary_concern") =>
      Object.fromEntries(
        [...new Set(evaluated.map((r) => r[key] ?? "missing"))].map((v) => [
          v,
          evaluated.filter((r) => (r[key] ?? "missing") === v).length,
        ]),
      );
    expect(Object.fromEntries(view("referral_source").map((d) => [d.key, d.n]))).toEqual(count("referral_source"));
    expect(Object.fromEntries(view("primary_concern").map((d) => [d.key, d.n]))).toEqual(count("primary_concern"));
    const bands = cc.byBand.map((d) => d.band);
    expect(bands).toEqual([...new Set(bands)].sort((a, b) => a - b));
    // RAG ratings of the contacts staff shared (the target rag_red is defined among them), by band: every shared contact once.
    expect(cc.followUps.map((f) => [f.target, f.variable, f.label])).toEqual([["rag_red", "rag_rating", "RAG rating"]]);
    const rag = cc.followUps[0].byBand;
    expect(rag.reduce((a, d) => a + d.n, 0)).toBe(positives);
    for (const d of rag) expect(["red", "amber", "green", "missing"]).toContain(d.code);
  });
});

describe("crosscheckData with an MLP", () => {
  it("ranks the queue the same way and explains each contact by integrated gradients", () => {
    expect(mlp.model).toMatchObject({kind: "mlp"});
    expect(mlp.n).toBe(cc.n);
    expect(mlp.queue).toHaveLength(40);
    mlp.queue.forEach((q, k) => {
      expect(q.disagreement).toBe(q.y === 1 ? 1 - q.score : q.score);
      if (k > 0) expect(mlp.queue[k - 1].disagreement).toBeGreaterThanOrEqual(q.disagreement);
      expect(q.factors.length).toBeGreaterThan(0);
      expect(q.factors.every((f) => Number.isFinite(f.value) && f.value !== 0)).toBe(true);
    });
  });
});
