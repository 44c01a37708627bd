// crosscheckData on a small generated warehouse: no information-sharing model → {model: null};
// with one, the views count every test and pilot contact once, and the disagreement
// queue is bounded, ranked as documented (1 − score when staff shared, the score when
// they did not; ties by contact id), agrees with the warehouse, and shows contact ids
// but never a child's, household's or screener's id, nor a variable that is not a
// model feature (protected attributes included).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {miniProject, SMALL_YEAR, TINY_MLP, type MiniProject} from "../../fixtures/mini-project.ts";
import {crosscheckData} from "../../../loaders/crosscheck/crosscheck.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary, type Dictionary} from "../../../loaders/dictionary.ts";
import {featureVariables} from "../../../loaders/train/dataset.ts";
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
    expect(await run({dir: join(project.root, "no-models-here")})).toEqual({model: null});
    expect(newestModel("rag_red", dirs.otherTarget)).not.toBeNull();
    expect(await run({dir: dirs.otherTarget})).toEqual({model: null});
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
    expect(new Set(full.queue.map((q) => q.contact_id)).size).toBe(cc.n);
    const small = (await run({dir: dirs.logistic, queueSize: 7})) as Crosscheck;
    expect(small.queue.map((q) => q.contact_id)).toEqual(full.queue.slice(0, 7).map((q) => q.contact_id));
    expect(cc.queue.map((q) => q.contact_id)).toEqual(full.queue.slice(0, 300).map((q) => q.contact_id));
    full.queue.forEach((q, k) => {
      expect(q.disagreement).toBe(q.shared === 1 ? 1 - q.score : q.score);
      expect(q.direction).toBe(q.shared === 1 ? "staff shared, model low" : "staff did not share, model high");
      if (k === 0) return;
      const prev = full.queue[k - 1];
      expect(prev.disagreement >= q.disagreement, `rank ${k}`).toBe(true);
      if (prev.disagreement === q.disagreement) expect(prev.contact_id.localeCompare(q.contact_id)).toBeLessThan(0);
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
    for (const q of full.queue) {
      const w = byId.get(q.contact_id)!;
      expect(q.time).toBe(w.contact_datetime);
      expect(q.decision).toBe(w.mash_decision);
      expect(q.shared).toBe(w.mash_decision === "info_sharing" ? 1 : 0);
      expect(q.rag).toBe(w.rag_rating);
      if (q.split === "test") expect(q.score).toBe(saved.get(q.contact_id));
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
    for (const q of cc.queue) {
      expect(Object.keys(q.features)).toEqual(shown);
      for (const name of hidden) expect(q.features).not.toHaveProperty(name);
      expect(q.factors.length).toBeGreaterThan(0);
      expect(q.factors.length).toBeLessThanOrEqual(5);
      q.factors.forEach((f, k) => {
        expect(columns.has(f.name), f.name).toBe(true);
        expect(f.value).not.toBe(0);
        if (k > 0) expect(Math.abs(f.value)).toBeLessThanOrEqual(Math.abs(q.factors[k - 1].value));
      });
    }
  });

  it("names no child, household or screener anywhere, and no contact outside the queue", () => {
    const seen = new Set([...JSON.stringify(cc).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]));
    const queued = new Set(cc.queue.map((q) => q.contact_id));
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
      const earlier = byChild.get(childOf.get(q.contact_id)!)!.filter((t) => t < q.time);
      expect(q.history.earlier).toHaveLength(Math.min(5, earlier.length));
      expect(q.history.earlier.map((e) => e.time)).toEqual(
        earlier
          .sort()
          .reverse()
          .slice(0, 5)
          .map((t) => t.slice(0, 10)),
      );
      expect(q.history.earlier.length).toBeGreaterThanOrEqual(Math.min(5, Number(q.history.child)));
      for (const e of q.history.earlier) expect(Object.keys(e).sort()).toEqual(["decision", "source", "time"]);
      if (earlier.length) withHistory++;
    }
    expect(withHistory).toBeGreaterThan(0);
  });

  it("counts every evaluated contact once in the band, source and concern views, with Wilson intervals, as the warehouse does", () => {
    const ids = new Set(full.queue.map((q) => q.contact_id));
    const evaluated = warehouse.filter((r) => ids.has(r.contact_id));
    const positives = evaluated.filter((r) => r.mash_decision === "info_sharing").length;
    for (const view of [cc.byBand, cc.bySource, cc.byConcern]) {
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
    expect(Object.fromEntries(cc.bySource.map((d) => [d.key, d.n]))).toEqual(count("referral_source"));
    expect(Object.fromEntries(cc.byConcern.map((d) => [d.key, d.n]))).toEqual(count("primary_concern"));
    const bands = cc.byBand.map((d) => d.band);
    expect(bands).toEqual([...new Set(bands)].sort((a, b) => a - b));
    // RAG ratings of the contacts staff shared, by band: every shared contact once.
    expect(cc.ragByBand.reduce((a, d) => a + d.n, 0)).toBe(positives);
    for (const d of cc.ragByBand) expect(["red", "amber", "green", "missing"]).toContain(d.rag);
  });
});

describe("crosscheckData with an MLP", () => {
  it("ranks the queue the same way and explains each contact by integrated gradients", () => {
    expect(mlp.model).toMatchObject({kind: "mlp"});
    expect(mlp.n).toBe(cc.n);
    expect(mlp.queue).toHaveLength(40);
    mlp.queue.forEach((q, k) => {
      expect(q.disagreement).toBe(q.shared === 1 ? 1 - q.score : q.score);
      if (k > 0) expect(mlp.queue[k - 1].disagreement).toBeGreaterThanOrEqual(q.disagreement);
      expect(q.factors.length).toBeGreaterThan(0);
      expect(q.factors.every((f) => Number.isFinite(f.value) && f.value !== 0)).toBe(true);
    });
  });
});
