// The logistic model's coefficients as the Explanations page gets them
// (loaders/evaluate/explanations.ts) on a small generated warehouse: the covariance is taken
// at the registered fit on its training contacts (the coefficients equal a fresh exact fit),
// each category's levels add up to the training contacts with the most frequent as the
// reference, contrasts are narrower than the single coefficients the penalty alone pins down,
// every other column keeps its own coefficient, and every name carries its dictionary label.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {miniProject, SMALL_YEAR, type MiniProject} from "../../fixtures/mini-project.ts";
import {openRegistered} from "../../../loaders/evaluate/registered.ts";
import {explanations, labelsFor} from "../../../loaders/evaluate/explanations.ts";
import {withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary, type Dictionary} from "../../../loaders/dictionary.ts";
import {listModels} from "../../../loaders/registry.ts";
import {encode} from "../../../src/lib/features.ts";
import {fitLogistic} from "../../../src/lib/logistic.ts";
import {contrasts} from "../../../src/lib/contrasts.ts";

let project: MiniProject;
let dict: Dictionary;
type Explained = ReturnType<typeof explanations>;
let ex: Explained;
let fresh: {intercept: number; coefficients: Float64Array};
let features: Awaited<ReturnType<typeof openRegistered>>["features"];
let trainCount: number;

beforeAll(async () => {
  project = await miniProject({...SMALL_YEAR, seed: 19, contacts: 3000, models: [{model: "logistic"}]});
  dict = loadDictionary(project.dictionary);
  const [{dir}] = listModels(project.modelsDir);
  await withDuckDB(
    async (db) => {
      const m = await openRegistered(db, dict, dir);
      try {
        features = m.features;
        const test = m.pick("test");
        const {X} = m.score(test);
        ex = explanations(
          m.features,
          m.card,
          m.model,
          m.data.rows,
          m.split.splits,
          X,
          Float64Array.from(test, (r) => Number(r._y)),
          1,
          dict,
        );
        const train = m.pick("train");
        trainCount = train.length;
        fresh = fitLogistic(
          encode(m.features, train),
          Float64Array.from(train, (r) => Number(r._y)),
          train.length,
          m.p,
          {
            ridge: m.card.config.ridge,
          },
        );
      } finally {
        m.dispose();
      }
    },
    project.warehouse,
    {readOnly: true},
  );
}, 180_000);
afterAll(() => project?.remove());

describe("explanations: coefficients of the logistic model", () => {
  it("are those of the exact fit on the training contacts, with the ridge and the method named", () => {
    const c = ex.coefficients!;
    expect(c.n).toBe(trainCount);
    expect(c.ridge).toBe(1);
    expect(c.method).toBe("sandwich");
    expect(c.intercept.value).toBeCloseTo(fresh.intercept, 4);
    for (const b of c.categories)
      b.levels.forEach((l) => {
        const j = features.columns.findIndex((col) => col.name === l.column);
        expect(l.value, l.column).toBeCloseTo(fresh.coefficients[j], 4);
      });
    for (const r of c.rows)
      expect(r.value, r.name).toBeCloseTo(fresh.coefficients[features.columns.findIndex((col) => col.name === r.name)], 4);
  });

  it("groups each category's levels (missing included), which add up to the training contacts; the reference is the most frequent", () => {
    const c = ex.coefficients!;
    const categories = [...new Set(features.columns.filter((col) => col.kind === "one-hot").map((col) => col.variable))];
    expect(c.categories.map((b) => b.variable)).toEqual(categories);
    for (const b of c.categories) {
      expect(
        b.levels.reduce((s, l) => s + l.n, 0),
        b.variable,
      ).toBe(trainCount);
      expect(b.levels.find((l) => l.code === b.reference)!.n).toBe(Math.max(...b.levels.map((l) => l.n)));
    }
    expect(c.focus).toBe(dict.roles.baseline_feature);
    // every column exactly once: in a category or among the other rows
    const named = [...c.categories.flatMap((b) => b.levels.map((l) => l.column)), ...c.rows.map((r) => r.name)].sort();
    expect(named).toEqual(features.columns.map((col) => col.name).sort());
  });

  it("gives contrasts much narrower intervals than the levels' coefficients alone under H⁻¹ (for levels with 100+ contacts)", () => {
    let compared = 0;
    for (const b of ex.coefficients!.categories)
      for (const k of contrasts(b)) {
        const a = b.levels.findIndex((l) => l.code === k.level);
        if (k.n < 100 || k.nReference < 100) continue;
        const alone = 2 * 1.959964 * Math.sqrt(b.covPrior[a][a]);
        expect(k.hi - k.lo, `${b.variable} ${k.level}`).toBeLessThan(alone);
        compared++;
      }
    expect(compared).toBeGreaterThan(5);
  });

  it("keeps a coefficient with an interval for every other column; numbers per standard deviation of the training values", () => {
    for (const r of ex.coefficients!.rows) {
      expect(r.lo <= r.value && r.value <= r.hi, r.name).toBe(true);
      const col = features.columns.find((c) => c.name === r.name)!;
      expect(r.sd).toBe(col.kind === "scaled" ? col.sd : null);
      expect(r.n).toBeGreaterThan(0);
      expect(r.n).toBeLessThanOrEqual(trainCount);
    }
  });

  it("labels variables, levels and columns from the dictionary, never by code", () => {
    const c = ex.coefficients!;
    for (const b of c.categories) {
      const v = dict.variables.find((x) => x.name === b.variable)!;
      expect(b.label).toBe(v.label);
      for (const l of b.levels)
        expect(l.label).toBe(l.code === "(missing)" ? "not recorded" : v.codes!.find((x) => x.code === l.code)!.label);
    }
    for (const r of c.rows) expect(r.label, r.name).not.toMatch(/[=∋_]/);
    for (const name of features.variables) expect(ex.labels.variables[name], name).not.toMatch(/_/);
    // partial dependence's own names: a yes/no input's "flag" and "(none)", a missing-value column's "missing"
    for (const v of dict.variables.filter((x) => x.type === "boolean" && features.variables.includes(x.name)))
      expect([ex.labels.codes[v.name].flag, ex.labels.codes[v.name]["(none)"]]).toEqual(["yes", "no"]);
    expect(ex.labels.codes[c.categories[0].variable].missing).toBe("not recorded");
    expect(labelsFor(features).variables[c.categories[0].variable]).toBeUndefined(); // no dictionary: names stand in
    expect(labelsFor(features).columns[features.columns[0].name]).toContain(features.columns[0].variable);
  });
});
