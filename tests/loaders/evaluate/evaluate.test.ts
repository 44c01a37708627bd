// evaluateModel on a small generated warehouse with a logistic model and a tiny MLP
// trained by `train`: every figure with its n and an interval around it, the
// registry check against predictions.internal.csv (and that it notices a change),
// recalibration fitted on validation contacts only, the per-contact columns, by
// quarter, drift and explanations; and the pure helpers on inline fixtures.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {cpSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {miniProject, SMALL_YEAR, type MiniProject} from "../../fixtures/mini-project.ts";
import {evaluateModel, groupingVariables, summary} from "../../../loaders/evaluate/evaluate.ts";
import {quarterOf} from "../../../src/lib/splits.ts";
import {openRegistered} from "../../../loaders/evaluate/registered.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary, type Dictionary} from "../../../loaders/dictionary.ts";
import {listModels, predictionsFile, readMetrics} from "../../../loaders/registry.ts";
import {train, DEFAULT_CONFIG} from "../../../loaders/train/train.ts";
import {applyIsotonic, fitIsotonic, fitPlatt} from "../../../src/lib/calibration.ts";
import {brier, seedFromText, SUMMARY_STATISTICS} from "../../../src/lib/metrics.ts";
import {seenSplit} from "../../../src/lib/eval-view.ts";
import {toCsv} from "../../../src/lib/reviews.ts";

type Evaluation = Awaited<ReturnType<typeof evaluateModel>>;
type Rows = Awaited<ReturnType<typeof openRegistered>>["data"]["rows"];

/** Contacts of the test period whose child has a contact in the training or validation period (from dates and children alone). */
function seenInTestPeriod(rows: Rows): Rows {
  const {validFrom, testFrom, pilotFrom} = SMALL_YEAR.split;
  const day = (r: Rows[number]) => String(r._time).slice(0, 10);
  const earlier = new Set(rows.filter((r) => day(r) < testFrom).map((r) => String(r._person)));
  expect(rows.some((r) => day(r) >= validFrom && day(r) < testFrom)).toBe(true);
  return rows.filter((r) => day(r) >= testFrom && day(r) < pilotFrom! && earlier.has(String(r._person)));
}

const isEstimate = (o: Record<string, unknown>) =>
  "value" in o || typeof o.rate === "number" || o.rate === null || ("lo" in o && "hi" in o);
/** Paths of objects that look like an estimate (a value, a rate, or lo/hi) but lack a finite n, lo and hi, and give no `why`. */
function estimatesWithoutInterval(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => estimatesWithoutInterval(v, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  const o = value as Record<string, unknown>;
  const here =
    isEstimate(o) && typeof o.why !== "string" && ![o.n, o.lo, o.hi].every((x) => typeof x === "number" && Number.isFinite(x))
      ? [path.replace(/^\./, "")]
      : [];
  return [...here, ...Object.entries(o).flatMap(([k, v]) => estimatesWithoutInterval(v, `${path}.${k}`))];
}
function countEstimates(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((a: number, v) => a + countEstimates(v), 0);
  if (!value || typeof value !== "object") return 0;
  const o = value as Record<string, unknown>;
  return (isEstimate(o) ? 1 : 0) + Object.values(o).reduce((a: number, v) => a + countEstimates(v), 0);
}
let project: MiniProject;
let dict: Dictionary;
const evaluations = new Map<string, Evaluation>();
const onWarehouse = <T>(work: Parameters<typeof withDuckDB<T>>[0]) => withDuckDB(work, project.warehouse, {readOnly: true});
const model = (kind: string) => listModels(project.modelsDir).find((m) => m.card.model === kind)!;
/** Every quoted string in a JSON text (to look for identifiers without scanning it once per id). */
const strings = (value: unknown) => new Set([...JSON.stringify(value).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]));
const predictions = (dir: string) =>
  new Map(
    readFileSync(predictionsFile(dir), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","))
      .map((f) => [f[0], {y: Number(f[2]), score: Number(f[3])}]),
  );

beforeAll(async () => {
  project = await miniProject({...SMALL_YEAR, seed: 11, contacts: 4000, models: [{model: "logistic"}, {model: "mlp"}]});
  dict = loadDictionary(project.dictionary);
  for (const kind of ["logistic", "mlp"]) evaluations.set(kind, await onWarehouse((db) => evaluateModel(model(kind).dir, db, dict)));
}, 120_000);
afterAll(() => project?.remove());

