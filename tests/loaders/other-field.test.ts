// Issue 18: the dictionary is the whole contract. A synthetic risk-assessment table from
// another field (tests/fixtures/other-field.ts: no MASH column, roles record / event_time /
// baseline_feature only, one target, no split) goes through the real pipeline — ingest,
// train (logistic, tfjs wasm), evaluate the model and the existing score column, and the
// evaluation pages' data (computeEvaluation) — with real DuckDB. Checks:
// (1) every step runs on the fixture's columns alone, and nothing it writes names a MASH
//     variable; (2) the existing score's false positive and false negative rates by group at
//     decile ≥ 7, through the pages' own code path (computeEvaluation's contacts + eval-view +
//     fairness), equal a direct count over the fixture's test rows; (3) the model's test AUC
//     is above 0.5, with its n and interval, and agrees with a direct computation; (4) the
//     fairness table runs by race_group and by sex (and their intersection).
// computeEvaluation reads the warehouse at its default place, so the project's root becomes
// the working directory first and every loader is imported after that (see mini-project.ts).
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdirSync, mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join, resolve} from "node:path";
import {parse} from "yaml";
import {OTHER_FIELD_COLUMNS, writeOtherField, type OtherField, type OtherFieldRow} from "../fixtures/other-field.ts";
import {auc} from "../../src/lib/metrics.ts";
import {fairnessTable, flags, view, type Cohort, type ModelColumns} from "../../src/lib/eval-view.ts";
import {confusion, rates} from "../../src/lib/thresholds.ts";

type Loaders = {
  paths: typeof import("../../loaders/paths.ts");
  dictionary: typeof import("../../loaders/dictionary.ts");
  db: typeof import("../../loaders/db.ts");
  ingest: typeof import("../../loaders/ingest/ingest.ts");
  train: typeof import("../../loaders/train/train.ts");
  evaluate: typeof import("../../loaders/evaluate/evaluate.ts");
  scoreColumn: typeof import("../../loaders/evaluate/score-column.ts");
  evaluation: typeof import("../../loaders/pages/evaluation.ts");
};
type Dictionary = import("../../loaders/dictionary.ts").Dictionary;
type IngestReport = import("../../loaders/ingest/ingest.ts").IngestReport;
type TrainResult = import("../../loaders/train/train.ts").TrainResult;
type ModelEvaluation = Awaited<ReturnType<Loaders["evaluate"]["evaluateModel"]>>;
type ScoreEvaluation = Awaited<ReturnType<Loaders["scoreColumn"]["evaluateScoreColumn"]>>;
type PagesData = Awaited<ReturnType<Loaders["evaluation"]["computeEvaluation"]>>;

/** The split deriveSplit gives for 36 months (Jan 2019–Dec 2021): 26 months train, 5 validation, 5 test. */
const EXPECTED_SPLIT = {validFrom: "2021-03-01", testFrom: "2021-08-01"};
/** The chosen cut-off of the existing score: decile 7 or above is flagged as likely to reoffend. */
const CUT = 7;
const SCORE_ID = "score column: risk_decile";

const home = process.cwd();
let root: string;
let fixture: OtherField;
let L: Loaders;
let dict: Dictionary;
let paths: {dictionary: string; warehouse: string; report: string; modelsDir: string; reviews: string};

// Each step's result, kept for the checks after it (the steps run in order).
let report: IngestReport;
let trained: TrainResult;
let modelEval: ModelEvaluation;
let scoreEval: ScoreEvaluation;
let pages: PagesData;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "other-field-"));
  fixture = writeOtherField(join(root, "data"), {seed: 18, rows: 5000});
  for (const d of ["data/processed", "models", "reviews"]) mkdirSync(join(root, d), {recursive: true});
  process.chdir(root);
  L = {
    paths: await import("../../loaders/paths.ts"),
    dictionary: await import("../../loaders/dictionary.ts"),
    db: await import("../../loaders/db.ts"),
    ingest: await import("../../loaders/ingest/ingest.ts"),
    train: await import("../../loaders/train/train.ts"),
    evaluate: await import("../../loaders/evaluate/evaluate.ts"),
    scoreColumn: await import("../../loaders/evaluate/score-column.ts"),
    evaluation: await import("../../loaders/pages/evaluation.ts"),
  };
  paths = {
    dictionary: fixture.dictionary,
    warehouse: join(root, "data/processed/warehouse.duckdb"),
    report: join(root, "data/processed/ingest-report.json"),
    modelsDir: join(root, "models"),
    reviews: join(root, "reviews"),
  };
  if (resolve(L.paths.WAREHOUSE) !== paths.warehouse)
    throw new Error(`loaders/paths.ts was loaded before the project was entered (it points at ${L.paths.WAREHOUSE})`);
  dict = L.dictionary.loadDictionary(fixture.dictionary);
}, 60_000);

