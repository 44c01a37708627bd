// computeEvaluation, the data of the evaluation pages, on a small project whose
// extract spans the default split (so a score column, judged on the default split,
// meets the models on the same contacts): one entry per registered model and per
// dictionary score, contacts shared per target as coded columns whose group counts
// agree with the warehouse, and no identifier of a contact, child or household.
// The warehouse is read from its default place, so the project is entered first
// and every loader is imported after that.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {miniProject, type MiniProject} from "../../fixtures/mini-project.ts";

type Loaders = {
  evaluation: typeof import("../../../loaders/pages/evaluation.ts");
  evaluate: typeof import("../../../loaders/evaluate/evaluate.ts");
  registry: typeof import("../../../loaders/registry.ts");
  db: typeof import("../../../loaders/db.ts");
  dictionary: typeof import("../../../loaders/dictionary.ts");
};
type Result = Awaited<ReturnType<Loaders["evaluation"]["computeEvaluation"]>>;
interface Cohort {
  target: string;
  n: number;
  split: {levels: string[]; codes: number[]};
  day: {levels: string[]; codes: number[]};
  y: number[];
  groups: Record<string, {levels: string[]; codes: number[]}>;
}
interface ModelSummary {
  id: string;
  target: string;
  cohort: number;
  test: {n: number; auc: {value: number}};
  [key: string]: unknown;
}
interface PerModel {
  id: string;
  cohort: number;
  score: number[];
  band: number[];
  household: (number | null)[];
}

let project: MiniProject;
let L: Loaders;
let result: Result;
let models: ModelSummary[];
let cohorts: Cohort[];
let perModel: PerModel[];

beforeAll(async () => {
  // July 2017 to March 2019: the default split's training half-year, validation, test and pilot.
  project = await miniProject({
    seed: 14,
    contacts: 4000,
    start: "2017-07-01",
    months: 21,
    pilotStart: "2019-01-01",
    pilotEnd: "2019-03-31",
    split: {validFrom: "2018-01-01", testFrom: "2018-07-01", pilotFrom: "2019-01-01", pilotTo: "2019-03-31"},
    scoreColumn: true,
    enter: true,
    models: [{model: "logistic"}, {model: "mlp"}, {model: "logistic", target: "rag_red"}],
  });
  L = {
    evaluation: await import("../../../loaders/pages/evaluation.ts"),
    evaluate: await import("../../../loaders/evaluate/evaluate.ts"),
    registry: await import("../../../loaders/registry.ts"),
    db: await import("../../../loaders/db.ts"),
    dictionary: await import("../../../loaders/dictionary.ts"),
  };
  result = await L.evaluation.computeEvaluation(L.dictionary.loadDictionary(), project.modelsDir);
  models = result.summary.models as ModelSummary[];
  cohorts = result.contacts.cohorts as unknown as Cohort[];
  perModel = result.contacts.models as unknown as PerModel[];
}, 180_000);
afterAll(() => project?.remove());

