/**
 * The modelling table, built in DuckDB from the warehouse: dictionary features,
 * history features computed from EARLIER contacts only, and the targets. A
 * leakage guard refuses features that are targets, times or identifiers, and an
 * empirical check proves history features do not change when later contacts are
 * removed.
 */
import {createHash} from "node:crypto";
import {JSDuckDBValueConverter, type DuckDBConnection} from "@duckdb/node-api";
import {
  afterDecisionVariables,
  roleVariable,
  targetDefinition,
  variable,
  type Dictionary,
  type TargetDefinition,
  type Variable,
} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {ident, literal} from "../sql.ts";
import type {FeatureVariable, Row} from "../../src/lib/features.ts";
import {chooseSplit, deriveSplit, type SplitChoice, type SplitPlan} from "../../src/lib/splits.ts";

/** A target's name, as the dictionary's `targets:` defines it. */
export type Target = string;

/** The names of the dictionary's targets. */
export function targetNames(dict: Dictionary): Target[] {
  return Object.keys(dict.targets);
}

/** What a target means and what it cannot tell, in one line (for cards and pages). */
export function targetText(dict: Dictionary, name: Target): string {
  const t = targetDefinition(dict, name);
  return `${t.definition} (known bias: ${t.bias})`;
}

/** History features: the name, the SQL (a window over earlier contacts only) and what it means. */
export interface HistoryFeature {
  name: string;
  sql: string;
  definition: string;
}

/** Records strictly before this one, in the year before it. */
const PAST_YEAR = (time: string) => `ORDER BY ${time} RANGE BETWEEN INTERVAL 365 DAYS PRECEDING AND INTERVAL 1 MICROSECOND PRECEDING`;

/**
 * History features from the roles present: earlier records of the same person and of the same
 * group in the year before, and the days since the person's previous record. None without a person.
 */
export function historyFeatures(dict: Dictionary): HistoryFeature[] {
  const {person, group, event_time} = dict.roles;
  const t = ident(event_time);
  const label = (name: string) => variable(dict, name).label.toLowerCase();
  const out: HistoryFeature[] = [];
  if (person) {
    out.push({
      name: "hist_person_records_12m",
      sql: `count(*) OVER (PARTITION BY ${ident(person)} ${PAST_YEAR(t)})`,
      definition: `records about the same ${label(person)} in the 365 days before (counted in the warehouse)`,
    });
  }
  if (person && group) {
    out.push({
      name: "hist_group_records_12m",
      sql: `count(*) OVER (PARTITION BY ${ident(group)} ${PAST_YEAR(t)})`,
      definition: `records about the same ${label(group)} in the 365 days before`,
    });
  }
  if (person) {
    out.push({
      name: "hist_days_since_person_record",
      sql: `date_diff('day', max(${t}) OVER (PARTITION BY ${ident(person)} ${PAST_YEAR(t)}), ${t})`,
      definition: `days since the ${label(person)}'s previous record in the last year (empty when none)`,
    });
  }
  return out;
}

/**
 * Dictionary variables usable as features: role feature (and protected, when asked), never one an
 * after-decision role names (the decision, its time, the pilot's band and response: dictionary.ts).
 */
export function featureVariables(dict: Dictionary, {includeProtected = false} = {}): Variable[] {
  const after = afterDecisionVariables(dict);
  return dict.variables.filter(
    (v) =>
      (v.role === "feature" || (includeProtected && v.role === "protected")) &&
      !after.has(v.name) &&
      ["category", "multi-category", "integer", "number", "boolean"].includes(v.type),
  );
}

/** Refuses a feature list that names a target, a time, an id, an excluded variable, a score, or an after-decision role's variable. */
export function guardFeatures(names: string[], dict: Dictionary): void {
  const after = afterDecisionVariables(dict);
  for (const name of names) {
    const v = dict.variables.find((x) => x.name === name);
    if (v && !["feature", "protected"].includes(v.role)) {
      throw new Error(`leakage guard: "${name}" has role ${v.role} in the dictionary and cannot be a model feature`);
    }
    const role = after.get(name);
    if (role)
      throw new Error(
        `leakage guard: "${name}" is the dictionary's roles.${role}, recorded after the decision: it cannot be a model feature`,
      );
  }
}