describe.each(["logistic", "mlp"])("evaluateModel (%s)", (kind) => {
  it("reports the model's test metrics with n, an interval around each value and the trivial baseline beside them", () => {
    const e = evaluations.get(kind)!;
    const saved = readMetrics(model(kind).dir) as unknown as {
      split: Record<string, number>;
      test: {n: number; positives: number; auc: {value: number}};
      validation: {n: number};
    };
    expect(e.id).toBe(model(kind).id);
    expect(e.model).toBe(kind);
    expect(e.split.test).toBe(saved.split.test);
    expect(e.test.n).toBe(saved.test.n);
    expect(e.test.n).toBe(e.split.test);
    expect(e.test.positives).toBe(saved.test.positives);
    expect(e.validation.n).toBe(saved.validation.n);
    expect(e.test.auc.value).toBeCloseTo(saved.test.auc.value, 9); // the same scores as at training
    for (const part of [e.test, e.validation]) {
      expect(part.prevalence).toBeCloseTo(part.positives / part.n, 12);
      expect(part.baselineBrier).toBeCloseTo(part.prevalence * (1 - part.prevalence), 12);
      for (const name of ["auc", "averagePrecision", "brier", "ece"] as const) {
        const m = part[name];
        expect(m.n, name).toBe(part.n);
        expect(m.hi, name).toBeGreaterThan(m.lo);
        // ECE is biased upwards (noise adds to every bin's gap), so its bootstrap percentiles can sit
        // wholly above the estimate; the page reads it against its noise floor instead.
        if (name === "ece") continue;
        expect(m.lo, `${name} lower bound`).toBeLessThanOrEqual(m.value);
        expect(m.hi, `${name} upper bound`).toBeGreaterThanOrEqual(m.value);
      }
    }
    // The model beats both baselines: the trivial Brier score and the one-variable (referral source) model.
    expect(e.test.brier.value).toBeLessThan(e.test.baselineBrier);
    expect(e.baselines.prevalence.auc).toBe(0.5);
    // (registry.ts types a baseline's auc as a number; train writes an estimate {value, lo, hi, n})
    expect((e.baselines.oneVariable.auc as unknown as {value: number}).value).toBeLessThan(e.test.auc.value);
  });

  it("scores the test contacts exactly as predictions.internal.csv records them", () => {
    const e = evaluations.get(kind)!;
    expect(e.registryMaxDiff).toBe(0);
    const saved = predictions(model(kind).dir);
    const test = e.contacts.split.flatMap((s, i) => (s === "test" ? [i] : []));
    expect(test.length).toBe(saved.size);
    for (const i of test) {
      const row = saved.get(e.contacts.ids[i]);
      expect(row, e.contacts.ids[i]).toBeDefined();
      expect(e.contacts.y[i]).toBe(row!.y);
      expect(Math.abs(e.contacts.score[i] - row!.score)).toBeLessThan(1e-8); // the page's scores keep 9 significant digits
    }
  });

  it("fits Platt and isotonic recalibration on the validation contacts only", async () => {
    const e = evaluations.get(kind)!;
    expect(e.recalibrated.fittedOn).toEqual({split: "valid", n: e.validation.n});
    const m = await onWarehouse(async (db) => {
      const r = await openRegistered(db, dict, model(kind).dir);
      try {
        const y = (rows: typeof r.data.rows) => Float64Array.from(rows, (row) => Number(row._y));
        const [valid, test] = [r.pick("valid"), r.pick("test")];
        return {sv: r.score(valid).scores, yv: y(valid), st: r.score(test).scores, yt: y(test)};
      } finally {
        r.dispose();
      }
    });
    const judged = (f: (s: number) => number) => brier(Float64Array.from(m.st, f), m.yt);
    const iso = fitIsotonic(m.sv, m.yv);
    expect(e.recalibrated.platt.brier.value).toBeCloseTo(judged(fitPlatt(m.sv, m.yv)), 12);
    expect(e.recalibrated.isotonic.brier.value).toBeCloseTo(
      judged((s) => applyIsotonic(iso, s)),
      12,
    );
    // Fitted on the test contacts instead, isotonic would look better than it is: the two differ.
    const cheat = fitIsotonic(m.st, m.yt);
    expect(judged((s) => applyIsotonic(cheat, s))).toBeLessThan(e.recalibrated.isotonic.brier.value);
    for (const r of [e.recalibrated.platt, e.recalibrated.isotonic]) expect(r.reliability.reduce((a, b) => a + b.n, 0)).toBe(e.test.n);
  });

  it("gives the pages test and pilot contacts only, as columns of one length, with bands 1–20 that rise with the score", () => {
    const e = evaluations.get(kind)!;
    const c = e.contacts;
    expect(Object.keys(c).sort()).toEqual(["band", "day", "household", "ids", "score", "split", "y"]);
    const n = e.split.test + e.split.pilot;
    for (const col of Object.values(c)) expect(col).toHaveLength(n);
    expect(c.split.filter((s) => s === "test")).toHaveLength(e.split.test);
    expect(new Set(c.split)).toEqual(new Set(["test", "pilot"]));
    expect(new Set(c.ids).size).toBe(n);
    const {testFrom, pilotFrom, pilotTo} = SMALL_YEAR.split;
    c.day.forEach((d, i) =>
      expect(c.split[i] === "pilot" ? d >= pilotFrom! && d <= pilotTo! : d >= testFrom && d < pilotFrom!, `${c.split[i]} on ${d}`).toBe(
        true,
      ),
    );
    expect(c.y.filter((y, i) => c.split[i] === "test" && y === 1)).toHaveLength(e.test.positives);
    const order = c.score.map((_, i) => i).sort((a, b) => c.score[a] - c.score[b]);
    order.forEach((i, k) => {
      expect(c.band[i]).toBeGreaterThanOrEqual(1);
      expect(c.band[i]).toBeLessThanOrEqual(20);
      if (k > 0) expect(c.band[i]).toBeGreaterThanOrEqual(c.band[order[k - 1]]);
    });
    expect(c.household.every(Number.isFinite)).toBe(true);
    expect(c.household.some((h) => h !== 0)).toBe(true); // household history is a model input
  });

  it("names no contact, child or household anywhere outside contacts.ids, and contacts.ids only holds evaluated contacts", async () => {
    const e = evaluations.get(kind)!;
    const ids = await onWarehouse((db) => queryRows(db, `SELECT contact_id, child_id, household_id FROM contacts`));
    const {contacts, ...rest} = e;
    const seen = strings({...rest, contacts: {...contacts, ids: undefined}});
    const leaked = ids.flatMap((r) => [r.contact_id, r.child_id, r.household_id]).filter((v) => seen.has(String(v)));
    expect(leaked).toEqual([]);
    const evaluated = await onWarehouse(async (db) => {
      const r = await openRegistered(db, dict, model(kind).dir);
      r.dispose();
      return new Set([...r.pick("test"), ...r.pick("pilot")].map((row) => String(row._id)));
    });
    expect(new Set(contacts.ids)).toEqual(evaluated);
  });

  it("carries the test period's contacts of children already in training or validation (found here from the children alone), scored, without ids", async () => {
    const e = evaluations.get(kind)!;
    const expected = await onWarehouse(async (db) => {
      const r = await openRegistered(db, dict, model(kind).dir);
      try {
        const rows = seenInTestPeriod(r.data.rows);
        return {rows, scores: Array.from(r.score(rows).scores)};
      } finally {
        r.dispose();
      }
    });
    const p = e.testPeriod;
    const seen = p.seenContacts;
    expect(seen.split).toBe(seenSplit("test"));
    expect(expected.rows.length).toBeGreaterThan(0);
    expect(seen.day).toEqual(expected.rows.map((r) => String(r._time).slice(0, 10)));
    expect(seen.y).toEqual(expected.rows.map((r) => Number(r._y)));
    seen.score.forEach((s, i) => expect(Math.abs(s - expected.scores[i])).toBeLessThan(1e-8));
    for (const b of seen.band) expect(b >= 1 && b <= 20).toBe(true);
    // The period's figures: test set + seen contacts, with the rate staff shared in each part.
    expect(p.test.n).toBe(e.test.n);
    expect(p.seen.n).toBe(expected.rows.length);
    expect(p.n).toBe(p.test.n + p.seen.n);
    const testDays = e.contacts.day.filter((_, i) => e.contacts.split[i] === "test");
    const days = new Set([...testDays, ...seen.day]).size;
    expect(p.days).toBe(days);
    expect(p.perDay).toBeCloseTo(p.n / days, 12);
    expect(p.test.perDay).toBeCloseTo(e.test.n / days, 12);
    const sharedSeen = seen.y.filter((y) => y === 1).length;
    expect(p.seen.rate.value).toBeCloseTo(sharedSeen / p.seen.n, 12);
    expect(p.rate.value).toBeCloseTo((sharedSeen + e.test.positives) / p.n, 12);
  });

  it("metrics.json's test and validation figures equal the evaluation's exactly: one bootstrap per model, seeded by its id", () => {
    const e = evaluations.get(kind)!;
    const saved = readMetrics(model(kind).dir) as unknown as Record<"test" | "validation", Record<string, unknown>> & {
      baselines: {oneVariable: {bootstrap: {seed: number}}};
    };
    const seed = seedFromText(model(kind).id);
    // Reused from metrics.json (training computed them from these very scores), and a fresh bootstrap agrees.
    expect(e.summariesFromTraining).toEqual({test: true, validation: true});
    const csv = [...predictions(model(kind).dir).values()];
    const fresh = summary(
      Float64Array.from(csv, (r) => r.score),
      Float64Array.from(csv, (r) => r.y),
      seed,
    );
    expect(JSON.parse(JSON.stringify(fresh))).toEqual(JSON.parse(JSON.stringify(e.test)));
    for (const part of ["test", "validation"] as const) {
      for (const name of SUMMARY_STATISTICS) expect(e[part][name], `${part} ${name}`).toEqual(saved[part][name]);
      expect(e[part].eceNoiseFloor).toEqual(saved[part].eceNoiseFloor);
      expect(e[part].bootstrap).toEqual({...(saved[part].bootstrap as object), seed});
    }
    // The one-variable baseline was resampled with the same seed: the same draws of the same test contacts.
    expect(saved.baselines.oneVariable.bootstrap.seed).toBe(seed);
    // The recalibrated scores too, from the same resamples. Each interval holds its value, but for the ECE:
    // near perfect calibration resampling adds its own noise, so the ECE's interval may sit above it (the noise floor).
    for (const r of [e.recalibrated.platt, e.recalibrated.isotonic]) {
      expect(r.bootstrap.seed).toBe(seed);
      for (const name of ["brier", "slope", "intercept", "calibrationInTheLarge"] as const)
        expect(r[name].lo <= r[name].value && r[name].value <= r[name].hi, name).toBe(true);
      expect(r.ece.lo).toBeLessThan(r.ece.hi);
      expect(r.ece.lo).toBeLessThan(2 * r.eceNoiseFloor.p95);
    }
  });

  it("every estimate on the Performance page's data carries its n and a 95% interval, or says why not", () => {
    const e = evaluations.get(kind)!;
    const {test, validation, baselines, reliability, recalibrated, byQuarter} = e;
    const {seenContacts, ...testPeriod} = e.testPeriod;
    expect(seenContacts.day.length).toBe(testPeriod.seen.n); // per-contact columns, not estimates
    const missing = estimatesWithoutInterval({test, validation, baselines, reliability, recalibrated, byQuarter, testPeriod});
    expect(missing).toEqual([]);
    // and the walk does find estimates (a walker that found none would pass anything)
    expect(countEstimates({test, validation, baselines, reliability, recalibrated, byQuarter, testPeriod})).toBeGreaterThan(60);
    expect(estimatesWithoutInterval({a: {value: 0.5, n: 10}, b: {value: 0.5, lo: 0.4, hi: 0.6}, c: {value: 1, why: "a count"}})).toEqual([
      "a",
      "b",
    ]);
  });

  it("splits validation, test and pilot contacts by quarter, each quarter counted once", () => {
    const e = evaluations.get(kind)!;
    const quarters = e.byQuarter.map((q) => q.quarter);
    expect(quarters).toEqual([...new Set(quarters)].sort());
    expect(quarters).toEqual(["2016-Q3", "2016-Q4"]);
    expect(e.byQuarter.reduce((a, q) => a + q.n, 0)).toBe(e.split.valid + e.split.test + e.split.pilot);
    for (const q of e.byQuarter) {
      expect(q.observed).toBeCloseTo(q.positives / q.n, 12);
      // observed − mean score, with a bootstrap interval around it
      expect(q.observedMinusPredicted.value).toBeCloseTo(q.observed - q.meanScore, 12);
      expect(q.observedMinusPredicted.n).toBe(q.n);
      expect(q.observedMinusPredicted.lo).toBeLessThan(q.observedMinusPredicted.value);
      expect(q.observedMinusPredicted.hi).toBeGreaterThan(q.observedMinusPredicted.value);
      expect(q.meanScore).toBeGreaterThan(0);
      expect(q.meanScore).toBeLessThan(1);
      expect(q.auc.n).toBe(q.n);
      expect(q.auc.lo).toBeLessThanOrEqual(q.auc.value);
      expect(q.auc.hi).toBeGreaterThanOrEqual(q.auc.value);
    }
    expect(e.byQuarter[0].split).toBe("valid");
  });

  it("measures drift against the training contacts for every later contact, per input variable", () => {
    const e = evaluations.get(kind)!;
    expect(e.drift.trainN).toBe(e.split.train);
    const later = e.split.valid + e.split.test + e.split.pilot + e.split.excluded;
    const byVariable = new Map<string, number>();
    for (const r of e.drift.rows) {
      expect(r.psi).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(r.psi)).toBe(true);
      expect(r.quarter >= quarterOf(SMALL_YEAR.split.validFrom)).toBe(true);
      byVariable.set(r.variable, (byVariable.get(r.variable) ?? 0) + r.n);
    }
    expect(byVariable.size).toBeGreaterThan(5);
    for (const [variable, n] of byVariable) expect(n, variable).toBe(later);
    expect(byVariable.has("referral_source")).toBe(true);
    expect([...byVariable.keys()].some((v) => v.startsWith("concerns"))).toBe(true); // each concern on its own
  });

  it("explains the model: one importance per input variable on the test contacts, and nine examples whose contributions add up", () => {
    const e = evaluations.get(kind)!;
    const x = e.explanations;
    expect(x.n).toBe(e.test.n);
    const variables = [...new Set(x.dependence.map((d) => d.variable))];
    expect(x.importance.map((i) => i.name)).toEqual(variables);
    for (const i of x.importance) expect(i.n).toBe(e.test.n);
    for (const d of x.dependence) for (const pt of d.points) expect(pt.mean > 0 && pt.mean < 1).toBe(true);
    if (kind === "logistic") {
      expect(x.coefficients!.n).toBe(e.split.train);
      for (const c of x.coefficients!.rows) expect(c.lo <= c.value && c.value <= c.hi, c.name).toBe(true);
    } else {
      expect(x.coefficients).toBeNull();
    }
    const ex = e.examples.contacts;
    expect(ex.map((c) => c.decile)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    ex.forEach((c, k) => k > 0 && expect(c.score).toBeGreaterThanOrEqual(ex[k - 1].score));
    // Exact for the logistic model; integrated gradients (64 steps) come close for the MLP.
    for (const c of ex) expect(Math.abs(c.sumCheck)).toBeLessThan(kind === "logistic" ? 1e-5 : 0.05);
    for (const c of ex) {
      expect(c.factors.length).toBeLessThanOrEqual(10);
      c.factors.forEach((f, k) => k > 0 && expect(Math.abs(f.value)).toBeLessThanOrEqual(Math.abs(c.factors[k - 1].value)));
    }
  });
});