afterAll(() => {
  process.chdir(home);
  if (root) rmSync(root, {recursive: true, force: true});
});

/** The variable names, role variables and target names of the MASH dictionary (data/dictionary.yaml of this repository). */
function mashNames(): Set<string> {
  const mash = parse(readFileSync(resolve(import.meta.dirname, "../../data/dictionary.yaml"), "utf8"));
  return new Set<string>([
    ...mash.variables.map((v: {name: string}) => v.name),
    ...Object.values(mash.roles as Record<string, string>),
    ...Object.keys(mash.targets),
  ]);
}

/** Every key and every word of every string in a JSON value (names are words of [a-z0-9_]). */
function words(x: unknown, out = new Set<string>()): Set<string> {
  if (typeof x === "string") for (const w of x.toLowerCase().split(/[^a-z0-9_]+/)) w && out.add(w);
  else if (Array.isArray(x)) for (const y of x) words(y, out);
  else if (x && typeof x === "object")
    for (const [k, v] of Object.entries(x)) {
      words(k, out);
      words(v, out);
    }
  return out;
}

const labelOf = (r: OtherFieldRow) => (r.reoffended_2y === "yes" ? 1 : 0);
/** The fixture's labelled rows in the test period (no person role: no row is left out for a person seen before). */
const testRows = () => fixture.rows.filter((r) => r.assessed_on >= EXPECTED_SPLIT.testFrom && r.reoffended_2y !== null);

/** FP, TN, FN, TP counted directly over rows, by the value of one attribute (missing as "missing"). */
function directCounts(rows: OtherFieldRow[], attribute: "race_group" | "sex", flagged: (r: OtherFieldRow) => boolean) {
  const out = new Map<string, {fp: number; tn: number; fn: number; tp: number}>();
  for (const r of rows) {
    const g = r[attribute] ?? "missing";
    const c = out.get(g) ?? {fp: 0, tn: 0, fn: 0, tp: 0};
    const f = flagged(r);
    if (r.reoffended_2y === "yes") f ? c.tp++ : c.fn++;
    else f ? c.fp++ : c.tn++;
    out.set(g, c);
  }
  return out;
}

/** The score column's (or a model's) columns and cohort from the pages' data, as the Thresholds and Fairness pages read them. */
function pageView(id: string) {
  const contacts = pages.contacts as unknown as {cohorts: Cohort[]; models: ModelColumns[]};
  const model = contacts.models.find((m) => m.id === id);
  if (!model) throw new Error(`no ${id} in the evaluation pages' data: ${contacts.models.map((m) => m.id).join(", ")}`);
  return view(contacts.cohorts[model.cohort], model, "test");
}

