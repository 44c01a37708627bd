// Training end to end on a small generated extract: registry files, determinism,
// save → load → identical predictions, an MLP smoke fit, and the leakage guard.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract} from "../../../loaders/synth/write.ts";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {DEFAULT_CONFIG, train, type TrainConfig} from "../../../loaders/train/train.ts";
import {loadModel, tf, useWasmBackend} from "../../../loaders/train/tf-node.ts";
import {checkNoLeakage, datasetSql, featureVariables, guardFeatures, historyFeatures, readRows} from "../../../loaders/train/dataset.ts";
import {encode} from "../../../src/lib/features.ts";
import {predict} from "../../../src/lib/models.ts";
import {rocArea} from "../../../src/lib/roc.ts";
import {modelRoc, registeredModels} from "../../../loaders/pages/training.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {scoreSummary, seedFromText, SUMMARY_STATISTICS} from "../../../src/lib/metrics.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";

let dir: string;
let db: string;
const split = {validFrom: "2016-07-01", testFrom: "2016-10-01", pilotFrom: "2016-12-01", pilotTo: "2016-12-31"};
const config = (over: Partial<TrainConfig> = {}): TrainConfig => ({
  ...DEFAULT_CONFIG,
  split,
  ...over,
  mlp: {...DEFAULT_CONFIG.mlp, epochs: 2, hidden: [8], batchSize: 128, learningRate: 0.01, ...(over.mlp ?? {})},
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "train-"));
  await generateExtract({
    seed: 4,
    start: "2016-01-01",
    months: 12,
    contacts: 8000,
    messiness: 0,
    pilotStart: "2016-12-01",
    pilotEnd: "2016-12-31",
    out: join(dir, "x"),
  });
  db = join(dir, "wh.duckdb");
  await ingest({files: [join(dir, "x", "contacts.csv")], dictionary: "data/dictionary.yaml", db, report: join(dir, "r.json")});
  await useWasmBackend();
}, 120_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("train", () => {
  it("writes the registry files; the same data and config give the same id and identical weight files", async () => {
    const a = await train(config(), {db, modelsDir: join(dir, "m1")});
    const b = await train(config(), {db, modelsDir: join(dir, "m2")});
    expect(a.id).toBe(b.id);
    for (const f of ["model.json", "weights.bin", "features.json", "metrics.json"]) {
      expect(readFileSync(join(a.dir, f)).equals(readFileSync(join(b.dir, f))), f).toBe(true);
    }
    const card = JSON.parse(readFileSync(join(a.dir, "card.json"), "utf8"));
    expect(card).toMatchObject({backend: "wasm", dictionaryVersion: "1.0.0", seed: DEFAULT_CONFIG.mlp.seed});
    expect(card.dataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(card.fit.gradientMax).toBeLessThan(1e-6);
    const m = JSON.parse(readFileSync(join(a.dir, "metrics.json"), "utf8"));
    expect(m.test.auc.value).toBeGreaterThan(0.65);
    expect(m.test.auc.lo).toBeLessThan(m.test.auc.value);
    expect(m.test.auc.hi).toBeGreaterThan(m.test.auc.value);
    expect(m.test.n).toBeGreaterThan(500);
    expect(m.baselines.oneVariable.auc.value).toBeLessThan(m.test.auc.value);
    expect(m.ventiles).toHaveLength(19);
    const other = await train(config({ridge: 5}), {db, modelsDir: join(dir, "m3")});
    expect(other.id).not.toBe(a.id);
  }, 120_000);

  it("save → load gives identical predictions", async () => {
    const a = await train(config(), {db, modelsDir: join(dir, "m4")});
    const model = await loadModel(a.dir);
    const enc = JSON.parse(readFileSync(join(a.dir, "features.json"), "utf8"));
    const rows = [
      {referral_source: "police", concerns: "domestic_abuse", hist_person_records_12m: 2},
      {referral_source: "school", concerns: "neglect;sexual_abuse"},
    ];
    const X = Float32Array.from(encode(enc, rows));
    const loaded = predict(tf, model, X, 2, enc.columns.length);
    const again = predict(tf, await loadModel(a.dir), X, 2, enc.columns.length);
    expect(Array.from(loaded)).toEqual(Array.from(again));
    expect(loaded[1]).toBeGreaterThan(loaded[0]); // sexual abuse and neglect weigh more than a police DA notification
  }, 60_000);

  it("fits an MLP for two epochs: the loss falls and the model beats chance", async () => {
    const r = await train(config({model: "mlp"}), {db, modelsDir: join(dir, "m5")});
    const m = r.metrics as {curve: {loss: number}[]; test: {auc: {value: number}}};
    expect(m.curve).toHaveLength(2);
    expect(m.curve[1].loss).toBeLessThan(m.curve[0].loss);
    // Early stopping watched the validation loss; with a budget of two epochs it ran both.
    const card = JSON.parse(readFileSync(join(r.dir, "card.json"), "utf8"));
    expect(card.fit).toMatchObject({epochsRun: 2, stoppedBy: "budget"});
    expect([1, 2]).toContain(card.fit.bestEpoch);
    expect(m.test.auc.value).toBeGreaterThan(0.6);
    // The learning curves for the Training page: both sets after each epoch, and the test ROC curve.
    const {history, roc, test} = JSON.parse(readFileSync(join(r.dir, "metrics.json"), "utf8"));
    expect(history.points.map((d: {epoch: number; set: string}) => `${d.epoch} ${d.set}`)).toEqual([
      "1 training",
      "1 validation",
      "2 training",
      "2 validation",
    ]);
    expect(history.validationContacts).toBeGreaterThan(100);
    for (const d of history.points) expect(d.loss > 0 && d.auc > 0.5 && d.auc < 1).toBe(true);
    expect(roc[0]).toEqual({fpr: 0, tpr: 0});
    expect(roc.at(-1)).toEqual({fpr: 1, tpr: 1});
    expect(roc.length).toBeLessThanOrEqual(101);
    expect(Math.abs(rocArea(roc) - test.auc.value)).toBeLessThan(0.01);
    // The Training page's loader passes them on; for a model without a recorded ROC it rebuilds one from the test predictions.
    const [listed] = registeredModels(join(dir, "m5"));
    expect(listed.history).toHaveLength(4);
    expect(listed.roc).toEqual(roc);
    const rebuilt = modelRoc(r.dir, {});
    expect(rebuilt[0]).toEqual({fpr: 0, tpr: 0});
    expect(Math.abs(rocArea(rebuilt) - test.auc.value)).toBeLessThan(0.01);
    expect(modelRoc(join(dir, "nowhere"), {})).toEqual([]);
    // Seeded initialisers and shuffle: a second run gives bit-identical weights.
    const again = await train(config({model: "mlp"}), {db, modelsDir: join(dir, "m6")});
    expect(again.id).toBe(r.id);
    expect(readFileSync(join(again.dir, "weights.bin")).equals(readFileSync(join(r.dir, "weights.bin")))).toBe(true);
  }, 120_000);
});

describe("leakage guard", () => {
  it("refuses a target, a time or an id as a feature", () => {
    const dict = loadDictionary();
    expect(() => guardFeatures(["referral_source", "mash_decision"], dict)).toThrow(/"mash_decision" has role target/);
    expect(() => guardFeatures(["decision_datetime"], dict)).toThrow(/role time/);
    expect(() => guardFeatures(["referral_source", "concerns"], dict)).not.toThrow();
  });

  it("never takes the pilot's band or response (recorded after the model scored) as a feature, whatever their role says", async () => {
    const dict = loadDictionary();
    const after = [dict.roles.pilot_band!, dict.roles.pilot_response!];
    expect(after).toEqual(["pilot_band", "pilot_response"]);
    expect(() => guardFeatures(["referral_source", "pilot_band"], dict)).toThrow(/"pilot_band" has role excluded/);
    // A dictionary edited past the loader's check (the band declared a feature) still keeps it out.
    const leaky = structuredClone(dict);
    for (const v of leaky.variables) if (after.includes(v.name)) v.role = v.name === "pilot_band" ? "feature" : "protected";
    const names = featureVariables(leaky, {includeProtected: true}).map((v) => v.name);
    expect(names).toContain("referral_source");
    for (const name of after) expect(names).not.toContain(name);
    expect(() => guardFeatures(["pilot_band"], leaky)).toThrow(
      /"pilot_band" is the dictionary's roles\.pilot_band, recorded after the decision/,
    );
    expect(() => guardFeatures(["pilot_response"], leaky)).toThrow(/roles\.pilot_response/);
    // The model trained on an extract with a pilot (December 2016) encodes neither, and its table holds neither.
    const r = await train(config(), {db, modelsDir: join(dir, "m-pilot")});
    const features = JSON.parse(readFileSync(join(r.dir, "features.json"), "utf8"));
    const used = JSON.stringify(features);
    expect(used).toContain("referral_source");
    for (const name of after) expect(used).not.toContain(name);
    expect(datasetSql(dict, featureVariables(dict, {includeProtected: true}), {})).not.toMatch(/pilot_/);
    await withDuckDB(
      async (conn) => {
        const [{n}] = await queryRows(conn, "SELECT count(pilot_band) AS n FROM contacts");
        expect(Number(n)).toBeGreaterThan(50); // the extract does carry the pilot's columns
      },
      db,
      {readOnly: true},
    );
  });

  it("passes the real history features and refuses a planted leak (a count over the child's whole history)", async () => {
    await withDuckDB(
      async (conn) => {
        const dict = loadDictionary();
        await checkNoLeakage(conn, dict, historyFeatures(dict), "2016-06-30 23:59:59");
        const leak = {
          name: "leaky_all_contacts",
          sql: "count(*) OVER (PARTITION BY child_id)",
          definition: "every contact of the child, past and future",
        };
        await expect(checkNoLeakage(conn, dict, [leak], "2016-06-30 23:59:59")).rejects.toThrow(
          /"leaky_all_contacts" changes .* information dated after the contact/,
        );
      },
      db,
      {readOnly: true},
    );
  });
});

describe("the modelling table's reader", () => {
  it("reads a column at a time the very rows queryRows reads (values, types, key order)", async () => {
    await withDuckDB(
      async (conn) => {
        const dict = loadDictionary();
        const sql = datasetSql(dict, featureVariables(dict), {_y: "1"});
        const [fast, slow] = [await readRows(conn, sql), await queryRows(conn, sql)];
        expect(fast.length).toBeGreaterThan(5000);
        expect(fast).toEqual(slow);
        expect(Object.keys(fast[0])).toEqual(Object.keys(slow[0]));
        // the history counts arrive from DuckDB as BIGINT: numbers here, as queryRows gives them
        expect(typeof fast.find((r) => r.hist_person_records_12m !== null)!.hist_person_records_12m).toBe("number");
      },
      db,
      {readOnly: true},
    );
  });
});

describe("metrics.json's bootstrap", () => {
  // One bootstrap per model: seeded by the model's id, one set of resamples for every figure. Recomputed
  // here from predictions.internal.csv with the shared summary, the test figures come out exactly equal.
  it("is the shared summary of the test predictions, seeded by the model id, for the model and its baseline", async () => {
    const r = await train(config(), {db, modelsDir: join(dir, "m7")});
    const m = JSON.parse(readFileSync(join(r.dir, "metrics.json"), "utf8"));
    const rows = readFileSync(join(r.dir, "predictions.internal.csv"), "utf8").trim().split("\n").slice(1);
    const y = rows.map((l) => Number(l.split(",").at(-2))),
      s = rows.map((l) => Number(l.split(",").at(-1)));
    const seed = seedFromText(r.id);
    expect(JSON.parse(JSON.stringify(scoreSummary(s, y, {seed})))).toEqual(m.test);
    expect(m.test.bootstrap).toMatchObject({seed, replicates: 200});
    for (const name of SUMMARY_STATISTICS) expect(m.test[name].lo, name).toBeLessThan(m.test[name].hi);
    expect(m.test.eceNoiseFloor).toMatchObject({n: m.test.n, seed});
    expect(m.validation.bootstrap.seed).toBe(seed);
    expect(m.baselines.oneVariable.bootstrap.seed).toBe(seed);
    // Another model (another id) draws other resamples.
    const other = await train(config({ridge: 5}), {db, modelsDir: join(dir, "m8")});
    expect(seedFromText(other.id)).not.toBe(seed);
  }, 120_000);
});
