// The Training page's data on a small project (18 months, so every target has labels;
// entered, so trainingParquet reads its default warehouse): the feature spec from the
// dictionary, the registered models as the registry records them, and the modelling
// table as Parquet — labels that agree with the warehouse, and a fixed quarter whose
// rows (history features included) equal those of the whole table.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {miniProject, type MiniProject} from "../../fixtures/mini-project.ts";

let project: MiniProject;
let training: typeof import("../../../loaders/pages/training.ts");
let dataset: typeof import("../../../loaders/train/dataset.ts");
let registry: typeof import("../../../loaders/registry.ts");
let db: typeof import("../../../loaders/db.ts");
let dict: import("../../../loaders/dictionary.ts").Dictionary;
const files = {all: "", quarter: "", quarterAgain: ""};
/** Runs SQL with the warehouse attached as w and the Parquet files as views all, quarter and again. */
const sql = (query: string) =>
  db.withDuckDB(async (conn) => {
    await conn.run(`ATTACH '${project.warehouse}' AS w (READ_ONLY)`);
    await conn.run(`CREATE VIEW "all" AS SELECT * FROM read_parquet('${files.all}')`);
    await conn.run(`CREATE VIEW quarter AS SELECT * FROM read_parquet('${files.quarter}')`);
    await conn.run(`CREATE VIEW again AS SELECT * FROM read_parquet('${files.quarterAgain}')`);
    return db.queryRows(conn, query);
  });

beforeAll(async () => {
  project = await miniProject({
    seed: 16,
    contacts: 3000,
    start: "2016-01-01",
    months: 18,
    pilotStart: "2017-06-01",
    pilotEnd: "2017-06-30",
    split: {validFrom: "2016-10-01", testFrom: "2017-01-01", pilotFrom: "2017-06-01", pilotTo: "2017-06-30"},
    enter: true,
    models: [{model: "logistic"}, {model: "mlp"}],
  });
  training = await import("../../../loaders/pages/training.ts");
  dataset = await import("../../../loaders/train/dataset.ts");
  registry = await import("../../../loaders/registry.ts");
  db = await import("../../../loaders/db.ts");
  dict = (await import("../../../loaders/dictionary.ts")).loadDictionary();
  for (const [name, fraction] of [
    ["all", 1],
    ["quarter", 4],
    ["quarterAgain", 4],
  ] as const) {
    files[name] = join(project.root, `${name}.parquet`);
    writeFileSync(files[name], await training.trainingParquet(dict, fraction));
  }
}, 120_000);
afterAll(() => project?.remove());

describe("trainingSpec", () => {
  it("offers the dictionary's targets, its model features plus the history features, nothing else, and its split", async () => {
    const spec = await training.trainingSpec(dict);
    expect(spec.targets.map((t) => t.name)).toEqual(Object.keys(dict.targets));
    expect(spec.targets.map((t) => t.label)).toEqual(Object.values(dict.targets).map((t) => t.label));
    expect(spec.targets[0].definition).toContain(dict.targets[spec.targets[0].name].bias);
    expect(spec.split.validFrom).toMatch(/^\d{4}-\d{2}-01$/);
    const features = dict.variables.filter((v) => v.role === "feature" && v.type !== "id" && v.type !== "date" && v.type !== "datetime");
    const history = dataset.historyFeatures(dict);
    expect(spec.variables.map((v) => v.name)).toEqual([...features.map((v) => v.name), ...history.map((h) => h.name)]);
    expect(spec.variables.slice(features.length)).toEqual(
      history.map((h) => ({name: h.name, label: h.definition, group: "history", type: "integer"})),
    );
    spec.variables
      .slice(0, features.length)
      .forEach((v, i) => expect(v).toMatchObject({label: features[i].label, group: features[i].group, type: features[i].type}));
    for (const v of dict.variables.filter((x) => x.role !== "feature")) expect(spec.variables.map((s) => s.name)).not.toContain(v.name);
    // every group offered has its label from the dictionary (the page shows labels, not group names)
    for (const v of spec.variables) expect(spec.groups[v.group], v.group).toBe(dict.groups[v.group]);
    expect(spec.groups.history).toBeTruthy();
  });
});

describe("registeredModels", () => {
  it("lists every registered model, newest first, with the figures its registry files record", () => {
    const listed = training.registeredModels(project.modelsDir);
    const registered = registry.listModels(project.modelsDir);
    expect(listed.map((m) => m.id)).toEqual(registered.map((m) => m.id));
    expect(listed.map((m) => m.model)).toEqual(["mlp", "logistic"]); // trained second, so newer
    for (const [i, m] of listed.entries()) {
      const metrics = registry.readMetrics(registered[i].dir) as unknown as {
        test: {n: number; auc: unknown};
        validation: {auc: unknown};
        baselines: {oneVariable: {auc: unknown; label: string}};
        history: {points: unknown[]};
        roc: unknown[];
      };
      expect(m).toMatchObject({
        target: "info_sharing",
        trainedAt: registered[i].card.trainedAt,
        seconds: registered[i].card.trainingSeconds,
        n: metrics.test.n,
      });
      expect(m.testAuc).toEqual(metrics.test.auc);
      expect(m.validationAuc).toEqual(metrics.validation.auc);
      expect(m.baselineAuc).toEqual(metrics.baselines.oneVariable.auc);
      expect(m.history).toEqual(metrics.history.points);
      expect(m.roc).toEqual(metrics.roc);
      expect(m.roc[0]).toEqual({fpr: 0, tpr: 0});
      expect(m.roc.at(-1)).toEqual({fpr: 1, tpr: 1});
    }
    // Learning curves: both sets after each of the MLP's two epochs; the exact logistic fit is one point per set.
    expect(listed[0].history.map((d) => `${d.epoch} ${d.set}`)).toEqual(["1 training", "1 validation", "2 training", "2 validation"]);
    expect(listed[1].history.map((d) => `${d.epoch} ${d.set}`)).toEqual(["1 training", "1 validation"]);
    expect(training.registeredModels(join(project.root, "no-models"))).toEqual([]);
  });
});

