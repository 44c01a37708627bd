// The model registry on real folders: one rule for "registered" (every file train writes),
// newest first by trainedAt, the newest per target, and a refusal naming what a folder lacks.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {
  listModels,
  MODEL_FILES,
  missingFiles,
  newestModel,
  openModelDir,
  readCard,
  readFeatures,
  readMetrics,
} from "../../loaders/registry.ts";

let dir: string;
const model = (id: string, target: string, trainedAt: string, skip: string[] = []) => {
  mkdirSync(join(dir, id), {recursive: true});
  for (const file of MODEL_FILES) if (!skip.includes(file)) writeFileSync(join(dir, id, file), "{}");
  if (!skip.includes("card.json")) writeFileSync(join(dir, id, "card.json"), JSON.stringify({id, target, model: "logistic", trainedAt}));
  if (!skip.includes("metrics.json"))
    writeFileSync(join(dir, id, "metrics.json"), JSON.stringify({ventiles: [0.5], test: {auc: 0.7, n: 10}}));
  if (!skip.includes("features.json"))
    writeFileSync(join(dir, id, "features.json"), JSON.stringify({target, columns: ["a"], means: [0.5]}));
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "registry-"));
  model("share-old", "info_sharing", "2026-01-01T00:00:00.000Z");
  model("share-new", "info_sharing", "2026-06-01T00:00:00.000Z");
  model("red", "rag_red", "2026-03-01T00:00:00.000Z");
  model("half", "info_sharing", "2027-01-01T00:00:00.000Z", ["weights.bin", "predictions.internal.csv"]);
  mkdirSync(join(dir, ".public-training.lock"));
  writeFileSync(join(dir, "README.txt"), "not a model");
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("registry", () => {
  it("lists complete models only, newest first", () => {
    expect(listModels(dir).map((m) => m.id)).toEqual(["share-new", "red", "share-old"]);
    expect(listModels(join(dir, "none"))).toEqual([]);
  });

  it("finds the newest model per target, or null", () => {
    expect(newestModel("info_sharing", dir)?.id).toBe("share-new");
    expect(newestModel("rag_red", dir)?.dir).toBe(join(dir, "red"));
    expect(newestModel("recontact_12m", dir)).toBeNull();
  });

  it("opens a model by id or folder, and names what an incomplete folder lacks", () => {
    expect(openModelDir("red", dir).card.target).toBe("rag_red");
    expect(openModelDir(join(dir, "share-old"), dir).id).toBe("share-old");
    expect(missingFiles(join(dir, "half"))).toEqual(["weights.bin", "predictions.internal.csv"]);
    expect(() => openModelDir("half", dir)).toThrow(/incomplete: it lacks weights\.bin, predictions\.internal\.csv/);
    expect(() => openModelDir("nope", dir)).toThrow(/no model nope.*share-new, red, share-old/);
  });

  it("reads each file as its type", () => {
    const d = join(dir, "red");
    expect(readCard(d).trainedAt).toBe("2026-03-01T00:00:00.000Z");
    expect(readFeatures(d).means).toEqual([0.5]);
    expect(readMetrics(d).ventiles).toEqual([0.5]);
  });
});
