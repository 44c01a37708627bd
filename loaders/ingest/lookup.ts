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
import {closeSync, fstatSync, openSync, readSync} from "node:fs";
import type {DuckDBConnection} from "@duckdb/node-api";
import {normaliseSpelling, spellings, type Dictionary, type Variable} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {ident, literal} from "../sql.ts";
import {splitCsvLine} from "./header.ts";
import {columnSql, mapsSql, UNKNOWN, type FastLookup} from "./validate.ts";

const LOOKUP_TYPES = new Set(["category", "boolean", "multi-category"]);
/** Bytes read from the start of the file to find frequent texts, and how many texts per column are kept. */
const SAMPLE_BYTES = 1 << 20;
const SAMPLE_TEXTS = 512;

/** The frequent values of each column in the first lines of a (UTF-8) file, parsed in Node: a guess is enough here. */
function sampleValues(path: string, header: string[], columns: string[]): Map<string, string[]> {
  const fd = openSync(path, "r");
  const buf = Buffer.alloc(Math.min(SAMPLE_BYTES, fstatSync(fd).size));
  const n = readSync(fd, buf, 0, buf.length, 0);
  closeSync(fd);
  const lines = buf.subarray(0, n).toString("utf8").split("\n");
  lines.pop(); // perhaps cut short
  lines.shift(); // the header
  const index = columns.map((c) => header.indexOf(c));
  const counts = columns.map(() => new Map<string, number>());
  for (const line of lines) {
    const fields = splitCsvLine(line.endsWith("\r") ? line.slice(0, -1) : line);
    if (fields.length !== header.length) continue;
    index.forEach((i, k) => {
      const value = fields[i];
      if (value !== "") counts[k].set(value, (counts[k].get(value) ?? 0) + 1);
    });
  }
  return new Map(
    columns.map((c, k) => [
      c,
      [...counts[k]]
        .filter(([, n]) => n > 1)
        .sort((a, b) => b[1] - a[1])
        .slice(0, SAMPLE_TEXTS)
        .map(([v]) => v),
    ]),
  );
}

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
 * Builds a look-up per categorical column of one file: `path` is the file (UTF-8),
 * `header` its columns, `map` variable names → columns; `prefix` names the ENUM types.
 * Only texts whose prepared value is known codes are kept (never an unknown
 * spelling: those are screened for identifiers, and stay out of any SQL text).
 */
export async function fastLookups(
  db: DuckDBConnection,
  dict: Dictionary,
  path: string,
  header: string[],
  map: Map<string, string>,
  prefix: string,
): Promise<Map<string, FastLookup>> {
  const vars = dict.variables.filter((v) => LOOKUP_TYPES.has(v.type) && map.has(v.name));
  const out = new Map<string, FastLookup>();
  if (!vars.length) return out;
  const sample = sampleValues(
    path,
    header,
    vars.map((v) => map.get(v.name)!),
  );
  // Every column's texts prepared in one query (by the same SQL as the general way), in order.
  const selects = vars.map((v, i) => {
    const frequent = sample.get(map.get(v.name)!) ?? [];
    const texts = [...new Set([...dictionaryTexts(v, dict), ...frequent])].filter((t) => t !== "");
    const prep = columnSql(dict, v, "t").prep;
    const known =
      v.type === "multi-category"
        ? `p IS NOT NULL AND NOT list_contains(p, ${literal(UNKNOWN)})`
        : `p IS NOT NULL AND p <> ${literal(UNKNOWN)}`;
    const list = `[${texts.map(literal).join(", ")}]::VARCHAR[]`;
    return `SELECT ${i} AS i, k, t, to_json(p) AS p FROM (SELECT k, t, ${prep} AS p FROM (SELECT unnest(${list}) AS t, generate_subscripts(${list}, 1) AS k) CROSS JOIN ${mapsSql([v], dict.missing_markers)}) WHERE ${known}`;
  });
  const rows = await queryRows(db, `SELECT i, t, p FROM (${selects.join(" UNION ALL ")}) ORDER BY i, k`);
  const types: string[] = [];
  for (const [i, v] of vars.entries()) {
    const mine = rows.filter((r) => Number(r.i) === i);
    if (!mine.length) continue;
    const enumType = ident(`${prefix}_${i}`);
    types.push(`CREATE TYPE ${enumType} AS ENUM (${mine.map((r) => literal(String(r.t))).join(", ")})`);
    const value = (json: string) => {
      const p = JSON.parse(json) as string | string[];
      return Array.isArray(p) ? `[${p.map(literal).join(", ")}]::VARCHAR[]` : literal(p);
    };
    out.set(v.name, {enumType, values: `[${mine.map((r) => value(String(r.p))).join(", ")}]`});
  }
  if (types.length) await db.run(types.join(";\n"));
  return out;
}