/**
 * Empirical leakage check: history features computed on all contacts must equal
 * those computed with every contact after `cut` removed, for contacts up to `cut`.
 * Throws naming the leaking feature.
 */
export async function checkNoLeakage(db: DuckDBConnection, dict: Dictionary, features: HistoryFeature[], cut: string): Promise<void> {
  const time = dict.roles.event_time;
  const id = dict.roles.record;
  for (const f of features) {
    const [{n}] = await queryRows(
      db,
      `SELECT count(*) AS n FROM
      (SELECT ${ident(id)}, ${f.sql} AS v FROM contacts) a
      JOIN (SELECT ${ident(id)}, ${f.sql} AS v FROM contacts WHERE ${ident(time)} <= TIMESTAMP ${literal(cut)}) b USING (${ident(id)})
      WHERE a.v IS DISTINCT FROM b.v`,
    );
    if (Number(n) > 0)
      throw new Error(
        `leakage guard: feature "${f.name}" changes for ${n} contacts when later contacts are removed: it uses information dated after the contact`,
      );
  }
}

export interface Dataset {
  rows: Row[];
  variables: FeatureVariable[];
  history: HistoryFeature[];
  target: Target;
  /** sha256 of the warehouse's files and dictionary: part of the model id */
  dataHash: string;
  extractEnd: string;
  censored: number;
}

/**
 * SQL for every target's label (NULL where unknown or censored), given the extract's last record
 * time: 1 where the target variable holds a positive code (among the records `among` selects), or,
 * for a recurrence target, where the same person has a later record within `recurrence_days`
 * (strictly after the record, at most the window after it). A recurrence label exists
 * only where its whole window lies inside the data (record time + window ≤ the last record time):
 * a record near the end cannot show a recurrence yet, so it is censored, never a negative. The
 * split censors again at each period's start ({@link chooseTrainingSplit}).
 *
 * @example targetSql(dict, "2019-03-31 23:55:00").recontact_12m // "CASE WHEN … THEN NULL … END"
 */
export function targetSql(dict: Dictionary, end: string): Record<Target, string> {
  const codes = (list: string[]) => list.map(literal).join(", ");
  const sql = ([name, t]: [string, TargetDefinition]): [string, string] => {
    if (t.recurrence_days) {
      const time = ident(dict.roles.event_time);
      const person = ident(roleVariable(dict, "person", `the recurrence target ${name}`));
      const days = `INTERVAL ${t.recurrence_days} DAYS`;
      return [
        name,
        // Censored: the window is not fully observed (it runs past the last record), or no person to follow.
        `CASE WHEN ${time} > TIMESTAMP ${literal(end)} - ${days} OR ${person} IS NULL THEN NULL
      WHEN count(*) OVER (PARTITION BY ${person} ORDER BY ${time} RANGE BETWEEN INTERVAL 1 MICROSECOND FOLLOWING AND ${days} FOLLOWING) > 0 THEN 1 ELSE 0 END`,
      ];
    }
    const v = ident(t.variable!);
    const spec = variable(dict, t.variable!);
    // A boolean is stored TRUE where it holds its first listed code: compare truth values, not text.
    const positive =
      spec.type === "boolean"
        ? `CAST(${v} IN (${t.positive!.map((c) => (c === spec.codes?.[0]?.code ? "TRUE" : "FALSE")).join(", ")}) AS INTEGER)`
        : `CAST(${v} IN (${codes(t.positive!)}) AS INTEGER)`;
    if (t.among)
      return [name, `CASE WHEN ${ident(t.among.variable)} IN (${codes(t.among.codes)}) AND ${v} IS NOT NULL THEN ${positive} END`];
    return [name, `CASE WHEN ${v} IS NULL THEN NULL ELSE ${positive} END`];
  };
  return Object.fromEntries(Object.entries(dict.targets).map(sql));
}

