/**
 * Writing the warehouse (attached as wh) from the working tables: the accepted contacts and their
 * views, the rejects and the terminology tables (the ingest history is runs.ts's). Every ORDER BY
 * is total (ties broken by every column): the same extract gives the same tables, row for row.
 */
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary, Variable} from "../dictionary.ts";
import {ident, literal} from "../sql.ts";
import {queryRows} from "../db.ts";
import {mayShow} from "../../src/lib/identifiers.ts";
import {codesTypeSql, isCategorical, isCoded, specialColumn} from "./checked.ts";
import {ACCEPTED, checkedTable, rejectsTable} from "./tables.ts";

/**
 * Opens the warehouse being built as wh (`file`, or in memory when null) with the dictionary's ENUM
 * types, which the checked tables keep codes in. DuckDB spills to `tmpDir` rather than take most
 * of the machine.
 */
export async function openWarehouse(db: DuckDBConnection, dict: Dictionary, file: string | null, tmpDir: string): Promise<void> {
  await db.run(`SET memory_limit = '1536MB'; SET temp_directory = ${literal(tmpDir)}`);
  await db.run(`ATTACH ${file === null ? "':memory:'" : literal(file)} AS wh`);
  for (const sql of codesTypeSql(dict)) await db.run(sql);
}

/** Drops the checked tables (they use the warehouse's ENUM types) and detaches the warehouse. */
export async function closeWarehouse(db: DuckDBConnection, files: number): Promise<void> {
  for (let f = 0; f < files; f++) await db.run(`DROP TABLE ${checkedTable(f)}`);
  await db.run("DETACH wh");
}

/** Runs `work` with the warehouse (alias wh) as the connection's current database. */
export async function inWarehouse(db: DuckDBConnection, work: () => Promise<void>): Promise<void> {
  await db.run("USE wh");
  try {
    await work();
  } finally {
    await db.run("USE memory");
  }
}

/** The accepted rows of the `checked` view: every variable (and special-code column), then the file and line they came from. */
export function acceptedRowsSql(dict: Dictionary): string {
  const columns = dict.variables.flatMap((v) => [ident(v.name), ...(v.special_codes?.length ? [ident(specialColumn(v))] : [])]);
  return `SELECT ${columns.map((c) => `c.${c}`).join(", ")}, c._file AS source_file, c._row AS source_row FROM memory.main.checked c WHERE ${ACCEPTED}`;
}

/**
 * The `contacts` view over `contacts_coded`: codes read as text, so every reader sees plain VARCHAR
 * codes (sorting, comparing, coalescing as text). Created with the warehouse as current database:
 * unqualified names in a view bind in its own database, however the warehouse is attached later.
 */
export function contactsViewSql(dict: Dictionary): string {
  const asText = dict.variables
    .filter(isCoded)
    .map((v) => `CAST(${ident(v.name)} AS VARCHAR${v.type === "multi-category" ? "[]" : ""}) AS ${ident(v.name)}`);
  return `CREATE VIEW contacts AS SELECT * ${asText.length ? `REPLACE (${asText.join(", ")})` : ""} FROM contacts_coded`;
}

const singular = (name: string) => (name.endsWith("s") ? name.slice(0, -1) : name);

/** The long table of a multi-category variable (contact_<name>): one row per contact and item, in the contacts' order. */
export function itemsViewSql(v: Variable, id: Variable): string {
  return `CREATE VIEW ${ident(`contact_${v.name}`)} AS SELECT ${ident(id.name)}, CAST(unnest(${ident(v.name)}) AS VARCHAR) AS ${ident(singular(v.name))} FROM contacts_coded`;
}

/**
 * Writes the accepted contacts: table contacts_coded (codes as the dictionary's ENUMs) and the views
 * over it. Not `keep`: nothing is kept, so contacts_coded is a view reading the rows where they are.
 */
export async function writeContacts(db: DuckDBConnection, dict: Dictionary, id: Variable, {keep}: {keep: boolean}): Promise<void> {
  if (!keep) {
    await db.run(`CREATE VIEW wh.contacts_coded AS ${acceptedRowsSql(dict)}`);
  } else {
    // Texts (the ids) are stored without dictionary or FSST compression: analysing a million distinct
    // ids for them costs about as much as writing everything else; the file is somewhat larger.
    await db.run("SET disabled_compression_methods = 'dictionary,fsst'");
    await db.run(`CREATE TABLE wh.contacts_coded AS ${acceptedRowsSql(dict)}`);
    await db.run("RESET disabled_compression_methods");
  }
  await inWarehouse(db, async () => {
    await db.run(contactsViewSql(dict));
    for (const v of dict.variables.filter((x) => x.type === "multi-category")) await db.run(itemsViewSql(v, id));
  });
}

/** Why DuckDB could not parse a row, by its error type: a description, never the row. */
export const PARSE_DETAIL: Record<string, string> = {
  "MISSING COLUMNS": "the row has fewer fields than the header",
  "TOO MANY COLUMNS": "the row has more fields than the header",
  "UNQUOTED VALUE": "a field has a stray quote",
  "INVALID UNICODE": "the row is not valid UTF-8",
  "LINE SIZE OVER MAXIMUM": "the row is longer than 2 MB",
};

