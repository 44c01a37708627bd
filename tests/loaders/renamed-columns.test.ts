// The dictionary is the whole contract: a small generated extract, and the same extract
// with its columns renamed (contact_id → case_ref, screener_id → worker, team → unit, …)
// under a copy of the dictionary renamed to match (names, roles, targets, `after`).
// Each is ingested and a logistic model trained on it; the Consistency and Cross-check
// data must come out the same, number for number, once the names are mapped.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {parse, stringify} from "yaml";
import {miniProject, SMALL_YEAR, type MiniProject} from "../fixtures/mini-project.ts";
import {consistencyData} from "../../loaders/consistency/consistency.ts";
import {crosscheckData} from "../../loaders/crosscheck/crosscheck.ts";
import {withDuckDB} from "../../loaders/db.ts";
import {loadDictionary, type Dictionary} from "../../loaders/dictionary.ts";
import {ingest} from "../../loaders/ingest/ingest.ts";
import {DEFAULT_CONFIG, train} from "../../loaders/train/train.ts";

/** Every column a role or a target names, and one feature (the baseline), renamed. */
const RENAMES: Record<string, string> = {
  contact_id: "case_ref",
  child_id: "person_ref",
  household_id: "home_ref",
  contact_datetime: "received_at",
  decision_datetime: "decided_at",
  screener_id: "worker",
  team: "unit",
  mash_decision: "outcome",
  rag_rating: "rating",
  referral_source: "source",
};

/** The extract's header renamed; the rows as they are. */
function renameCsv(from: string, to: string): void {
  const text = readFileSync(from, "utf8");
  const end = text.indexOf("\n");
  const header = text.slice(0, end).replace(/\r$/, "");
  writeFileSync(
    to,
    header
      .split(",")
      .map((h) => RENAMES[h] ?? h)
      .join(",") + text.slice(header.length),
  );
}

/** The dictionary with every name renamed where it is defined and wherever it is referred to. */
function renameDictionary(from: string, to: string): void {
  const doc = parse(readFileSync(from, "utf8"));
  const re = (name: string) => RENAMES[name] ?? name;
  for (const v of doc.variables) {
    v.name = re(v.name);
    if (v.after) v.after = re(v.after);
  }
  for (const role of Object.keys(doc.roles)) doc.roles[role] = re(doc.roles[role]);
  for (const t of Object.values(doc.targets) as {variable?: string; among?: {variable: string}}[]) {
    if (t.variable) t.variable = re(t.variable);
    if (t.among) t.among.variable = re(t.among.variable);
  }
  writeFileSync(to, stringify(doc));
}

/**
 * A result with the original names mapped to the renamed ones: object keys, string values
 * equal to a name, and encoded column names ("referral_source=police" → "source=police").
 */
function renamed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renamed);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [RENAMES[k] ?? k, renamed(v)]));
  if (typeof value === "string") {
    if (RENAMES[value]) return RENAMES[value];
    const m = /^([a-z][a-z0-9_]*)([=∋:].*)$/.exec(value);
    if (m && RENAMES[m[1]]) return RENAMES[m[1]] + m[2];
  }
  return value;
}

let original: MiniProject;
const copy = {root: "", dictionary: "", warehouse: "", modelsDir: ""};
let dicts: {original: Dictionary; renamed: Dictionary};
const open = <T>(warehouse: string, work: (db: Parameters<Parameters<typeof withDuckDB>[0]>[0]) => Promise<T>) =>
  withDuckDB(work, warehouse, {readOnly: true});

