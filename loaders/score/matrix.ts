/**
 * The scoring matrix built in DuckDB: each column of a model's features.json
 * becomes one SQL expression with exactly the semantics of `encodeValue`
 * (src/lib/features.ts) applied to the row `loadDataset` would have read, and the
 * result is read chunk by chunk straight into a row-major Float32Array, without
 * ever making a JS object per contact. History features are the same window
 * functions the training table uses (loaders/train/dataset.ts).
 *
 * @example
 *   const sql = scoringSql(features, dict, await columnTypes(conn));
 *   await forEachMatrixBlock(conn, sql, matrixLayout(features), 4096, (ids, X, m) => { … });
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {ident, literal} from "../sql.ts";
import {historyFeatures} from "../train/dataset.ts";
import type {Column, Encoding} from "../../src/lib/features.ts";

/** How a source column reaches `encodeValue` in JS: a string, a number, a boolean, or something it cannot encode. */
export type ValueKind = "text" | "number" | "boolean" | "other";

/** The JS kind of a DuckDB type as `queryRows` returns it (lists arrive joined by ";", as in `datasetSql`). */
export function valueKind(duckdbType: string): ValueKind {
  const t = duckdbType.toUpperCase();
  if (t === "VARCHAR" || t.endsWith("[]")) return "text";
  if (t === "BOOLEAN") return "boolean";
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|HUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/.test(t)) return "number";
  return "other";
}

