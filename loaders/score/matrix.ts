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
 *   await forEachMatrixBlock(conn, sql, matrixLayout(features), 32768, (ids, X, m) => { … });
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
 * The scoring query: contact_id, the 0/1 columns as bits of UINTEGER words, then
 * one DOUBLE per scaled column (see `matrixLayout`), in the order the training
 * table uses (time, then id). Refuses a column whose variable the warehouse lacks
 * or holds in a type `encodeValue` cannot read.
 */
export function scoringSql(encoding: Encoding, dict: Dictionary, types: Record<string, string>): string {
  const history = new Map(historyFeatures().map((h) => [h.name, h.sql]));
  const used = [...new Set(encoding.columns.map((c) => c.variable))];
  const inner: string[] = [];
  const windows: string[] = [];
  const kinds = new Map<string, ValueKind>();
  for (const name of used) {
    const type = types[name];
    if (!type) throw new Error(`the model uses "${name}", which the validated extract does not have`);
    const kind = valueKind(type);
    if (kind === "other") throw new Error(`the model uses "${name}", stored as ${type}, which the encoding cannot read`);
    kinds.set(name, kind);
    // Lists reach the encoding joined by ";", exactly as the training table reads them.
    if (history.has(name)) windows.push(`${history.get(name)} AS ${ident(name)}`);
    inner.push(history.has(name) ? `h.${ident(name)}` : type.endsWith("[]") ? `array_to_string(c.${ident(name)}, ';') AS ${ident(name)}` : `c.${ident(name)}`);
  }
  const specials = new Map<string, string>();
  for (const name of used) {
    const v = dict.variables.find((x) => x.name === name);
    if (v?.special_codes?.length && types[`${name}_code`]) {
      specials.set(name, ident(`${name}_code`));
      inner.push(`c.${ident(`${name}_code`)}`);
    }
  }
  const sql = encoding.columns.map((c) => columnSql(c, kinds.get(c.variable)!, ident(c.variable), specials.get(c.variable) ?? null));
  const layout = matrixLayout(encoding);
  // 0/1 columns packed 32 to a UINTEGER: the result (and its sort) stays narrow.
  const words = layout.words.map((cols) => cols.map((j, b) => `(CAST(${sql[j]} AS UINTEGER) << ${b})`).join(" | "));
  const outer = [...words.map((w) => `CAST(${w} AS UINTEGER)`), ...layout.doubles.map((j) => sql[j])];
  // History windows run over a narrow copy (contact id, child, household, time) and join back by
  // contact id (unique in the warehouse; contacts is a view, so it has no row ids): sorting every
  // feature column through each window costs about twice as much.
  const from = windows.length ? `contacts c JOIN (SELECT contact_id AS _k, ${windows.join(", ")} FROM contacts) h ON c.contact_id = h._k` : "contacts c";
  return `WITH d AS (SELECT c.contact_id, c.contact_datetime, ${inner.join(", ")} FROM ${from})
    SELECT contact_id, ${outer.join(",\n      ")}
    FROM d ORDER BY contact_datetime, contact_id`;
}

/**
 * Streams a scoring query block by block: `onBlock` gets the block's contact ids and its encoded
 * rows (row-major, m × p) in one reused buffer, so memory stays that of one block however many
 * contacts there are (a dense matrix of a million contacts would be ~250 MB, and first touching
 * that much fresh memory alone costs most of a second here). Returns the number of rows.
 */
export async function forEachMatrixBlock(
  db: DuckDBConnection, sql: string, layout: MatrixLayout, blockRows: number,
  onBlock: (ids: string[], X: Float32Array, m: number) => void | Promise<void>,
): Promise<number> {
  const {p, words, doubles} = layout;
  const X = new Float32Array(blockRows * p);
  const wordCols = words.map((cols) => Int32Array.from(cols));
  let ids: string[] = [];
  let m = 0; // rows in the current block
  let n = 0;
  const result = await db.run(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    const rows = chunk?.rowCount ?? 0;
    if (m > 0 && (rows === 0 || m + rows > blockRows)) {
      await onBlock(ids, X, m);
      n += m;
      m = 0;
      ids = [];
    }
    if (!chunk || rows === 0) break;
    if (rows > blockRows) throw new Error(`a chunk of ${rows} rows does not fit a block of ${blockRows}`);
    if (m === 0) X.fill(0);
    const idVector = chunk.getColumnVector(0);
    for (let r = 0; r < rows; r++) ids.push(String(idVector.getItem(r)));
    for (let k = 0; k < wordCols.length; k++) {
      const cols = wordCols[k];
      const v = chunk.getColumnVector(1 + k);
      for (let r = 0, row = m * p; r < rows; r++, row += p) {
        for (let w = v.getItem(r) as number; w !== 0; w &= w - 1) X[row + cols[31 - Math.clz32(w & -w)]] = 1;
      }
    }
    doubles.forEach((j, k) => {
      const v = chunk.getColumnVector(1 + words.length + k);
      for (let r = 0, at = m * p + j; r < rows; r++, at += p) X[at] = v.getItem(r) as number;
    });
    m += rows;
  }
  return n;
}
