/**
 * Fast code look-ups for categorical columns. Most values of a categorical column
 * are spelled exactly like one of a few texts (a code, or a frequent combination
 * of codes in a multi-category column). Those texts are known in advance (the
 * dictionary's spellings, and the frequent values of the first rows of the file),
 * so their prepared value is computed once here, by the very SQL that prepares a
 * column, and each row then needs one hash probe (a cast to an ENUM of those
 * texts). A text the look-up does not hold takes the general way: the result is
 * the same either way, only faster for the common texts.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import {normaliseSpelling, spellings, type Dictionary, type Variable} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {ident, literal} from "../sql.ts";
import {columnSql, mapsSql, UNKNOWN, type FastLookup} from "./validate.ts";

const LOOKUP_TYPES = new Set(["category", "boolean", "multi-category"]);
/** Rows read from the start of the file to find frequent texts, and how many texts per column are kept. */
const SAMPLE_ROWS = 20_000;
const SAMPLE_TEXTS = 512;

/** The texts a look-up should know without reading the file: every spelling as written and normalised. */
function dictionaryTexts(v: Variable, dict: Dictionary): string[] {
  const out = new Set<string>();
  for (const c of [...(v.codes ?? []), ...(v.special_codes ?? [])]) {
    for (const s of [c.code, c.label, ...(c.synonyms ?? [])]) if (s) out.add(s).add(normaliseSpelling(s));
  }
  for (const [k] of spellings(v)) out.add(k);
  for (const m of dict.missing_markers) if (m) out.add(m);
  return [...out];
}

/**
 * Builds a look-up per categorical column of one file. `source` is the file as a
 * DuckDB table function (rows that cannot be parsed skipped); `header` maps
 * variable names to the file's column names; `prefix` names the ENUM types.
 * Only texts whose prepared value is known codes are kept (never an unknown
 * spelling: those are screened for identifiers, and stay out of any SQL text).
 */
export async function fastLookups(db: DuckDBConnection, dict: Dictionary, header: Map<string, string>, source: string, prefix: string): Promise<Map<string, FastLookup>> {
  const vars = dict.variables.filter((v) => LOOKUP_TYPES.has(v.type) && header.has(v.name));
  const out = new Map<string, FastLookup>();
  if (!vars.length) return out;
  const sample = `${prefix}_sample`;
  await db.run(`CREATE TEMP TABLE ${sample} AS SELECT ${vars.map((v, i) => `${ident(header.get(v.name)!)} AS c${i}`).join(", ")} FROM ${source} LIMIT ${SAMPLE_ROWS}`);
  for (const [i, v] of vars.entries()) {
    const frequent = await queryRows(db, `SELECT c${i} AS t FROM ${sample} WHERE c${i} IS NOT NULL GROUP BY c${i} HAVING count(*) > 1 ORDER BY count(*) DESC, c${i} LIMIT ${SAMPLE_TEXTS}`);
    const texts = [...new Set([...dictionaryTexts(v, dict), ...frequent.map((r) => String(r.t))])].filter((t) => t !== "");
    // The prepared value of each text, by the same SQL as the general way.
    const prep = columnSql(dict, v, "t").prep;
    const known = v.type === "multi-category" ? `p IS NOT NULL AND NOT list_contains(p, ${literal(UNKNOWN)})` : `p IS NOT NULL AND p <> ${literal(UNKNOWN)}`;
    const rows = await queryRows(db, `SELECT t, to_json(p) AS p FROM (SELECT t, ${prep} AS p FROM (SELECT unnest([${texts.map(literal).join(", ")}]::VARCHAR[]) AS t) CROSS JOIN ${mapsSql([v], dict.missing_markers)}) WHERE ${known}`);
    if (!rows.length) continue;
    const enumType = ident(`${prefix}_${i}`);
    await db.run(`CREATE TYPE ${enumType} AS ENUM (${rows.map((r) => literal(String(r.t))).join(", ")})`);
    const value = (json: string) => {
      const p = JSON.parse(json) as string | string[];
      return Array.isArray(p) ? `[${p.map(literal).join(", ")}]::VARCHAR[]` : literal(p);
    };
    out.set(v.name, {enumType, values: `[${rows.map((r) => value(String(r.p))).join(", ")}]`});
  }
  await db.run(`DROP TABLE ${sample}`);
  return out;
}