beforeAll(async () => {
  original = await miniProject({...SMALL_YEAR, seed: 21, contacts: 3000, models: [{model: "logistic"}]});
  copy.root = join(original.root, "renamed");
  for (const d of ["data/processed", "models"]) mkdirSync(join(copy.root, d), {recursive: true});
  copy.dictionary = join(copy.root, "data", "dictionary.yaml");
  copy.warehouse = join(copy.root, "data", "processed", "warehouse.duckdb");
  copy.modelsDir = join(copy.root, "models");
  const csv = join(copy.root, "cases.csv");
  renameCsv(original.csv, csv);
  renameDictionary(original.dictionary, copy.dictionary);
  await ingest({
    files: [csv],
    dictionary: copy.dictionary,
    db: copy.warehouse,
    report: join(copy.root, "data", "processed", "ingest-report.json"),
  });
  await train(
    {...DEFAULT_CONFIG, split: SMALL_YEAR.split, model: "logistic"},
    {dictionary: copy.dictionary, db: copy.warehouse, modelsDir: copy.modelsDir, reviews: original.reviews},
  );
  dicts = {original: loadDictionary(original.dictionary), renamed: loadDictionary(copy.dictionary)};
}, 240_000);
afterAll(() => original?.remove());

describe("the same extract under renamed columns and a renamed dictionary", () => {
  it("the renamed dictionary names none of the original columns: variables, roles, targets", () => {
    const d = dicts.renamed;
    const names = [
      ...d.variables.flatMap((v) => [v.name, v.after ?? ""]),
      ...Object.values(d.roles),
      ...Object.values(d.targets).flatMap((t) => [t.variable ?? "", t.among?.variable ?? ""]),
    ];
    expect(names.filter((n) => n && n in RENAMES)).toEqual([]);
    expect(dicts.renamed.roles).toMatchObject({
      record: "case_ref",
      staff: "worker",
      team: "unit",
      decision: "outcome",
      baseline_feature: "source",
    });
  });

  it("consistency: the same funnels, changes and agreement, number for number", async () => {
    const a = await open(original.warehouse, (db) => consistencyData(db, dicts.original, {dir: original.modelsDir}));
    const b = await open(copy.warehouse, (db) => consistencyData(db, dicts.renamed, {dir: copy.modelsDir}));
    if (!a.available || !b.available) throw new Error("both dictionaries name staff and decisions");
    expect(b.roles).toEqual({
      record: {name: "case_ref", label: "Contact"},
      staff: {name: "worker", label: "Screener"},
      team: {name: "unit", label: "Team"},
      decision: {name: "outcome", label: "MASH decision"},
    });
    expect(b.decided).toBeGreaterThan(1000);
    expect(b.staff.units.length).toBeGreaterThan(10);
    expect(b.agreement.overall.pairs).toBeGreaterThan(0);
    // "team" names both a role and a column: the roles are compared above, the rest name by name.
    const {model: ma, roles: _ra, ...restA} = a;
    const {model: mb, roles: _rb, ...restB} = b;
    expect(mb.id).not.toBe(ma.id); // different data hash (another dictionary), the same fit
    expect(restB).toEqual(renamed(restA));
  });

  it("cross-check: the same queue, scores, views and histories, number for number", async () => {
    const a = await open(original.warehouse, (db) => crosscheckData(db, dicts.original, {dir: original.modelsDir, queueSize: 100_000}));
    const b = await open(copy.warehouse, (db) => crosscheckData(db, dicts.renamed, {dir: copy.modelsDir, queueSize: 100_000}));
    if (!a.model || !b.model) throw new Error("both projects have an information-sharing model");
    expect(b.roles).toEqual({
      record: "case_ref",
      person: "person_ref",
      group: "home_ref",
      time: "received_at",
      decision: "outcome",
      baseline: "source",
    });
    expect(b.columns).toEqual(["outcome", "rating"]);
    expect(b.queue.length).toBeGreaterThan(300);
    expect(b.queue.some((q) => q.history!.earlier.length > 0)).toBe(true);
    const {model: ma, ...restA} = a;
    const {model: mb, ...restB} = b;
    expect(mb.kind).toBe(ma.kind);
    expect(restB).toEqual(renamed(restA));
  });
});