/** SQL describing a DuckDB CSV error type (column `col`) as PARSE_DETAIL does; a general detail for any other. */
export function parseDetailSql(col: string): string {
  return `CASE ${Object.entries(PARSE_DETAIL)
    .map(([k, v]) => `WHEN ${col} = ${literal(k)} THEN ${literal(v)}`)
    .join(" ")} ELSE 'the row cannot be parsed as CSV' END`;
}

/**
 * The rejects table: one row per rule a row breaks (file name, line, month, column, rule, detail),
 * from the rules (checked rows), duplicate ids (`fate`) and rows DuckDB could not parse (rej_<f>,
 * one reject per line). `files` are the file names; `month` is SQL for a row's month on alias c.
 */
export function rejectsSql(files: string[], id: Variable, month: string): string {
  const names = `[${files.map(literal).join(", ")}]`;
  // A line DuckDB could not parse may carry several errors: one reject, by the least error type (the same every run).
  const unparsed = files.map(
    (_, f) =>
      `UNION ALL SELECT ${names}[${f + 1}], line, NULL, NULL, 'row_shape', ${parseDetailSql("error_type")} FROM (SELECT line, min(error_type) AS error_type FROM ${rejectsTable(f)} GROUP BY line)`,
  );
  // Rows breaking a rule (_violations is NULL on the others), and the duplicate ids (the other fates
  // are dropped or accepted, not rejected).
  return `CREATE TABLE wh.rejects AS
    SELECT ${names}[_file + 1] AS file, _row AS "row", _month AS month, v.column AS "column", v.rule AS rule, v.detail AS detail
      FROM (SELECT _file, _row, ${month} AS _month, unnest(_violations) AS v FROM checked c WHERE _violations IS NOT NULL)
    UNION ALL
    SELECT ${names}[_file + 1], _row, _month, ${literal(id.name)}, 'duplicate_id', ${literal(`the same ${id.name} appears earlier in this file with different content`)}
      FROM fate WHERE fate = 'duplicate_id'
    ${unparsed.join("\n")}
    ORDER BY file, "row", "column", rule, detail`;
}

export async function writeRejects(db: DuckDBConnection, files: string[], id: Variable, month: string): Promise<void> {
  await db.run(rejectsSql(files, id, month));
}

/**
 * SQL: true for the spellings (table `spellings`) of variables whose spellings may be shown:
 * non-sensitive categorical variables (a quasi-identifier's spellings could help identify someone).
 */
export function describedSql(dict: Dictionary): string {
  return `variable IN (${["", ...dict.variables.filter((v) => isCategorical(v) && v.sensitivity === "none").map((v) => v.name)].map(literal).join(", ")})`;
}

/** Table code_mappings: every spelling mapped to a code but not written as it, by month, with how (synonym, case or whitespace). */
export function codeMappingsSql(dict: Dictionary): string {
  return `CREATE TABLE wh.code_mappings AS SELECT variable, month, spelling, code,
      CASE WHEN spelling = code THEN 'whitespace' WHEN lower(spelling) = lower(code) THEN 'case' ELSE 'synonym' END AS kind,
      count(*) AS n
    FROM spellings WHERE ${describedSql(dict)} AND code IS NOT NULL AND raw <> code
    GROUP BY ALL ORDER BY variable, month, n DESC, spelling, code, kind`;
}

/**
 * Table shown_spellings: the spellings no code matches that may be stored and shown as they are
 * (src/lib/identifiers.ts `mayShow`: short, no lone name, no identifier). The rest are free text.
 */
export async function markShownSpellings(db: DuckDBConnection): Promise<void> {
  const rows = await queryRows(db, `SELECT DISTINCT spelling FROM spellings WHERE code IS NULL AND spelling IS NOT NULL`);
  const shown = rows.map((r) => String(r.spelling)).filter(mayShow);
  await db.run(
    `CREATE OR REPLACE TEMP TABLE shown_spellings AS SELECT unnest(${literal(JSON.stringify(shown))}::JSON::VARCHAR[]) AS spelling`,
  );
}

/**
 * Table unknown_codes: spellings no code matches (missing markers are no unknown codes), each as
 * written when it may be shown (table shown_spellings), else masked to its length: free text found
 * where a code was expected is counted, never stored.
 */
export function unknownCodesSql(dict: Dictionary): string {
  return `CREATE TABLE wh.unknown_codes AS SELECT variable,
      CASE WHEN spelling IN (SELECT spelling FROM shown_spellings) THEN spelling
        ELSE '(free text, ' || length(spelling) || ' characters)' END AS spelling, count(*) AS n
    FROM spellings WHERE ${describedSql(dict)} AND code IS NULL AND lower(spelling) NOT IN (${dict.missing_markers.map((m) => literal(m.toLowerCase())).join(", ")})
    GROUP BY ALL ORDER BY n DESC, variable, spelling`;
}

/** The terminology tables, from `spellings` (screened for identifiers first, see screening.ts). */
export async function writeTerminology(db: DuckDBConnection, dict: Dictionary): Promise<void> {
  await db.run(codeMappingsSql(dict));
  await markShownSpellings(db);
  await db.run(unknownCodesSql(dict));
}
