/**
 * The modelling table, built in DuckDB from the warehouse: dictionary features,
 * history features computed from EARLIER contacts only, and the targets. A
 * leakage guard refuses features that are targets, times or identifiers, and an
 * empirical check proves history features do not change when later contacts are
 * removed.
 */
import {createHash} from "node:crypto";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary, Variable} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {ident, literal} from "../sql.ts";
import type {FeatureVariable, Row} from "../../src/lib/features.ts";

export const TARGETS = {
  info_sharing:
    "the staff decision: the contact went to multi-agency information sharing (known bias: it learns staff practice, including its inconsistencies)",
  rag_red: "the staff RAG rating was red, among contacts shared (known bias: rated by staff, only for shared contacts)",
  recontact_12m:
    "the child was contacted again within 12 months (an outcome that does not copy staff; censored in the last 12 months, which are left out, never counted as negatives)",
} as const;
export type Target = keyof typeof TARGETS;

/** History features: the name, the SQL (a window over earlier contacts only) and what it means. */
export interface HistoryFeature {
  name: string;
  sql: string;
  definition: string;
}

/** Contacts strictly before this one, in the year before it. */
const PAST_YEAR = (time: string) => `ORDER BY ${time} RANGE BETWEEN INTERVAL 365 DAYS PRECEDING AND INTERVAL 1 MICROSECOND PRECEDING`;

export function historyFeatures(time = "contact_datetime", child = "child_id", household = "household_id"): HistoryFeature[] {
  const t = ident(time);
  return [
    {
      name: "hist_child_contacts_12m",
      sql: `count(*) OVER (PARTITION BY ${ident(child)} ${PAST_YEAR(t)})`,
      definition: "contacts about the same child in the 365 days before (counted in the warehouse)",
    },
    {
      name: "hist_household_contacts_12m",
      sql: `count(*) OVER (PARTITION BY ${ident(household)} ${PAST_YEAR(t)})`,
      definition: "contacts about the same household in the 365 days before",
    },
    {
      name: "hist_days_since_child_contact",
      sql: `date_diff('day', max(${t}) OVER (PARTITION BY ${ident(child)} ${PAST_YEAR(t)}), ${t})`,
      definition: "days since the child's previous contact in the last year (empty when none)",
    },
  ];
}

/** Dictionary variables usable as features: role feature (and protected, when asked). */
export function featureVariables(dict: Dictionary, {includeProtected = false} = {}): Variable[] {
  return dict.variables.filter(
    (v) =>
      (v.role === "feature" || (includeProtected && v.role === "protected")) &&
      ["category", "multi-category", "integer", "number", "boolean"].includes(v.type),
  );
}

/** Refuses a feature list that names a target, a time, an id, an excluded variable or a score. */
export function guardFeatures(names: string[], dict: Dictionary): void {
  for (const name of names) {
    const v = dict.variables.find((x) => x.name === name);
    if (v && !["feature", "protected"].includes(v.role)) {
      throw new Error(`leakage guard: "${name}" has role ${v.role} in the dictionary and cannot be a model feature`);
    }
  }
}

/**
 * Empirical leakage check: history features computed on all contacts must equal
 * those computed with every contact after `cut` removed, for contacts up to `cut`.
 * Throws naming the leaking feature.
 */
export async function checkNoLeakage(
  db: DuckDBConnection,
  features: HistoryFeature[],
  cut: string,
  time = "contact_datetime",
  id = "contact_id",
): Promise<void> {
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

/** SQL for every target's label (NULL where unknown or censored), given the extract's last contact time. */
export function targetSql(end: string): Record<Target, string> {
  return {
    info_sharing: `CASE WHEN mash_decision IS NULL THEN NULL ELSE CAST(mash_decision = 'info_sharing' AS INTEGER) END`,
    rag_red: `CASE WHEN mash_decision = 'info_sharing' AND rag_rating IS NOT NULL THEN CAST(rag_rating = 'red' AS INTEGER) END`,
    // Censored: a contact in the last 12 months cannot show a re-contact yet, so it has no label.
    recontact_12m: `CASE WHEN contact_datetime > TIMESTAMP ${literal(end)} - INTERVAL 365 DAYS THEN NULL
      WHEN min(contact_datetime) OVER (PARTITION BY child_id ORDER BY contact_datetime ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) <= contact_datetime + INTERVAL 365 DAYS THEN 1 ELSE 0 END`,
  };
}

/** SQL of the modelling table: id, child, time, features, history features and the given label columns. */
export function datasetSql(vars: Variable[], labels: Record<string, string>, where = ""): string {
  const special = vars.filter((v) => v.special_codes?.length).map((v) => ident(`${v.name}_code`));
  return `SELECT contact_id, child_id AS _child, strftime(contact_datetime, '%Y-%m-%d %H:%M:%S') AS _time,
      ${[...vars.map((v) => (v.type === "multi-category" ? `array_to_string(${ident(v.name)}, ';') AS ${ident(v.name)}` : ident(v.name))), ...special].join(", ")},
      ${historyFeatures()
        .map((h) => `${h.sql} AS ${ident(h.name)}`)
        .join(", ")},
      ${Object.entries(labels)
        .map(([k, v]) => `${v} AS ${ident(k)}`)
        .join(", ")}
    FROM contacts ${where} ORDER BY contact_datetime, contact_id`;
}

/** Reads the modelling rows (features, history, target, child, time) for one target. */
export async function loadDataset(
  db: DuckDBConnection,
  dict: Dictionary,
  target: Target,
  {includeProtected = false, exclude = [] as string[], labelledOnly = true} = {},
): Promise<Dataset> {
  const vars = featureVariables(dict, {includeProtected});
  const history = historyFeatures();
  guardFeatures(
    vars.map((v) => v.name),
    dict,
  );
  const [{end}] = await queryRows(db, `SELECT strftime(max(contact_datetime), '%Y-%m-%d %H:%M:%S') AS "end" FROM contacts`);
  const excluded = exclude.length ? `WHERE contact_id NOT IN (${exclude.map(literal).join(", ")})` : "";
  const rows = await queryRows(db, datasetSql(vars, {_y: targetSql(String(end))[target]}, excluded));
  const labelled = labelledOnly ? rows.filter((r) => r._y !== null) : rows;
  const [files] = await queryRows(db, `SELECT string_agg(sha256, ',' ORDER BY file) AS h FROM ingest_files`);
  const [meta] = await queryRows(db, `SELECT dictionary_sha256 FROM meta`);
  const dataHash = createHash("sha256")
    .update(`${files.h}|${meta.dictionary_sha256}|${exclude.join(",")}`)
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
