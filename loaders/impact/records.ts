/**
 * The Impact page's contacts as aligned columns (record keys and children stay in Node): contact
 * day, hours to decision, team and screener, the decision as shared / no further action, RAG, source,
 * concerns, the band and response of the pilot, the change-point subgroup — and each decided
 * contact's case-mix expected probability of sharing, the newest registered model's score for the
 * default target (a model that knows neither the date nor who decided: checked here).
 *
 * @example const records = await readImpactRecords(db, dict, spec, modelDir)
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryColumns} from "../db.ts";
import type {Dictionary} from "../dictionary.ts";
import {scoredRows} from "../evaluate/scored.ts";
import {openModelDir, readFeatures} from "../registry.ts";
import {ident, literal} from "../sql.ts";
import type {ImpactSpec} from "./spec.ts";

/** One entry per contact. */
export interface ImpactRecords {
  /** the child (for re-contacts); "" without roles.person */
  person: string[];
  /** contact time in days since 1970-01-01 (UTC; fractions are the time of day) */
  day: Float64Array;
  /** hours from contact to decision; NaN while undecided */
  hours: Float64Array;
  screener: string[];
  team: string[];
  /** 1 staff shared, 0 did not, −1 undecided */
  shared: Int8Array;
  /** 1 the decision was no further action, 0 another decision, −1 undecided */
  nfa: Int8Array;
  /** RAG label, "Not shared" when staff did not share, "" undecided or unrated */
  rag: string[];
  source: string[];
  concerns: string[][];
  band: (string | null)[];
  response: (string | null)[];
  /** 1 in the change-point subgroup */
  subgroup: Uint8Array;
  /** case-mix model's probability of sharing; NaN where not scored */
  expected: Float64Array;
}

/** The contacts' SQL: one row per contact with a time, every name from the spec. */
export function impactRecordsSql(spec: ImpactSpec): string {
  const text = (v: string | null) => (v ? `CAST(${ident(v)} AS VARCHAR)` : "NULL");
  const codes = (cs: string[]) => (cs.length ? cs.map(literal).join(", ") : "NULL");
  const t = `CAST(${ident(spec.time)} AS TIMESTAMP)`;
  const segment = spec.subgroup ? Object.entries(spec.subgroup.segment) : [];
  return `SELECT ${text(spec.record)} AS _id,
  ${text(spec.person)} AS _person,
  epoch(${t}) / 86400.0 AS _day,
  (epoch(CAST(${ident(spec.decisionTime)} AS TIMESTAMP)) - epoch(${t})) / 3600.0 AS _hours,
  ${text(spec.staff)} AS _staff,
  ${text(spec.team)} AS _team,
  CASE WHEN ${ident(spec.decision)} IS NULL THEN -1 WHEN ${text(spec.decision)} IN (${codes(spec.shared)}) THEN 1 ELSE 0 END AS _shared,
  CASE WHEN ${ident(spec.decision)} IS NULL THEN -1 WHEN ${text(spec.decision)} IN (${codes(spec.noFurtherAction)}) THEN 1 ELSE 0 END AS _nfa,
  ${text(spec.rag)} AS _rag,
  ${text(spec.source)} AS _source,
  ${spec.concerns ? `array_to_string(${ident(spec.concerns)}, ';')` : "NULL"} AS _concerns,
  ${text(spec.band)} AS _band,
  ${text(spec.response)} AS _response,
  ${segment.length ? segment.map(([v, code]) => `coalesce(${text(v)} = ${literal(code)}, false)`).join(" AND ") : "false"} AS _sub
FROM contacts
-- a contact without a time belongs to no period
WHERE ${ident(spec.time)} IS NOT NULL
ORDER BY _day, _id`;
}

/** Variables a case-mix model must not use: the date and who decided (and anything recorded after the decision). */
export function forbiddenFeatures(dict: Dictionary, spec: ImpactSpec): string[] {
  const r = dict.roles;
  return [spec.time, spec.decisionTime, spec.staff, spec.team, spec.decision, r.pilot_band, r.pilot_response].filter(
    (v): v is string => !!v,
  );
}

/** Reads the contacts and scores the decided ones with the model in `modelDir`. */
export async function readImpactRecords(
  db: DuckDBConnection,
  dict: Dictionary,
  spec: ImpactSpec,
  modelDir: string,
): Promise<ImpactRecords> {
  // Column by column: a million contacts as a few arrays, not a million objects.
  const c = await queryColumns(db, impactRecordsSql(spec));
  const used = forbiddenFeatures(dict, spec).filter((v) => readFeatures(modelDir).variables.includes(v));
  if (used.length)
    throw new Error(
      `the case-mix model ${openModelDir(modelDir).card.id} uses ${used.join(", ")}: an impact evaluation needs one that knows neither the date nor who decided`,
    );
  // The model's one scoring of the warehouse, shared with the other pages (loaders/evaluate/scored.ts).
  const scored = await scoredRows(db, dict, modelDir);
  const expectedById = new Map<string, number>();
  scored.id.forEach((id, i) => expectedById.set(id, scored.score[i]));
  const str = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  const n = c._id.length;
  const ragOf = (i: number) => {
    const shared = Number(c._shared[i]);
    if (shared === 0) return "Not shared";
    if (shared < 0 || c._rag[i] === null) return "";
    return spec.labels[spec.rag!]?.[String(c._rag[i])] ?? String(c._rag[i]);
  };
  const texts = (col: unknown[]) => Array.from(col, str);
  const orNull = (col: unknown[]) => Array.from(col, (v) => (v === null ? null : String(v)));
  return {
    person: texts(c._person),
    day: Float64Array.from(c._day, Number),
    hours: Float64Array.from(c._hours, (v) => (v === null ? NaN : Number(v))),
    screener: texts(c._staff),
    team: texts(c._team),
    shared: Int8Array.from(c._shared, Number),
    nfa: Int8Array.from(c._nfa, Number),
    rag: Array.from({length: n}, (_, i) => ragOf(i)),
    source: Array.from(c._source, (v) => str(v) || "missing"),
    concerns: Array.from(c._concerns, (v) => (v ? String(v).split(";").filter(Boolean) : [])),
    band: orNull(c._band),
    response: orNull(c._response),
    subgroup: Uint8Array.from(c._sub, (v) => (v === true ? 1 : 0)),
    expected: Float64Array.from(c._id, (id) => expectedById.get(str(id)) ?? NaN),
  };
}