/**
 * SQL of the modelling table: the record key (_id), the person (_person: the record itself when the
 * dictionary names none), the time (_time), features, history features and the given label columns.
 */
export function datasetSql(dict: Dictionary, vars: Variable[], labels: Record<string, string>, where = ""): string {
  const {record, person, event_time} = dict.roles;
  const special = vars.filter((v) => v.special_codes?.length).map((v) => ident(`${v.name}_code`));
  const columns = [
    `${ident(record)} AS _id`,
    `${ident(person ?? record)} AS _person`,
    `strftime(${ident(event_time)}, '%Y-%m-%d %H:%M:%S') AS _time`,
    ...vars.map((v) => (v.type === "multi-category" ? `array_to_string(${ident(v.name)}, ';') AS ${ident(v.name)}` : ident(v.name))),
    ...special,
    ...historyFeatures(dict).map((h) => `${h.sql} AS ${ident(h.name)}`),
    ...Object.entries(labels).map(([k, v]) => `${v} AS ${ident(k)}`),
  ];
  // Ordered by time, then key: the same rows in the same order on every run.
  return `SELECT ${columns.join(",\n      ")}
    FROM contacts ${where} ORDER BY ${ident(event_time)}, ${ident(record)}`;
}

/**
 * The rows of a query as objects, with `queryRows`' values (bigints as numbers, other non-JSON values as
 * text), streamed a chunk (2,048 rows) at a time: no whole copy of the result is held beside the objects.
 */
export async function readRows(db: DuckDBConnection, sql: string): Promise<Row[]> {
  const result = await db.stream(sql);
  const names = result.columnNames();
  const value = (v: unknown): Row[string] =>
    typeof v === "bigint"
      ? Number(v)
      : v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean"
        ? v
        : String(v);
  const rows: Row[] = [];
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const columns = chunk.convertColumns(JSDuckDBValueConverter);
    for (let i = 0; i < chunk.rowCount; i++) {
      const row: Row = {};
      for (let c = 0; c < names.length; c++) row[names[c]] = value(columns[c][i]);
      rows.push(row);
    }
  }
  return rows;
}

/** What the warehouse was built from: its extracts' sha256s (by file name) and its dictionary's, as one text. */
export async function warehouseContent(db: DuckDBConnection): Promise<string> {
  const [files] = await queryRows(db, `SELECT string_agg(sha256, ',' ORDER BY file) AS h FROM ingest_files`);
  const [meta] = await queryRows(db, `SELECT dictionary_sha256 FROM meta`);
  return `${files.h}|${meta.dictionary_sha256}`;
}

/** Reads the modelling rows (features, history, target, child, time) for one target. */
export async function loadDataset(
  db: DuckDBConnection,
  dict: Dictionary,
  target: Target,
  {
    includeProtected = false,
    exclude = [] as string[],
    labelledOnly = true,
    only,
  }: {
    includeProtected?: boolean;
    exclude?: string[];
    labelledOnly?: boolean;
    /** these record keys alone (history counts still over every record) */ only?: string[];
  } = {},
): Promise<Dataset> {
  const vars = featureVariables(dict, {includeProtected});
  const history = historyFeatures(dict);
  guardFeatures(
    vars.map((v) => v.name),
    dict,
  );
  const {record, event_time} = dict.roles;
  const [{end}] = await queryRows(db, `SELECT strftime(max(${ident(event_time)}), '%Y-%m-%d %H:%M:%S') AS "end" FROM contacts`);
  // Records marked as data errors in review files are left out.
  const excluded = exclude.length ? `WHERE ${ident(record)} NOT IN (${exclude.map(literal).join(", ")})` : "";
  targetDefinition(dict, target); // an unknown target is refused by name
  const sql = datasetSql(dict, vars, {_y: targetSql(dict, String(end))[target]}, excluded);
  const rows = await readRows(db, only ? `SELECT * FROM (${sql}) WHERE CAST(_id AS VARCHAR) IN (${only.map(literal).join(", ")})` : sql);
  const labelled = labelledOnly ? rows.filter((r) => r._y !== null) : rows;
  const dataHash = createHash("sha256")
    .update(`${await warehouseContent(db)}|${exclude.join(",")}`)
    .digest("hex");
  const variables: FeatureVariable[] = [
    ...vars.map((v) => ({name: v.name, type: v.type as FeatureVariable["type"], codes: v.codes, special_codes: v.special_codes})),
    ...history.map((h) => ({name: h.name, type: "integer" as const})),
  ];
  return {
    rows: labelled as Row[],
    variables,
    history,
    target,
    dataHash,
    extractEnd: String(end),
    censored: rows.filter((r) => r._y === null).length,
  };
}