describe("a risk-assessment extract from another field, with its own dictionary", () => {
  it("the fixture and its dictionary hold no MASH name, and the dictionary names no person, group, staff, team or decision", () => {
    const mash = mashNames();
    expect(OTHER_FIELD_COLUMNS.filter((c) => mash.has(c))).toEqual([]);
    expect(dict.variables.map((v) => v.name).filter((n) => mash.has(n))).toEqual([]);
    expect(readFileSync(fixture.csv, "utf8").split("\n")[0]).toBe(OTHER_FIELD_COLUMNS.join(","));
    expect(Object.keys(dict.roles).sort()).toEqual(["baseline_feature", "event_time", "record"]);
    expect(dict.split).toBeUndefined();
    expect(fixture.rows.length).toBe(5000);
    expect(fixture.rows[0].assessed_on.slice(0, 7)).toBe("2019-01");
    expect(fixture.rows.at(-1)!.assessed_on.slice(0, 7)).toBe("2021-12");
  });

  it("ingests: every row accepted, the warehouse holds the fixture's columns and codes", async () => {
    report = await L.ingest.ingest({files: [fixture.csv], dictionary: paths.dictionary, db: paths.warehouse, report: paths.report});
    expect(report.read).toBe(fixture.rows.length);
    expect(report.accepted).toBe(fixture.rows.length);
    expect(report.rejected).toBe(0);
    const {columns, counts} = await L.db.withWarehouse(async (db) => {
      const columns = (await L.db.queryRows(db, "DESCRIBE contacts")).map((r) => String(r.column_name));
      const counts = await L.db.queryRows(
        db,
        `SELECT count(*) AS n, count(race_group) AS race, count(risk_decile) AS decile, count(*) FILTER (WHERE reoffended_2y = 'yes') AS yes,
           count(*) FILTER (WHERE sex = 'male') AS male FROM contacts`,
      );
      return {columns, counts: counts[0]};
    }, paths.warehouse);
    expect(columns.filter((c) => !["source_file", "source_row"].includes(c)).sort()).toEqual([...OTHER_FIELD_COLUMNS].sort());
    const rows = fixture.rows;
    expect(counts).toEqual({
      n: rows.length,
      race: rows.filter((r) => r.race_group !== null).length,
      decile: rows.filter((r) => r.risk_decile !== null).length,
      yes: rows.filter((r) => r.reoffended_2y === "yes").length,
      male: rows.filter((r) => r.sex === "male").length, // "M" read as its code
    });
  });

  it("trains a logistic model on the named target, on a split derived from the data's own dates", async () => {
    trained = await L.train.train(
      {...L.train.DEFAULT_CONFIG, target: "reoffended"},
      {dictionary: paths.dictionary, db: paths.warehouse, modelsDir: paths.modelsDir, reviews: paths.reviews},
    );
    const card = JSON.parse(readFileSync(join(trained.dir, "card.json"), "utf8"));
    expect(card.target).toBe("reoffended");
    expect(card.config.split).toEqual(EXPECTED_SPLIT);
    const features = JSON.parse(readFileSync(join(trained.dir, "features.json"), "utf8"));
    // Features: the two feature categories and age group; no history feature (no person or group role).
    expect([...new Set(features.columns.map((c: {variable: string}) => c.variable))].sort()).toEqual([
      "age_group",
      "charge_degree",
      "priors_band",
    ]);
    expect(features.history).toEqual([]);
  });

  it("(3) the model's test AUC is above 0.5, with its n and 95% interval, as computed directly from its saved predictions", () => {
    const test = trained.metrics.test as {n: number; positives: number; auc: {value: number; lo: number; hi: number; n: number}};
    const rows = testRows();
    expect(test.n).toBe(rows.length);
    expect(test.auc.n).toBe(rows.length);
    expect(test.positives).toBe(rows.filter((r) => r.reoffended_2y === "yes").length);
    expect(test.auc.lo).toBeGreaterThan(0.5);
    expect(test.auc.lo).toBeLessThan(test.auc.value);
    expect(test.auc.hi).toBeGreaterThan(test.auc.value);
    // Directly: the saved test predictions against the fixture's own outcomes.
    const byRef = new Map(fixture.rows.map((r) => [r.case_ref, r]));
    const preds = readFileSync(join(trained.dir, "predictions.internal.csv"), "utf8").trim().split("\n").slice(1);
    const refs = preds.map((l) => l.split(",")[0]);
    expect(refs.sort()).toEqual(rows.map((r) => r.case_ref).sort());
    const scores = preds.map((l) => Number(l.split(",")[3]));
    const labels = preds.map((l) => labelOf(byRef.get(l.split(",")[0])!));
    expect(test.auc.value).toBeCloseTo(auc(scores, labels), 9);
    // The one-variable baseline is the dictionary's baseline feature.
    expect((trained.metrics.baselines as {oneVariable?: {variable: string}}).oneVariable?.variable).toBe("priors_band");
  });

  it("evaluates the model on the warehouse, reproducing its registered test scores", async () => {
    modelEval = await L.db.withWarehouse((db) => L.evaluate.evaluateModel(trained.dir, db, dict, {importanceRepeats: 1}), paths.warehouse);
    expect(modelEval.target).toBe("reoffended");
    expect(modelEval.registryMaxDiff).toBeLessThan(1e-6);
    expect(modelEval.test.n).toBe(testRows().length);
    expect(modelEval.test.auc.value).toBeCloseTo((trained.metrics.test as {auc: {value: number}}).auc.value, 9);
    expect(modelEval.test.auc.lo).toBeGreaterThan(0.5);
    // No group role: no history feature, so no contact's score comes from a group's history.
    expect(modelEval.contacts.household.every((h) => h === 0)).toBe(true);
  });

  it("evaluates the existing score column (risk_decile) on the same test contacts, its AUC equal to a direct computation", async () => {
    const variable = L.dictionary.variable(dict, "risk_decile");
    expect(L.scoreColumn.scoreColumns(dict).map((v) => v.name)).toEqual(["risk_decile"]);
    scoreEval = await L.db.withWarehouse(
      (db) => L.scoreColumn.evaluateScoreColumn(db, dict, variable, EXPECTED_SPLIT, "reoffended"),
      paths.warehouse,
    );
    const rows = testRows().filter((r) => r.risk_decile !== null);
    expect(scoreEval.probability).toBe(false); // deciles are judged on ranking only
    expect(scoreEval.test.n).toBe(rows.length);
    expect(scoreEval.test.auc.value).toBeCloseTo(
      auc(
        rows.map((r) => r.risk_decile!),
        rows.map(labelOf),
      ),
      9,
    );
    expect(scoreEval.test.auc.lo).toBeGreaterThan(0.5);
  });

  it("computes the evaluation pages' data: the model and the score column, grouped by the protected attributes and the baseline feature", async () => {
    pages = await L.evaluation.computeEvaluation(dict, paths.modelsDir);
    const summary = pages.summary as unknown as {
      groupVariables: {name: string; protected: boolean}[];
      models: {id: string; target: string}[];
    };
    expect(summary.models.map((m) => m.id)).toEqual([trained.id, SCORE_ID]);
    expect(summary.models.every((m) => m.target === "reoffended")).toBe(true);
    expect(summary.groupVariables.map((g) => [g.name, g.protected])).toEqual([
      ["sex", true],
      ["race_group", true],
      ["priors_band", false],
    ]);
  });

  it("(1) nothing the pipeline wrote or returned names a MASH variable, role or target", () => {
    const mash = mashNames();
    const outputs: Record<string, unknown> = {
      report: JSON.parse(readFileSync(paths.report, "utf8")),
      card: JSON.parse(readFileSync(join(trained.dir, "card.json"), "utf8")),
      features: JSON.parse(readFileSync(join(trained.dir, "features.json"), "utf8")),
      metrics: JSON.parse(readFileSync(join(trained.dir, "metrics.json"), "utf8")),
      modelEvaluation: {...modelEval, contacts: undefined},
      scoreEvaluation: {...scoreEval, contacts: undefined},
      pages: pages.summary,
      pageGroups: pages.contacts.groupVariables,
    };
    for (const [what, value] of Object.entries(outputs))
      expect(
        [...words(value)].filter((w) => mash.has(w)),
        what,
      ).toEqual([]);
    // The check can see names: the outputs do name the fixture's own.
    for (const name of ["reoffended", "race_group", "risk_decile", "priors_band"]) expect(words(pages.summary).has(name), name).toBe(true);
  });

  it(`(2) reports the existing score's false positive and false negative rates by group at decile ≥ ${CUT}, equal to a direct count`, () => {
    const v = pageView(SCORE_ID);
    const rows = testRows().filter((r) => r.risk_decile !== null);
    expect(v.n).toBe(rows.length);
    const flagged = flags({mode: "score", value: CUT}, v);
    for (const attribute of ["race_group", "sex"] as const) {
      const table = fairnessTable(v, [attribute], flagged);
      const direct = directCounts(rows, attribute, (r) => r.risk_decile! >= CUT);
      expect(table.map((g) => g.group).sort(), attribute).toEqual([...direct.keys()].sort());
      for (const g of table) {
        const d = direct.get(g.group)!;
        const at = `${attribute} = ${g.group}`;
        expect({fp: g.fpr.k, negatives: g.fpr.n, fn: g.fnr.k, positives: g.fnr.n}, at).toEqual({
          fp: d.fp,
          negatives: d.fp + d.tn,
          fn: d.fn,
          positives: d.fn + d.tp,
        });
        expect(g.fpr.rate, at).toBe(d.fp / (d.fp + d.tn));
        expect(g.fnr.rate, at).toBe(d.fn / (d.fn + d.tp));
        expect(g.fpr.lo).toBeLessThanOrEqual(g.fpr.rate);
        expect(g.fpr.hi).toBeGreaterThanOrEqual(g.fpr.rate);
      }
    }
    // Overall, the Thresholds page's confusion and rates at the same cut-off.
    const all = rates(confusion(v.y, flagged));
    const fp = rows.filter((r) => r.risk_decile! >= CUT && r.reoffended_2y === "no").length;
    const negatives = rows.filter((r) => r.reoffended_2y === "no").length;
    expect([all.fpr.k, all.fpr.n]).toEqual([fp, negatives]);
  });

  it("(4) the fairness table runs by race_group, by sex and by both, for the model and for the score column", () => {
    for (const id of [trained.id, SCORE_ID]) {
      const v = pageView(id);
      // The model: flag the top three in ten (its test scores' 70th percentile); the score: decile ≥ 7.
      const cut = id === SCORE_ID ? CUT : [...v.score].sort((a, b) => a - b)[Math.floor(0.7 * v.n)];
      const flagged = flags({mode: "score", value: cut}, v);
      for (const attributes of [["race_group"], ["sex"], ["race_group", "sex"]]) {
        const table = fairnessTable(v, attributes, flagged);
        const at = `${id} by ${attributes.join(" × ")}`;
        expect(
          table.reduce((s, g) => s + g.n, 0),
          at,
        ).toBe(v.n);
        expect(
          table.filter((g) => g.reference),
          at,
        ).toHaveLength(1);
        const reference = table.find((g) => g.reference)!;
        expect(reference.n, at).toBe(Math.max(...table.map((g) => g.n)));
        for (const g of table) {
          expect(g.tooFew, `${at}: ${g.group}`).toBe(g.n < 30);
          if (g.tooFew) continue;
          for (const r of [g.fpr, g.fnr, g.selection]) expect(r.lo <= r.rate && r.rate <= r.hi, `${at}: ${g.group}`).toBe(true);
          // A ratio with its interval wherever both groups have a false positive (Katz's method needs k > 0).
          const r = g.fprRatio;
          if (g.fpr.k > 0 && reference.fpr.k > 0) expect(r.lo <= r.ratio && r.ratio <= r.hi && r.lo > 0, `${at}: ${g.group}`).toBe(true);
          else expect(r.ratio, `${at}: ${g.group}`).toBeNaN();
        }
      }
      expect(
        fairnessTable(v, ["race_group"], flagged)
          .map((g) => g.group)
          .sort(),
      ).toEqual(["group_a", "group_b", "group_c", "group_d", "missing"]);
      expect(
        fairnessTable(v, ["sex"], flagged)
          .map((g) => g.group)
          .sort(),
      ).toEqual(["female", "male"]);
    }
  });
});