describe("the registry check", () => {
  it("notices a test score that no longer matches predictions.internal.csv", async () => {
    const copy = join(project.root, "tampered", model("logistic").id);
    cpSync(model("logistic").dir, copy, {recursive: true});
    const lines = readFileSync(predictionsFile(copy), "utf8").trim().split("\n");
    const f = lines[1].split(",");
    f[3] = String(Number(f[3]) + 0.25 * (Number(f[3]) < 0.5 ? 1 : -1));
    lines[1] = f.join(",");
    writeFileSync(predictionsFile(copy), lines.join("\n") + "\n");
    // A summary whose key does not match the scores is bootstrapped again, never reused.
    const metricsFile = join(copy, "metrics.json");
    const saved = JSON.parse(readFileSync(metricsFile, "utf8"));
    const auc = saved.test.auc.value;
    writeFileSync(
      metricsFile,
      JSON.stringify({
        ...saved,
        test: {...saved.test, auc: {...saved.test.auc, value: -1}},
        summaryKeys: {...saved.summaryKeys, test: "stale"},
      }),
    );
    const e = await onWarehouse((db) => evaluateModel(copy, db, dict, {importanceRepeats: 1}));
    expect(e.registryMaxDiff).toBeCloseTo(0.25, 6);
    expect(e.summariesFromTraining).toEqual({test: false, validation: true});
    expect(e.test.auc.value).toBe(auc);
  });

  // train leaves out contacts marked as data errors in review files and records them in
  // card.json; the evaluation must leave out the same ones (or its test set differs).
  it("evaluates a model trained without data-error contacts on the same test contacts", async () => {
    const testIds = [...predictions(model("logistic").dir).keys()].slice(0, 2);
    const reviews = join(project.root, "reviews-with-errors");
    mkdirSync(reviews);
    const row = (record_id: string) => ({
      session_date: "2026-11-26",
      reviewer_roles: ["analyst"],
      record_id,
      verdict: "data_error" as const,
      reason: "recording_error" as const,
      variable: "",
      note: "",
      recorded_at: "t",
    });
    writeFileSync(join(reviews, "2026-11-26-a.csv"), toCsv(testIds.map(row)));
    const trained = await train(
      {...DEFAULT_CONFIG, split: SMALL_YEAR.split},
      {db: project.warehouse, modelsDir: join(project.root, "models-without-errors"), reviews},
    );
    const e = await onWarehouse((db) => evaluateModel(trained.dir, db, dict, {importanceRepeats: 1}));
    expect(e.test.n).toBe((trained.metrics as {test: {n: number}}).test.n);
    expect(e.registryMaxDiff).toBe(0);
  });
});

