/**
 * Row order and row numbers. A checked row's line in the file is worked out from the order DuckDB
 * stores the rows in (the file's order, as it keeps insertion order) and the lines it skipped
 * (rows it could not parse, blank lines). So the validation query must keep that order: its plan
 * is checked, and a table from a plan that could reorder rows is refused.
 */
import {readFileSync} from "node:fs";
import type {DuckDBConnection} from "@duckdb/node-api";
import {literal} from "../sql.ts";
import {checkedTable, rowMapTable, skippedTable, type RowNumberSql} from "./tables.ts";

/**
 * Operators that keep rows in the order they were read: scans, projections and the cross join with
 * the one-row look-up table. A join (e.g. DuckDB's rewrite of a long IN list) would not, and would
 * put wrong row numbers on rejects.
 */
export const ORDER_KEEPING = new Set([
  "READ_CSV",
  "TABLE_SCAN",
  "PROJECTION",
  "CROSS_PRODUCT",
  "DUMMY_SCAN",
  "CREATE_TABLE_AS",
  "BATCH_CREATE_TABLE_AS",
]);

/** A node of DuckDB's JSON profile. */
export interface PlanNode {
  operator_type?: string;
  children?: PlanNode[];
}

/** The operators of a profiled plan that could reorder rows; null when the profile holds no operator at all. */
export function reorderingOperators(plan: PlanNode): string[] | null {
  const others = new Set<string>();
  let operators = 0;
  const walk = (op: PlanNode) => {
    if (op.operator_type !== undefined) {
      operators++;
      if (!ORDER_KEEPING.has(op.operator_type)) others.add(op.operator_type);
    }
    op.children?.forEach(walk);
  };
  walk(plan);
  return operators ? [...others] : null;
}

/**
 * Creates `table` from `sql` and checks the plan that actually ran (profiled to the file `profile`:
 * one planning of a long query, not two as with EXPLAIN first). A table from a plan that could
 * reorder rows is dropped and an error thrown.
 */
export async function createKeepingFileOrder(db: DuckDBConnection, table: string, sql: string, profile: string): Promise<void> {
  await db.run(`SET enable_profiling = 'json'; SET profiling_output = ${literal(profile)}`);
  try {
    await db.run(`CREATE TABLE ${table} AS ${sql}`);
  } finally {
    await db.run(`SET enable_profiling = 'no_output'; PRAGMA disable_profiling`);
  }
  const others = reorderingOperators(JSON.parse(readFileSync(profile, "utf8")) as PlanNode);
  if (!others || others.length) {
    await db.run(`DROP TABLE ${table}`);
    throw new Error(
      `internal error: the validation query would not keep the file's row order (${others?.length ? others.join(", ") : "no plan profiled"})`,
    );
  }
}

/** The lines DuckDB skipped (rejected rows and blank lines), each once, in order. */
export function skippedLines(rejected: number[], blank: number[]): number[] {
  return [...new Set([...rejected, ...blank])].sort((a, b) => a - b);
}

/** Above this many skipped lines, row numbers come from a join rather than a search tree in SQL. */
export const MAX_TREE = 4096;

/**
 * For each skipped line (sorted), the number of rows parsed before it: row k follows skipped line i
 * when k >= line - 2 - i (the header and the i skipped lines before it are not rows).
 */
const rowsBefore = (skipped: number[]): number[] => skipped.map((line, i) => line - 2 - i);

/**
 * SQL for the line of row `rowid` (0-based, in file order): it follows the header and every skipped
 * line before it, found by a balanced search (depth log2 of the skipped lines, no join).
 * @example rowNumberTreeSql([3]) // c.rowid + 2 + CASE WHEN c.rowid >= 1 THEN 1 ELSE 0 END
 */
export function rowNumberTreeSql(skipped: number[], rowid = "c.rowid"): string {
  const before = rowsBefore(skipped);
  const count = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${rowid} >= ${before[mid]} THEN ${count(mid + 1, hi)} ELSE ${count(lo, mid)} END`;
  };
  return `${rowid} + 2 + ${count(0, before.length)}`;
}

/**
 * The table of skipped lines for file `f`, as (b, n): a row k >= b follows n skipped lines. Several
 * skipped lines in a row share one threshold: the row after them follows all of them.
 */
export function skippedTableSql(f: number, skipped: number[]): string {
  const n = new Map<number, number>();
  rowsBefore(skipped).forEach((b, i) => n.set(b, i + 1));
  return `CREATE TABLE ${skippedTable(f)} AS SELECT unnest([${[...n.keys()].join(", ")}]::BIGINT[]) AS b, unnest([${[...n.values()].join(", ")}]::BIGINT[]) AS n`;
}

/**
 * The line of every row of checked_<f>, from its skipped lines (see `skippedTableSql`), as (_rid, _row),
 * stored in rowid order so that it lines up with checked_<f> row for row.
 */
export function rowMapSql(f: number): string {
  // An ASOF join: each row takes the last threshold at or below it (none: no skipped line before it).
  return `CREATE TABLE ${rowMapTable(f)} AS SELECT c.rowid AS _rid, c.rowid + 2 + coalesce(s.n, 0) AS _row
    FROM ${checkedTable(f)} c ASOF LEFT JOIN ${skippedTable(f)} s ON c.rowid >= s.b ORDER BY _rid`;
}

/**
 * SQL for the line number of each row of checked_<f> (alias c), given the lines DuckDB skipped
 * (sorted, see `skippedLines`): a search tree in SQL, or for many skipped lines a table of row
 * numbers to join, kept apart from the wide checked table (joining them would carry every column
 * through a sort).
 */
export async function rowNumbers(db: DuckDBConnection, f: number, skipped: number[]): Promise<RowNumberSql> {
  if (skipped.length <= MAX_TREE) return {expr: rowNumberTreeSql(skipped), join: ""};
  await db.run(skippedTableSql(f, skipped));
  await db.run(rowMapSql(f));
  // Positional: both tables are in rowid order, and a hash join would not keep the file's order.
  return {expr: "m._row", join: `POSITIONAL JOIN ${rowMapTable(f)} m`};
}
