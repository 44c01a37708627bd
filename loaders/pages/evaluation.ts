/**
 * Data for the evaluation pages (internal): every registered model evaluated on
 * the warehouse (loaders/evaluate/evaluate.ts), newest first. Two files come out
 * of one computation, cached under .tmp/ by a fingerprint of the models, the
 * warehouse, the dictionary and this code:
 * - evaluation.json: each model's metrics, curves, drift and explanations;
 * - eval-contacts.json: the test and pilot contacts as compact columns (split,
 *   day, outcome, grouping attributes as level codes) shared by models of the
 *   same target, and each model's score, band and household contribution.
 *   Contact ids never leave Node.
 */
import {createHash} from "node:crypto";
import {existsSync, mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {defaultTarget, loadDictionary, type Dictionary} from "../dictionary.ts";
import {withWarehouse} from "../db.ts";
import {ident} from "../sql.ts";
import {evaluateModel, groupingVariables} from "../evaluate/evaluate.ts";
import {evaluateScoreColumn, scoreColumns} from "../evaluate/score-column.ts";
import {defaultSplitPlan, readRows} from "../train/dataset.ts";
import {fingerprintFiles} from "../page-cache.ts";
import {listModels, newestModel} from "../registry.ts";
import {DICTIONARY, INGEST_REPORT, MODELS_DIR, PROJECT_FILE, WAREHOUSE} from "../paths.ts";

/** A column of strings as levels + integer codes (a few bytes per contact). */
function coded(values: string[]) {
  const levels = [...new Set(values)].sort();
  const index = new Map(levels.map((l, i) => [l, i]));
  return {levels, codes: values.map((v) => index.get(v)!)};
}

export async function computeEvaluation(dict: Dictionary = loadDictionary(), dir = MODELS_DIR) {
  const groupVars = groupingVariables(dict);
  const models: Record<string, unknown>[] = [];
  const cohorts: Record<string, unknown>[] = [];
  const cohortKeys: string[] = [];
  const perModel: Record<string, unknown>[] = [];
  await withWarehouse(async (db) => {
    const attrs = new Map<string, Record<string, unknown>>();
    // Read a column at a time (readRows): at a million contacts the row-object reader takes seconds.
    for (const r of await readRows(
      db,
      `SELECT ${ident(dict.roles.record)} AS _id, ${groupVars.map((g) => `coalesce(CAST(${ident(g.name)} AS VARCHAR), 'missing') AS ${ident(g.name)}`).join(", ")} FROM contacts`,
    ))
      attrs.set(String(r._id), r);
    const evaluations = [
      ...listModels(dir).map((m) => () => evaluateModel(m.dir, db, dict)),
      // Scores already in the extract (dictionary role "score"), judged the same way; bands are their test ventiles.
      ...scoreColumns(dict).map((v) => async () => {
        // On the split of the newest model of the default target, so both are judged on the same contacts.
        const model = newestModel(defaultTarget(dict), dir);
        const e = await evaluateScoreColumn(db, dict, v, model?.card.config.split ?? (await defaultSplitPlan(db, dict)));
        const sorted = e.contacts.score.filter((_, i) => e.contacts.split[i] === "test").sort((a, b) => a - b);
        const ventiles = Array.from({length: 19}, (_, k) => sorted[Math.floor(((k + 1) / 20) * (sorted.length - 1))]);
        const band = (x: number) => 1 + ventiles.filter((t) => x >= t).length;
        return {...e, contacts: {...e.contacts, band: e.contacts.score.map(band), household: e.contacts.score.map(() => null)}};
      }),
    ];
    for (const evaluate of evaluations) {
      const {contacts, ...summary} = await evaluate();
      const key = createHash("sha256").update(contacts.ids.join(",")).digest("hex");
      let cohort = cohortKeys.indexOf(key);
      if (cohort < 0) {
        cohort = cohortKeys.push(key) - 1;
        cohorts.push({
          target: summary.target,
          n: contacts.ids.length,
          split: coded(contacts.split),
          day: coded(contacts.day),
          y: contacts.y,
          groups: Object.fromEntries(
            groupVars.map((g) => [g.name, coded(contacts.ids.map((id) => String(attrs.get(id)?.[g.name] ?? "missing")))]),
          ),
        });
      }
      models.push({...summary, cohort});
      perModel.push({id: summary.id, cohort, score: contacts.score, band: contacts.band, household: contacts.household});
    }
  });
  return {summary: {groupVariables: groupVars, models}, contacts: {groupVariables: groupVars, cohorts, models: perModel}};
}

/** The evaluation, computed once per change of its inputs and shared by both page loaders. */
export async function evaluation(part: "summary" | "contacts") {
  const key = await fingerprintFiles([
    MODELS_DIR,
    INGEST_REPORT,
    WAREHOUSE,
    PROJECT_FILE,
    DICTIONARY,
    "loaders/evaluate",
    "loaders/pages/evaluation.ts",
    "src/lib",
  ]);
  const cacheDir = ".tmp/evaluation-cache";
  const file = join(cacheDir, `${key.slice(0, 16)}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"))[part];
  const result = await computeEvaluation();
  mkdirSync(cacheDir, {recursive: true});
  writeFileSync(file, JSON.stringify(result));
  return result[part];
}