/**
 * The dictionary's `split:` as a plan, or undefined when it has none.
 *
 * @example dictionarySplit(dict) // {validFrom: "2018-01-01", testFrom: "2018-07-01", pilotFrom: "2019-01-01", pilotTo: "2019-03-31"}
 */
export function dictionarySplit(dict: Dictionary): SplitPlan | undefined {
  const s = dict.split;
  if (!s) return undefined;
  return {
    validFrom: s.valid_from,
    testFrom: s.test_from,
    ...(s.pilot_from && s.pilot_to ? {pilotFrom: s.pilot_from, pilotTo: s.pilot_to} : {}),
  };
}

/**
 * The warehouse's first and last event times (YYYY-MM-DD HH:MM:SS); throws when it holds none.
 *
 * @example await dataRange(db, dict) // {first: "2015-01-01 03:54:00", last: "2019-03-31 23:55:00"}
 */
export async function dataRange(db: DuckDBConnection, dict: Dictionary): Promise<{first: string; last: string}> {
  const t = ident(dict.roles.event_time);
  const [{first, last}] = await queryRows(
    db,
    `SELECT strftime(min(${t}), '%Y-%m-%d %H:%M:%S') AS first, strftime(max(${t}), '%Y-%m-%d %H:%M:%S') AS last FROM contacts`,
  );
  if (!first || !last) throw new Error(`no ${dict.roles.event_time} in the warehouse: nothing to split`);
  return {first: String(first), last: String(last)};
}

/**
 * The default split plan: the dictionary's `split:`, else one derived from the warehouse's own
 * range of event times (never a fixed year). A target with a follow-up window is split by
 * {@link chooseTrainingSplit} instead.
 */
export async function defaultSplitPlan(db: DuckDBConnection, dict: Dictionary): Promise<SplitPlan> {
  const plan = dictionarySplit(dict);
  if (plan) return plan;
  const {first, last} = await dataRange(db, dict);
  return deriveSplit(first.slice(0, 10), last.slice(0, 10));
}

/**
 * The split a model of `target` is trained with ({@link chooseSplit}): the given one (train
 * --config), else the dictionary's, else derived from the data's dates; for a target with
 * `recurrence_days`, censored so that no label uses follow-up past the next period's start, and
 * derived from the dates and the window when the dictionary's would leave fewer than
 * MIN_TEST_CONTACTS test contacts.
 *
 * @example const {plan, why, result} = await chooseTrainingSplit(db, dict, "recontact_12m", data.rows);
 */
export async function chooseTrainingSplit(
  db: DuckDBConnection,
  dict: Dictionary,
  target: Target,
  rows: Row[],
  given?: SplitPlan,
): Promise<SplitChoice> {
  const {first, last} = await dataRange(db, dict);
  return chooseSplit(
    rows.map((r) => ({child: String(r._person), time: String(r._time)})),
    {given, dictionary: dictionarySplit(dict), first, last, followUpDays: targetDefinition(dict, target).recurrence_days},
  );
}