describe("helpers", () => {
  it("quarterOf names the calendar quarter of a day or a time", () => {
    expect(["2016-01-01", "2016-03-31 23:59:59", "2016-04-01", "2016-09-30", "2016-10-01", "2016-12-31"].map(quarterOf)).toEqual([
      "2016-Q1",
      "2016-Q1",
      "2016-Q2",
      "2016-Q3",
      "2016-Q4",
      "2016-Q4",
    ]);
  });

  it("groupingVariables offers the dictionary's protected categories, then referral source", () => {
    const g = groupingVariables(dict);
    const protectedCategories = dict.variables.filter((v) => v.role === "protected" && v.type === "category").map((v) => v.name);
    expect(protectedCategories.length).toBeGreaterThan(0);
    expect(g.map((v) => v.name)).toEqual([...protectedCategories, "referral_source"]);
    expect(g.map((v) => v.protected)).toEqual([...protectedCategories.map(() => true), false]);
    expect(g.map((v) => v.name)).not.toContain("disability"); // protected, but boolean
  });

  it("summary counts, rates a perfect ranking at AUC 1 and a reversed one at 0, beside the trivial Brier score", () => {
    const y = Float64Array.from([0, 0, 0, 1, 0, 1, 1, 0, 0, 1]);
    const perfect = summary(
      Float64Array.from(y, (v, i) => (v ? 0.6 + i / 100 : 0.1 + i / 100)),
      y,
      1,
    );
    expect(perfect).toMatchObject({n: 10, positives: 4, prevalence: 0.4});
    expect(perfect.auc.value).toBe(1);
    expect(perfect.baselineBrier).toBeCloseTo(0.24, 12);
    expect(perfect.brier.value).toBeLessThan(perfect.baselineBrier);
    const reversed = summary(
      Float64Array.from(y, (v, i) => (v ? 0.1 + i / 100 : 0.6 + i / 100)),
      y,
      1,
    );
    expect(reversed.auc.value).toBe(0);
    expect(reversed.brier.value).toBeGreaterThan(reversed.baselineBrier);
  });
});