describe("trainingParquet", () => {
  it("holds the modelling table's columns: id, child, time, model features, special codes, history and one label per target", async () => {
    const columns = (await sql(`SELECT column_name FROM (DESCRIBE "all")`)).map((r) => String(r.column_name));
    const features = dataset.featureVariables(dict);
    expect(columns).toEqual([
      "_id",
      "_person",
      "_time",
      ...features.map((v) => v.name),
      ...features.filter((v) => v.special_codes?.length).map((v) => `${v.name}_code`),
      ...dataset.historyFeatures(dict).map((h) => h.name),
      ...Object.keys(dict.targets).map((t) => `y_${t}`),
    ]);
    for (const v of dict.variables.filter((x) => x.role === "protected")) expect(columns).not.toContain(v.name);
  });

  it("labels every contact as the warehouse says: the decision, the RAG rating when shared, a re-contact within a year unless censored", async () => {
    const [r] = await sql(`WITH c AS (
        SELECT contact_id, child_id, contact_datetime, CAST(mash_decision AS VARCHAR) AS decision, CAST(rag_rating AS VARCHAR) AS rag,
          contact_datetime > (SELECT max(contact_datetime) FROM w.contacts) - INTERVAL 365 DAYS AS censored,
          EXISTS (SELECT 1 FROM w.contacts l WHERE l.child_id = k.child_id AND l.contact_datetime > k.contact_datetime AND l.contact_datetime <= k.contact_datetime + INTERVAL 365 DAYS) AS again
        FROM w.contacts k)
      SELECT count(*) AS n, (SELECT count(*) FROM w.contacts) AS contacts,
        count(*) FILTER (WHERE a.y_info_sharing IS DISTINCT FROM CASE WHEN decision IS NULL THEN NULL WHEN decision = 'info_sharing' THEN 1 ELSE 0 END) AS info_sharing,
        count(*) FILTER (WHERE a.y_rag_red IS DISTINCT FROM CASE WHEN decision = 'info_sharing' AND rag IS NOT NULL THEN CAST(rag = 'red' AS INTEGER) END) AS rag_red,
        count(*) FILTER (WHERE a.y_recontact_12m IS DISTINCT FROM CASE WHEN censored THEN NULL WHEN again THEN 1 ELSE 0 END) AS recontact,
        count(*) FILTER (WHERE a._person IS DISTINCT FROM c.child_id OR a._time IS DISTINCT FROM strftime(c.contact_datetime, '%Y-%m-%d %H:%M:%S')) AS child_time,
        count(a.y_recontact_12m) AS recontact_labelled, sum(a.y_recontact_12m) AS recontacted
      FROM "all" a JOIN c ON c.contact_id = a._id`);
    expect(r.n).toBe(r.contacts);
    expect({info_sharing: r.info_sharing, rag_red: r.rag_red, recontact: r.recontact, child_time: r.child_time}).toEqual({
      info_sharing: 0,
      rag_red: 0,
      recontact: 0,
      child_time: 0,
    });
    expect(Number(r.recontact_labelled)).toBeGreaterThan(0); // 18 months: the first six are not censored
    expect(Number(r.recontacted)).toBeGreaterThan(0);
  });

  it("samples a fixed quarter of the contacts whose rows, history features included, equal those of the whole table", async () => {
    const [r] = await sql(`SELECT (SELECT count(*) FROM "all") AS n, (SELECT count(*) FROM quarter) AS q,
      (SELECT count(*) FROM (SELECT * FROM quarter EXCEPT ALL SELECT * FROM "all")) AS changed,
      (SELECT count(*) FROM (SELECT * FROM quarter EXCEPT ALL SELECT * FROM again)) + (SELECT count(*) FROM (SELECT * FROM again EXCEPT ALL SELECT * FROM quarter)) AS unstable,
      (SELECT count(*) FROM quarter WHERE hist_person_records_12m > 0) AS with_history`);
    expect(Number(r.q) / Number(r.n)).toBeGreaterThan(0.15);
    expect(Number(r.q) / Number(r.n)).toBeLessThan(0.35);
    expect(r.changed).toBe(0);
    expect(r.unstable).toBe(0);
    expect(r.with_history).toBeGreaterThan(0);
  });
});