// Variants of the same data that a dictionary may reasonably declare; each once failed.
describe("variants of the same data", () => {
  // Ingest once took the first variable with role id as the record key: with person_ref declared
  // first, every later assessment of a person was rejected as a duplicate.
  it("a person reference declared before the record key: ingest still keys records by roles.record", async () => {
    const dir = join(root, "variant-person");
    const f = writeOtherField(dir, {seed: 18, rows: 3000}, {personRef: true});
    expect(L.dictionary.loadDictionary(f.dictionary).roles).toMatchObject({record: "case_ref", person: "person_ref"});
    const r = await L.ingest.ingest({
      files: [f.csv],
      dictionary: f.dictionary,
      db: join(dir, "w.duckdb"),
      report: join(dir, "report.json"),
    });
    expect({read: r.read, accepted: r.accepted, rejected: r.rejected}).toEqual({read: 3000, accepted: 3000, rejected: 0});
  });

  // A boolean is stored TRUE where it holds its first listed code (here "no"); the target once
  // compared it with the text 'yes' (cast to TRUE), inverting the labels.
  it("a yes/no outcome declared boolean, codes listed no first: the target's positives are the yes rows", async () => {
    const dir = join(root, "variant-boolean");
    const f = writeOtherField(dir, {seed: 18, rows: 3000}, {booleanOutcome: true});
    const d = L.dictionary.loadDictionary(f.dictionary);
    expect(L.dictionary.variable(d, "reoffended_2y").type).toBe("boolean");
    const db = join(dir, "w.duckdb");
    await L.ingest.ingest({files: [f.csv], dictionary: f.dictionary, db, report: join(dir, "report.json")});
    const {loadDataset} = await import("../../loaders/train/dataset.ts");
    const data = await L.db.withWarehouse((conn) => loadDataset(conn, d, "reoffended"), db);
    const labelled = f.rows.filter((r) => r.reoffended_2y !== null);
    expect(data.rows).toHaveLength(labelled.length);
    expect(data.rows.filter((r) => r._y === 1).length).toBe(labelled.filter((r) => r.reoffended_2y === "yes").length);
  });
});
