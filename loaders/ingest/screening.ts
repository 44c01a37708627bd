/**
 * The identifier screens of an ingest, on a second connection while the first finds duplicates and
 * writes the warehouse: each file's checked rows screened by content (and the text of the lines
 * DuckDB could not parse, see raw-screen.ts), then the raw spellings of
 * categorical values collected with their codes (table `spellings`, for the terminology tables) and
 * those no code matches screened too.
 */
import {basename} from "node:path";
import type {DuckDBConnection, DuckDBInstance} from "@duckdb/node-api";
import type {Dictionary} from "../dictionary.ts";
import {literal} from "../sql.ts";
import {extrasOf, isCategorical} from "./checked.ts";
import {screenCsv, type RejectedLines} from "./raw-screen.ts";
import {screenByContent, screenValues, type Finding} from "./screen.ts";
import {checkedTable} from "./tables.ts";
import {columnSql, mapsSql, UNKNOWN} from "./validate.ts";

/** What is screened in one file's checked table (see `checkedQuery`). */
export interface Screen {
  /** the file's index and path */
  f: number;
  file: string;
  /** the columns screened whole, and where their texts are */
  screened: string[];
  sources: Record<string, string>;
  /** a query of the values that failed validation, as ("column", v) rows; null when none can */
  failed: string | null;
  /** the text of the lines DuckDB rejected, to screen raw; null when none */
  rejected: RejectedLines | null;
}

/** The raw spellings kept beside the checked rows (keys _raw_<variable>), with the row's month (`month`: SQL on alias c). */
export function rawSpellingsSql(month: string): string {
  // The other kept texts (_scr_*, _bad_*) are for the screens, not spellings.
  return `CREATE TABLE raw_spellings AS SELECT month, "key", v FROM ${extrasOf("checked c", `${month} AS month, `)} WHERE starts_with("key", '_raw_')`;
}

/**
 * Table spellings: every raw spelling of a categorical variable that is not exactly a code, as
 * (variable, month, raw, spelling: trimmed, code: NULL when none matches), mapped by the very SQL
 * validation uses.
 */
export function spellingsSql(dict: Dictionary): string {
  // Each variable's own spellings (key _raw_<name>), mapped by its own MAP.
  const selects = dict.variables.filter(isCategorical).map(
    (v) => `SELECT ${literal(v.name)} AS variable, month, c.v AS raw,
      trim(c.v) AS spelling, NULLIF(${columnSql(dict, v, "c.v").prep}, ${literal(UNKNOWN)}) AS code
      FROM raw_spellings c CROSS JOIN ${mapsSql([v], dict.missing_markers)} WHERE c."key" = ${literal("_raw_" + v.name)}`,
  );
  return `CREATE TABLE spellings AS ${selects.length ? selects.join(" UNION ALL ") : "SELECT NULL::VARCHAR AS variable, NULL::VARCHAR AS month, NULL::VARCHAR AS raw, NULL::VARCHAR AS spelling, NULL::VARCHAR AS code WHERE false"}`;
}

/** Spellings that matched no code, as ("column", v) rows to screen (those that matched a code are safe). */
export const unmatchedSpellingsSql = (): string => `SELECT variable AS "column", raw AS v FROM spellings WHERE code IS NULL`;

/**
 * On its own connection `db` (the checked tables are plain in-memory tables, so it sees them):
 * screens each file's checked rows, then builds `spellings` and screens those that match no code.
 * Returns the findings; `step` is called as each file's screening starts. Closes `db`.
 */
export async function screenAndSpell(
  db: DuckDBConnection,
  dict: Dictionary,
  screens: Screen[],
  month: string,
  step: (file: string) => void,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  try {
    for (const s of screens) {
      step(s.file);
      const inFile = (x: Finding) => ({...x, file: basename(s.file)});
      findings.push(...(await screenByContent(db, checkedTable(s.f), s.screened, dict, s.sources)).map(inFile));
      if (s.failed) findings.push(...(await screenValues(db, s.failed, dict)).map(inFile));
      if (s.rejected) {
        const {path, header, lineOf} = s.rejected;
        findings.push(...(await screenCsv(db, dict, path, {key: `rejected_${s.f}`, names: header, lineOf})).map(inFile));
      }
    }
    await db.run(rawSpellingsSql(month));
    await db.run(spellingsSql(dict));
    if (dict.variables.some(isCategorical)) findings.push(...(await screenValues(db, unmatchedSpellingsSql())));
    return findings;
  } finally {
    db.closeSync();
  }
}

/**
 * Starts `screenAndSpell` on a new connection of `instance`. The returned promise is to be awaited
 * (it never rejects unhandled): the database must not close under a running screen.
 */
export function startScreening(
  instance: DuckDBInstance,
  dict: Dictionary,
  screens: Screen[],
  month: string,
  step: (file: string) => void,
): Promise<Finding[]> {
  const screening = instance.connect().then((other) => screenAndSpell(other, dict, screens, month, step));
  screening.catch(() => {}); // awaited by the caller
  return screening;
}