/** DuckDB types of the warehouse's `contacts` columns, with the history features (BIGINT counts and day gaps). */
export async function columnTypes(db: DuckDBConnection): Promise<Record<string, string>> {
  const rows = await queryRows(db, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'contacts'`);
  const types: Record<string, string> = Object.fromEntries(rows.map((r) => [String(r.column_name), String(r.data_type)]));
  for (const h of historyFeatures()) types[h.name] = "BIGINT";
  return types;
}

/** A DOUBLE literal that DuckDB parses back to exactly the same double (a bare 1.5 would be a DECIMAL). */
const double = (x: number): string => `CAST(${literal(String(x))} AS DOUBLE)`;

/**
 * SQL for one encoded column, mirroring `encodeValue` case by case: a BOOLEAN for
 * the 0/1 kinds (never NULL), a DOUBLE for "scaled". `x` is the variable's
 * expression in the inner query, `special` its `<name>_code` column when the
 * dictionary gives it special codes (null otherwise).
 */
export function columnSql(column: Column, kind: ValueKind, x: string, special: string | null): string {
  const f = (cond: string) => `coalesce(${cond}, false)`;
  const specialOf = special ? `nullif(${special}, '')` : "NULL";
  switch (column.kind) {
    case "one-hot":
      return kind === "text" ? f(`${x} = ${literal(column.code)}`) : "false"; // JS ===: a number or boolean never equals a code
    case "multi-hot":
      // "a;b".split(";").includes(code), for a code without ";" (one with ";" can never be a part)
      return kind === "text" && !column.code.includes(";") ? f(`contains(';' || ${x} || ';', ${literal(`;${column.code};`)})`) : "false";
    case "flag":
      return kind === "boolean" ? f(x) : kind === "text" ? f(`${x} = 'yes'`) : kind === "number" ? f(`${x} = 1`) : "false";
    case "missing": {
      const missing = kind === "text" ? `(${x} IS NULL OR ${x} = '')` : `${x} IS NULL`;
      return f(`${missing} AND ${specialOf} IS NULL`);
    }
    case "special":
      return special ? f(`${special} = ${literal(column.code)}`) : "false";
    case "scaled":
      // Missing (or non-finite) numbers sit at the training mean, 0 after scaling.
      return kind === "number" ? `coalesce(CASE WHEN isfinite(CAST(${x} AS DOUBLE)) THEN (CAST(${x} AS DOUBLE) - ${double(column.mean)}) / ${double(column.sd)} END, 0.0)` : "0.0";
  }
}

/** Where each encoded column travels: 0/1 columns as bits of 32-bit words, scaled ones as DOUBLEs. */
export interface MatrixLayout {
  p: number;
  /** for each word, the encoded column of each bit (LSB first) */
  words: number[][];
  /** encoded column of each DOUBLE */
  doubles: number[];
}

export function matrixLayout(encoding: Encoding): MatrixLayout {
  const words: number[][] = [];
  const doubles: number[] = [];
  encoding.columns.forEach((c, j) => {
    if (c.kind === "scaled") doubles.push(j);
    else {
      if (!words.length || words[words.length - 1].length === 32) words.push([]);
      words[words.length - 1].push(j);
    }
  });
  return {p: encoding.columns.length, words, doubles};
}

/**
 * The members of each ENUM-coded column of the warehouse's `contacts_coded` (of a list's items for
 * ENUM lists), in ENUM order: what `scoringSql` needs to encode codes by their ENUM position.
 * Empty when the warehouse has no `contacts_coded` (an older warehouse whose contacts are a table).
 */
export async function codedMembers(db: DuckDBConnection): Promise<Record<string, string[]>> {
  const rows = await queryRows(db, `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'contacts_coded' AND data_type LIKE 'ENUM(%'`);
  if (!rows.length) return {};
  const names = rows.map((r) => String(r.column_name));
  const item = (r: (typeof rows)[number]) => (String(r.data_type).endsWith("[]") ? `${ident(String(r.column_name))}[1]` : ident(String(r.column_name)));
  // enum_range of a NULL of the column's type: one row even when there are no contacts.
  const [members] = await queryRows(db, `SELECT ${rows.map((r, i) => `to_json(enum_range(${item(r)})) AS m${i}`).join(", ")}
    FROM (SELECT ${names.map(ident).join(", ")} FROM contacts_coded LIMIT 0) RIGHT JOIN (SELECT 1) ON true`);
  return Object.fromEntries(names.map((n, i) => [n, JSON.parse(String(members[`m${i}`])) as string[]]));
}

/**
 * The scoring query: contact_id, the 0/1 columns as bits of UINTEGER words, then
 * one DOUBLE per scaled column (see `matrixLayout`), in the order the training
 * table uses (time, then id). Refuses a column whose variable the warehouse lacks
 * or holds in a type `encodeValue` cannot read.
 *
 * Given `members` (see `codedMembers`), it reads `contacts_coded` and encodes the
 * one-hot and multi-hot columns of ENUM-coded variables from the ENUM positions:
 * one list lookup per variable and word gives all its bits at once, instead of a
 * text comparison per column (same bits: a code equals the text of the member it
 * names, and a list's joined text holds ";code;" exactly when an item is that code).
 */
export function scoringSql(encoding: Encoding, dict: Dictionary, types: Record<string, string>, members: Record<string, string[]> = {}): string {
  const history = new Map(historyFeatures().map((h) => [h.name, h.sql]));
  const used = [...new Set(encoding.columns.map((c) => c.variable))];
  const coded = Object.keys(members).length > 0;
  // Variables whose one-hot / multi-hot columns are read from their ENUM positions.
  const byPosition = new Set(used.filter((name) => {
    const list = types[name]?.endsWith("[]");
    const m = members[name];
    if (!m || history.has(name)) return false;
    // A list item holding ";" (or an empty code) would split differently in the joined text.
    return !list || (!m.some((x) => x === "" || x.includes(";")) && !encoding.columns.some((c) => c.variable === name && "code" in c && c.code === ""));
  }));
  // Columns encoded from the ENUM itself (the rest read its text).
  const positional = (c: Column) => byPosition.has(c.variable) && (["one-hot", "multi-hot"].includes(c.kind) || (c.kind === "missing" && !members[c.variable].includes("")));
  const inner: string[] = [];
  const windows: string[] = [];
  const kinds = new Map<string, ValueKind>();
  for (const name of used) {
    const type = types[name];
    if (!type) throw new Error(`the model uses "${name}", which the validated extract does not have`);
    const kind = valueKind(type);
    if (kind === "other") throw new Error(`the model uses "${name}", stored as ${type}, which the encoding cannot read`);
    kinds.set(name, kind);
    if (history.has(name)) {
      windows.push(`${history.get(name)} AS ${ident(name)}`);
      inner.push(`h.${ident(name)}`);
      continue;
    }
    if (byPosition.has(name)) inner.push(`c.${ident(name)} AS ${ident(`_e_${name}`)}`);
    // Other kinds read the text, exactly as the training table does (lists joined by ";").
    if (byPosition.has(name) && !encoding.columns.some((c) => c.variable === name && !positional(c))) continue;
    const text = coded && members[name] ? `CAST(c.${ident(name)} AS VARCHAR${type.endsWith("[]") ? "[]" : ""})` : `c.${ident(name)}`;
    inner.push(type.endsWith("[]") ? `array_to_string(${text}, ';') AS ${ident(name)}` : `${text} AS ${ident(name)}`);
  }
  const specials = new Map<string, string>();
  for (const name of used) {
    const v = dict.variables.find((x) => x.name === name);
    if (v?.special_codes?.length && types[`${name}_code`]) {
      specials.set(name, ident(`${name}_code`));
      inner.push(`c.${ident(`${name}_code`)}`);
    }
  }
  const sql = encoding.columns.map((c) => {
    // Missing, for an ENUM without an empty member: the text is NULL exactly when the ENUM is.
    if (c.kind === "missing" && byPosition.has(c.variable) && !members[c.variable].includes("")) {
      return `coalesce(${ident(`_e_${c.variable}`)} IS NULL AND ${specials.has(c.variable) ? `nullif(${specials.get(c.variable)}, '')` : "NULL"} IS NULL, false)`;
    }
    return columnSql(c, kinds.get(c.variable)!, ident(c.variable), specials.get(c.variable) ?? null);
  });
  const layout = matrixLayout(encoding);
  // 0/1 columns packed 32 to a UINTEGER: the result (and its sort) stays narrow.
  const words = layout.words.map((cols) => {
    const terms = cols.flatMap((j, b) => (positional(encoding.columns[j]) && encoding.columns[j].kind !== "missing" ? [] : [`(CAST(${sql[j]} AS UINTEGER) << ${b})`]));
    // Per ENUM variable (and kind) in this word: the bits of each member, looked up by its position.
    for (const name of byPosition) {
      for (const kind of ["one-hot", "multi-hot"] as const) {
        const bits = members[name].map((code) => cols.reduce((w, j, b) => (encoding.columns[j].variable === name && encoding.columns[j].kind === kind && encoding.columns[j].code === code ? w | (1 << b) : w), 0) >>> 0);
        if (!cols.some((j) => encoding.columns[j].variable === name && encoding.columns[j].kind === kind)) continue;
        const lookup = `CAST([${bits.join(", ")}] AS UINTEGER[])`;
        const e = ident(`_e_${name}`);
        terms.push(kind === "one-hot"
          ? `coalesce(${lookup}[enum_code(${e}) + 1], 0)`
          : `coalesce(list_aggregate(list_transform(${e}, x -> ${lookup}[enum_code(x) + 1]), 'bit_or'), 0)`);
      }
    }
    return terms.length ? terms.join(" | ") : "0";
  });
  const outer = [...words.map((w) => `CAST(${w} AS UINTEGER)`), ...layout.doubles.map((j) => sql[j])];
  // History windows run over a narrow copy (contact id, child, household, time) and join back by
  // contact id (unique in the warehouse; contacts is a view, so it has no row ids): sorting every
  // feature column through each window costs about twice as much.
  const source = coded ? "contacts_coded" : "contacts";
  const from = windows.length ? `${source} c JOIN (SELECT contact_id AS _k, ${windows.join(", ")} FROM ${source}) h ON c.contact_id = h._k` : `${source} c`;
  return `WITH d AS (SELECT c.contact_id, c.contact_datetime, ${inner.join(", ")} FROM ${from})
    SELECT contact_id, ${outer.join(",\n      ")}
    FROM d ORDER BY contact_datetime, contact_id`;
}

/**
 * Streams a scoring query block by block: `onBlock` gets the block's contact ids and its encoded
 * rows (row-major, m × p; m = blockRows but for the last block, whatever DuckDB's chunks are), so memory stays that of one block however many
 * contacts there are (a dense matrix of a million contacts would be ~250 MB, and first touching
 * that much fresh memory alone costs most of a second here). Returns the number of rows.
 * Each block is read into `buffer(length)`: by default one buffer reused, so `onBlock` must be done
 * with X when it returns, unless `buffer` hands out a fresh one each time (X may then be kept).
 */
export async function forEachMatrixBlock(
  db: DuckDBConnection, sql: string, layout: MatrixLayout, blockRows: number,
  onBlock: (ids: string[], X: Float32Array, m: number) => void | Promise<void>,
  buffer?: (length: number) => Float32Array,
): Promise<number> {
  const {p, words, doubles} = layout;
  const reused = buffer ? null : new Float32Array(blockRows * p);
  let X: Float32Array = reused ?? new Float32Array(0);
  const wordCols = words.map((cols) => Int32Array.from(cols));
  let ids: string[] = [];
  let m = 0; // rows in the current block
  let n = 0;
  // Streamed, not materialized: the sorted rows are read where the sort left them rather than copied
  // into a result first (1M contacts with the logistic model, after validation: 3.47–4.42 → 2.88–3.74 s,
  // faster in each of 5 interleaved pairs; the MLP and the sample the same within noise), though each
  // chunk is a trip through the thread pool.
  const result = await db.stream(sql);
  for (let chunk; (chunk = await result.fetchChunk()) && chunk.rowCount > 0; ) {
    const rows = chunk.rowCount;
    const idVector = chunk.getColumnVector(0);
    const wordVectors = wordCols.map((_, k) => chunk.getColumnVector(1 + k));
    const doubleVectors = doubles.map((_, k) => chunk.getColumnVector(1 + words.length + k));
    // A chunk's rows [from, from + take) go to the current block; a full block is handed on.
    for (let from = 0; from < rows; ) {
      if (m === 0) {
        X = reused ?? buffer!(blockRows * p);
        X.fill(0, 0, blockRows * p);
      }
      const take = Math.min(rows - from, blockRows - m);
      for (let r = from; r < from + take; r++) ids.push(String(idVector.getItem(r)));
      for (let k = 0; k < wordCols.length; k++) {
        const cols = wordCols[k];
        const v = wordVectors[k];
        for (let r = from, row = m * p; r < from + take; r++, row += p) {
          for (let w = v.getItem(r) as number; w !== 0; w &= w - 1) X[row + cols[31 - Math.clz32(w & -w)]] = 1;
        }
      }
      doubles.forEach((j, k) => {
        const v = doubleVectors[k];
        for (let r = from, at = m * p + j; r < from + take; r++, at += p) X[at] = v.getItem(r) as number;
      });
      m += take;
      from += take;
      if (m === blockRows) {
        await onBlock(ids, X, m);
        n += m;
        m = 0;
        ids = [];
      }
    }
  }
  if (m > 0) {
    await onBlock(ids, X, m);
    n += m;
  }
  return n;
}
