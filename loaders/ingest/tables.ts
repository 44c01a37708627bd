/**
 * The working tables of an ingest and SQL over them. They live in the in-memory database, never in
 * the warehouse. Per file f: checked_<f> (its validated rows, see checked.ts), rej_<f> and scan_<f>
 * (DuckDB's rejects of the CSV read), skipped_<f> and rowmap_<f> (row numbers, see order.ts). Across
 * files: the view `checked` (every file's rows with file, rowid and line), `ranked` and `fate`
 * (duplicates.ts), `raw_spellings` and `spellings` (screening.ts).
 */
import type {Variable} from "../dictionary.ts";
import {ident} from "../sql.ts";

export const checkedTable = (f: number): string => `checked_${f}`;
export const rejectsTable = (f: number): string => `rej_${f}`;
export const scanTable = (f: number): string => `scan_${f}`;
export const skippedTable = (f: number): string => `skipped_${f}`;
export const rowMapTable = (f: number): string => `rowmap_${f}`;

/** SQL for a checked row's line number (`expr`), with the join it needs (empty when none), on alias c. */
export interface RowNumberSql {
  expr: string;
  join: string;
}

/**
 * One file's rows as the `checked` view holds them: file index, rowid, line number, then `columns`
 * (see `commonColumns`).
 * @example checkedSelectSql(0, {expr: "c.rowid + 2", join: ""}, ["c._hash"]) // SELECT 0 AS _file, c.rowid AS _rid, …
 */
export const checkedSelectSql = (f: number, row: RowNumberSql, columns: string[]): string =>
  `SELECT ${f} AS _file, c.rowid AS _rid, CAST(${row.expr} AS BIGINT) AS _row, ${columns.join(", ")} FROM ${checkedTable(f)} c ${row.join}`;

/** The view of every file's checked rows, in file order. */
export const checkedViewSql = (selects: string[]): string => `CREATE VIEW checked AS ${selects.join("\nUNION ALL\n")}`;

/** A checked row (alias c) that goes to the warehouse: it breaks no rule and is no duplicate. */
export const ACCEPTED = "c._violations IS NULL AND c._dup IS NULL";

/** SQL for the month ('2018-01') of a row of `alias`, from the dictionary's event time; NULL without one. */
export const monthSql = (time: Variable | undefined, alias: string): string =>
  time ? `strftime(${alias}.${ident(time.name)}, '%Y-%m')` : "NULL";

/** Drops what one read of file `f` made (its checked table and DuckDB's reject tables), to read it again. */
export const dropReadSql = (f: number): string =>
  `DROP TABLE ${checkedTable(f)}; DROP TABLE ${rejectsTable(f)}; DROP TABLE ${scanTable(f)}`;
