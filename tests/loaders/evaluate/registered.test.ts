// openRegistered: a registered model opened on the warehouse it was trained on
// splits and scores contacts as `train` did — the same split counts, the test
// contacts of predictions.internal.csv in the same order with the same scores —
// also for a model trained with the protected attributes as inputs.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {cpSync, readFileSync, rmSync} from "node:fs";
import {join} from "node:path";
import {miniProject, SMALL_YEAR, type MiniProject} from "../../fixtures/mini-project.ts";
import {openRegistered} from "../../../loaders/evaluate/registered.ts";
import {withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary, type Dictionary} from "../../../loaders/dictionary.ts";
import {listModels, predictionsFile, readFeatures, readMetrics} from "../../../loaders/registry.ts";

let project: MiniProject;
let dict: Dictionary;
const withModel = <T>(dir: string, work: (m: Awaited<ReturnType<typeof openRegistered>>) => T) =>
  withDuckDB(
    async (db) => {
      const m = await openRegistered(db, dict, dir);
      try {
        return work(m);
      } finally {
        m.dispose();
      }
    },
    project.warehouse,
    {readOnly: true},
  );

beforeAll(async () => {
  project = await miniProject({
    ...SMALL_YEAR,
    seed: 13,
    contacts: 3000,
    models: [{model: "logistic"}, {model: "logistic", includeProtected: true}],
  });
  dict = loadDictionary(project.dictionary);
}, 120_000);
afterAll(() => project?.remove());

describe("openRegistered", () => {
  it("splits the modelling rows as training did: every row in one split, with the counts of metrics.json", async () => {
    for (const {dir} of listModels(project.modelsDir)) {
      const saved = (readMetrics(dir) as unknown as {split: Record<string, number>}).split;
      const counts = await withModel(dir, (m) =>
        Object.fromEntries(["train", "valid", "test", "pilot", "excluded"].map((s) => [s, m.pick(s).length])),
      );
      expect(counts).toEqual({train: saved.train, valid: saved.valid, test: saved.test, pilot: saved.pilot, excluded: saved.excluded});
      const total = await withModel(dir, (m) => m.data.rows.length);
      expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it.each([false, true])(
    "scores the test contacts as predictions.internal.csv records them (protected attributes as inputs: %s)",
    async (includeProtected) => {
      const {dir, card} = listModels(project.modelsDir).find((m) => m.card.config.includeProtected === includeProtected)!;
      expect(card.config.includeProtected).toBe(includeProtected);
      const usesGender = readFeatures(dir).columns.some((c) => c.variable === "gender");
      expect(usesGender).toBe(includeProtected);
      const lines = readFileSync(predictionsFile(dir), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(","));
      const {ids, y, scores, width} = await withModel(dir, (m) => {
        const test = m.pick("test");
        const {X, scores} = m.score(test);
        return {
          ids: test.map((r) => String(r._id)),
          y: test.map((r) => Number(r._y)),
          scores: Array.from(scores),
          width: X.length / test.length,
        };
      });
      expect(width).toBe(readFeatures(dir).columns.length);
      expect(ids).toEqual(lines.map((f) => f[0]));
      expect(y).toEqual(lines.map((f) => Number(f[2])));
      expect(scores).toEqual(lines.map((f) => Number(f[3])));
    },
  );

  it("refuses a model folder that lacks a registry file, naming it", async () => {
    const {dir, id} = listModels(project.modelsDir)[0];
    const broken = join(project.root, "broken", id);
    cpSync(dir, broken, {recursive: true});
    rmSync(join(broken, "features.json"));
    await expect(withDuckDB((db) => openRegistered(db, dict, broken), project.warehouse, {readOnly: true})).rejects.toThrow(
      /lacks features\.json/,
    );
  });
});
