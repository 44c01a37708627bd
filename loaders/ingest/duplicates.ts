/**
 * Duplicates among valid rows. Within a file, an exact copy of an earlier row is dropped and the
 * same id with different content is rejected as duplicate_id; across files, the later file wins
 * and the earlier contact is superseded. Each such row gets its fate in the table `fate`, and is
 * flagged in its checked table (column _dup) so the warehouse is written by a plain scan.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Variable} from "../dictionary.ts";
import {ident} from "../sql.ts";
import {checkedTable} from "./tables.ts";

/** What happens to a valid row whose id is seen more than once. */
export type Fate = "accepted" | "exact_copy" | "duplicate_id" | "superseded";

/**
 * The valid rows whose id is seen more than once (only those can be duplicates, so only they are
 * ranked), each with its rank among its file's rows of that id and the hash of the first of them.
 * `month` is SQL for a row's month on alias c.
 */
export function rankedSql(id: Variable, month: string): string {
  const idc = ident(id.name);
  // Rows that break a rule are rejected already: they neither duplicate nor are duplicated.
  return `CREATE TEMP TABLE ranked AS SELECT _file, _rid, _row, ${month} AS _month, _hash, ${idc},
      row_number() OVER (PARTITION BY _file, ${idc} ORDER BY _rid) AS in_file,
      first_value(_hash) OVER (PARTITION BY _file, ${idc} ORDER BY _rid) AS first_hash
    FROM checked c SEMI JOIN (SELECT ${idc} FROM checked WHERE _violations IS NULL GROUP BY ${idc} HAVING count(*) > 1) d ON c.${idc} IS NOT DISTINCT FROM d.${idc}
    WHERE _violations IS NULL`;
}

/** The fate of every ranked row (see `Fate`): a later copy in its file, else the first of its id in the latest file wins. */
export function fateSql(id: Variable): string {
  const idc = ident(id.name);
  return `CREATE TEMP TABLE fate AS SELECT _file, _rid, _row, _month,
      CASE WHEN in_file > 1 AND _hash = first_hash THEN 'exact_copy'
           WHEN in_file > 1 THEN 'duplicate_id'
           WHEN row_number() OVER (PARTITION BY ${idc}, in_file = 1 ORDER BY _file DESC) > 1 THEN 'superseded'
           ELSE 'accepted' END AS fate
    FROM ranked`;
}

/** Flags in checked_<f> the rows that do not go to the warehouse as they are (every fate but accepted). */
export const flagDuplicatesSql = (f: number): string =>
  `UPDATE ${checkedTable(f)} SET _dup = true WHERE rowid IN (SELECT _rid FROM fate WHERE _file = ${f} AND fate <> 'accepted')`;

/** Finds the duplicates among the rows of the `checked` view: tables `ranked` and `fate`. */
export async function findDuplicates(db: DuckDBConnection, id: Variable, month: string): Promise<void> {
  await db.run(rankedSql(id, month));
  await db.run(fateSql(id));
}

/**
 * Flags the duplicates found in each of `files` checked tables. In place, so the warehouse is written
 * by a plain scan and filter of the checked rows (a join there would make DuckDB write on one thread).
 */
export async function flagDuplicates(db: DuckDBConnection, files: number): Promise<void> {
  for (let f = 0; f < files; f++) await db.run(flagDuplicatesSql(f));
}