describe("computeEvaluation", () => {
  it("evaluates every registered model, newest first, then the dictionary's score column", () => {
    const registered = L.registry.listModels(project.modelsDir);
    expect(registered).toHaveLength(3);
    expect(models.map((m) => m.id)).toEqual([...registered.map((m) => m.id), "score column: tool_score"]);
    expect(perModel.map((m) => m.id)).toEqual(models.map((m) => m.id));
    for (const m of registered) {
      const s = models.find((x) => x.id === m.id)!;
      const saved = L.registry.readMetrics(m.dir);
      expect(s.target).toBe(m.card.target);
      expect(s.test.n).toBe(saved.test.n);
      expect(s.test.auc.value).toBeCloseTo((saved.test.auc as unknown as {value: number}).value, 9);
    }
    for (const m of models) expect(m).not.toHaveProperty("contacts");
    expect(result.summary.groupVariables).toEqual(L.evaluate.groupingVariables(L.dictionary.loadDictionary()));
  });

  it("shares one cohort of contacts per target: the information-sharing models and the score column, and the RAG model apart", () => {
    expect(cohorts.map((c) => c.target).sort()).toEqual(["info_sharing", "rag_red"]);
    const cohortOf = (id: string) => models.find((m) => m.id === id)!.cohort;
    const byTarget = (t: string) => models.filter((m) => m.target === t || (t === "info_sharing" && m.id.startsWith("score column")));
    expect(new Set(byTarget("info_sharing").map((m) => m.cohort)).size).toBe(1);
    expect(cohortOf(byTarget("rag_red")[0].id)).not.toBe(byTarget("info_sharing")[0].cohort);
    for (const m of models) expect(cohorts[m.cohort].target).toBe(m.target);
  });

  it("codes each cohort's columns at the cohort's length: test and pilot contacts, the model's test n among them", () => {
    for (const m of models) {
      const c = cohorts[m.cohort];
      const test = c.split.codes.filter((k) => c.split.levels[k] === "test").length;
      expect(test, m.id).toBe(m.test.n);
      const p = perModel.find((x) => x.id === m.id)!;
      for (const col of [p.score, p.band, p.household]) expect(col).toHaveLength(c.n);
      expect(p.band.every((b) => b >= 1 && b <= 20)).toBe(true);
    }
    for (const c of cohorts) {
      expect(c.split.levels).toEqual(["pilot", "test"]);
      for (const coded of [c.split, c.day, ...Object.values(c.groups)]) {
        expect(coded.codes).toHaveLength(c.n);
        expect(coded.levels).toEqual([...new Set(coded.levels)].sort());
        expect(coded.codes.every((k) => Number.isInteger(k) && k >= 0 && k < coded.levels.length)).toBe(true);
      }
      expect(c.y).toHaveLength(c.n);
      expect(c.day.levels.every((d) => d >= "2018-07-01" && d <= "2019-03-31")).toBe(true);
    }
    // A score from the extract has no household contribution; a model has one per contact.
    expect(perModel.find((m) => m.id.startsWith("score column"))!.household.every((h) => h === null)).toBe(true);
    expect(perModel.filter((m) => !m.id.startsWith("score column")).every((m) => m.household.every(Number.isFinite))).toBe(true);
  });

  it("counts each cohort's grouping attributes and outcomes as the warehouse does", async () => {
    const dict = L.dictionary.loadDictionary();
    const {registry, evaluate, db} = L;
    for (const target of ["info_sharing", "rag_red"]) {
      const m = registry.newestModel(target, project.modelsDir)!;
      const c = cohorts[models.find((x) => x.id === m.id)!.cohort];
      const counts = await db.withDuckDB(
        async (conn) => {
          const {contacts} = await evaluate.evaluateModel(m.dir, conn, dict, {importanceRepeats: 1});
          const list = contacts.ids.map((id) => `'${id}'`).join(", ");
          const out: Record<string, Record<string, number>> = {};
          for (const g of result.contacts.groupVariables) {
            const rows = await db.queryRows(
              conn,
              `SELECT coalesce(CAST("${g.name}" AS VARCHAR), 'missing') AS v, count(*) AS n FROM contacts WHERE contact_id IN (${list}) GROUP BY ALL`,
            );
            out[g.name] = Object.fromEntries(rows.map((r) => [String(r.v), Number(r.n)]));
          }
          return {out, n: contacts.ids.length, positives: contacts.y.reduce((a, b) => a + b, 0)};
        },
        project.warehouse,
        {readOnly: true},
      );
      expect(c.n).toBe(counts.n);
      expect(c.y.reduce((a, b) => a + b, 0)).toBe(counts.positives);
      for (const [name, coded] of Object.entries(c.groups)) {
        const tally: Record<string, number> = {};
        for (const k of coded.codes) tally[coded.levels[k]] = (tally[coded.levels[k]] ?? 0) + 1;
        expect(tally, `${target}: ${name}`).toEqual(counts.out[name]);
      }
    }
  });

  it("lets no contact, child or household id out of Node", async () => {
    const ids = await L.db.withDuckDB(
      (conn) => L.db.queryRows(conn, `SELECT contact_id, child_id, household_id FROM contacts`),
      project.warehouse,
      {readOnly: true},
    );
    const seen = new Set([...JSON.stringify(result).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]));
    expect(ids.flatMap((r) => [r.contact_id, r.child_id, r.household_id]).filter((v) => seen.has(String(v)))).toEqual([]);
  });

  it("judges the score column on ranking and calibration like a model, with its test ventiles as bands", () => {
    const s = models.find((m) => m.id === "score column: tool_score")! as ModelSummary & {
      probability: boolean;
      test: {n: number; auc: {value: number; lo: number; hi: number}; brier: {value: number}};
    };
    expect(s.probability).toBe(true);
    expect(s.test.auc.lo).toBeLessThanOrEqual(s.test.auc.value);
    expect(s.test.auc.hi).toBeGreaterThanOrEqual(s.test.auc.value);
    expect(s.test.auc.value).toBeGreaterThan(0.6);
    const p = perModel.find((m) => m.id === s.id)!;
    const c = cohorts[s.cohort];
    const testBands = p.band.filter((_, i) => c.split.levels[c.split.codes[i]] === "test");
    // Bands from the test scores' ventiles put about a twentieth of the test contacts in each band.
    const counts = Array.from({length: 20}, (_, b) => testBands.filter((x) => x === b + 1).length);
    for (const n of counts) expect(Math.abs(n - testBands.length / 20)).toBeLessThan(testBands.length / 20);
  });
});
