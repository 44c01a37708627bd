/**
 * Identifier screening of raw CSV text: every cell, read by DuckDB as text with no header matched
 * and nothing else checked, through screen.ts's detectors (`screenCells`). Ingest runs it on what
 * the screens of checked rows (screening.ts) do not see, so that an extract holding direct
 * identifiers is refused for them (exit 2) whatever else is wrong with it:
 * - the whole text of every file, when any file fails a check before those screens run (a bad or
 *   duplicated header, a missing required column, an encoding not declared, an empty first line…):
 *   a file whose header cannot be matched is never read as checked rows, so it is screened here
 *   first, and its own refusal comes only when nothing is found;
 * - the lines DuckDB could not parse as rows of a file that passed (row_shape rejects), which never
 *   reach a checked table.
 * Everything else is screened by the later screens, on the same rules; screening it here too would
 * repeat them (and cost half as much again as the whole ingest of the sample).
 */
import {closeSync, openSync, readSync, statSync, writeFileSync} from "node:fs";
import {basename, join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary} from "../dictionary.ts";
import {variableForHeading} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {literal} from "../sql.ts";
import {screenableUtf8Path} from "./encoding.ts";
import {screenByName, screenCells, type Finding} from "./screen.ts";
import {rejectsTable} from "./tables.ts";

/** The records of a CSV file, as DuckDB reads them with `rawCsvSql`. */
export interface CsvRecords {
  /** the most fields any record has */
  fields: number;
  /** each record's first line (from 1), in order; an empty line (DuckDB skips it) is no record */
  lines: number[];
}

/**
 * The records of a UTF-8 (or ASCII-compatible) CSV file, found in one pass over its bytes with RFC
 * 4180 quoting: a line break inside quotes does not end a record, a comma inside quotes does not
 * start a field. A line holding nothing, or only a carriage return, is no record.
 * @example csvRecords("a,b\n\n1,\"x\ny\",3\n") // {fields: 3, lines: [1, 3]}
 */
export function csvRecords(path: string): CsvRecords {
  const lines: number[] = [];
  let fields = 0;
  let line = 1;
  let start = 1;
  let count = 1; // fields of the current record
  let empty = true; // nothing but carriage returns in the current record so far
  let quoted = false;
  const end = () => {
    if (!empty) {
      lines.push(start);
      fields = Math.max(fields, count);
    }
    start = line;
    count = 1;
    empty = true;
  };
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) {
      for (let i = 0; i < n; i++) {
        const b = buf[i];
        if (b === 0x22) {
          quoted = !quoted; // a doubled quote inside quotes toggles twice
          empty = false;
        } else if (b === 0x0a) {
          line++;
          if (!quoted) end();
        } else if (b !== 0x0d) {
          empty = false;
          if (b === 0x2c && !quoted) count++;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  end(); // a last line without a line break
  return {fields, lines};
}

/** Above this many fields a record is not read (DuckDB keeps it as a reject): no extract has so many columns. */
export const MAX_FIELDS = 2048;

/**
 * The read_csv call for raw screening: `fields` columns c1, c2, … of text, no header, the dialect
 * ingest reads with, and as tolerant as DuckDB gets: short rows padded with NULL, no strict RFC 4180
 * (mixed line endings, stray quotes), one thread (required with padding and quoted line breaks), and
 * records it still cannot read (longer than its line limit) kept in rawrej_<key> rather than failing.
 * @example rawCsvSql("x.csv", 2, "0") // read_csv('x.csv', header = false, …, columns = {'c1': 'VARCHAR', 'c2': 'VARCHAR'}, …)
 */
export function rawCsvSql(path: string, fields: number, key: string): string {
  const columns = `{${Array.from({length: fields}, (_, i) => `'c${i + 1}': 'VARCHAR'`).join(", ")}}`;
  return `read_csv(${literal(path)}, header = false, auto_detect = false, columns = ${columns}, delim = ',', quote = '"', escape = '"',
    null_padding = true, strict_mode = false, parallel = false,
    store_rejects = true, rejects_table = ${literal(`rawrej_${key}`)}, rejects_scan = ${literal(`rawscan_${key}`)})`;
}

export interface ScreenCsvOptions {
  /** names this screen's working tables (raw_<key>, rawrej_<key>, rawscan_<key>) */
  key: string;
  /**
   * The header's names, when the file holds no header row (the rejected lines of a checked file).
   * Without them, the first record is taken as the header: its cells are screened like any other
   * (it may be data), and its texts name the columns unless one is found to hold an identifier.
   */
  names?: string[];
  /** the line in the original file of a record starting on line `line` of `path` (by default, `line`) */
  lineOf?: (line: number) => number | undefined;
}

/**
 * Screens every cell of a UTF-8 CSV file for direct identifiers, by content and (when the first
 * record is the header) its column names too. Findings name the column's position, its header text
 * when it can be shown, and the line of the first value found — never a value.
 */
export async function screenCsv(db: DuckDBConnection, dict: Dictionary, path: string, options: ScreenCsvOptions): Promise<Finding[]> {
  const {key} = options;
  const records = csvRecords(path);
  if (!records.lines.length) return [];
  const table = `raw_${key}`;
  const fields = Math.min(records.fields, MAX_FIELDS);
  await db.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${rawCsvSql(path, fields, key)}`);
  try {
    // DuckDB's rows are the records it did not reject, in order: row k's record is kept[k].
    const rejected = new Set((await queryRows(db, `SELECT DISTINCT line FROM rawrej_${key}`)).map((r) => Number(r.line)));
    const kept = records.lines.flatMap((l, i) => (rejected.has(l) ? [] : [i]));
    const lineOf = (row: number) => {
      const line = records.lines[kept[row]];
      return options.lineOf ? options.lineOf(line) : line;
    };
    // Without names given, the first record's texts name the columns, if it is a header: it was read
    // (not rejected) and names at least one variable of the dictionary. A first line of data (a file
    // with no header row) or another export's header names no column, lest a value be echoed as a name.
    const texts = options.names ? [] : await firstRecord(db, table, fields);
    const header = !options.names && kept[0] === 0 && texts.some((t) => variableForHeading(dict, t) !== undefined);
    const names = options.names ?? (header ? texts : []);
    // One (position, row, text) per cell (a UNION ALL of the columns: UNPIVOT is 2–3 times slower on a large file).
    const cells = Array.from({length: fields}, (_, i) => `SELECT ${i + 1} AS p, rowid AS r, c${i + 1} AS x FROM ${table}`).join(
      " UNION ALL ",
    );
    const found = await screenCells(db, cells, names, dict);
    // A header text found to be an identifier is data, not a name: that column is named by its position only.
    const flagged = (i: number) => kept[0] === 0 && found.some((x) => x.position === i + 1 && x.row === 0);
    const shown = Array.from({length: fields}, (_, i) => (flagged(i) ? "" : (names[i] ?? "")));
    // The first record's texts are screened as names too (e.g. "dob"), named only if it is a header.
    const byName = texts.flatMap((t, i) =>
      t && !flagged(i) ? screenByName([t], dict).map((x) => ({...x, column: shown[i], position: i + 1})) : [],
    );
    return [...byName, ...found.map((x) => ({...x, column: shown[x.position! - 1], row: lineOf(x.row!)}))];
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${table}; DROP TABLE IF EXISTS rawrej_${key}; DROP TABLE IF EXISTS rawscan_${key}`);
  }
}

/** The first record's texts, trimmed ("" for none), as `fields` texts. */
async function firstRecord(db: DuckDBConnection, table: string, fields: number): Promise<string[]> {
  const [first] = await queryRows(db, `SELECT * FROM ${table} WHERE rowid = 0`);
  return Array.from({length: fields}, (_, i) => String(first?.[`c${i + 1}`] ?? "").trim());
}

/**
 * The first pass, for an ingest some file of which failed a check: every file's whole text screened
 * (see `screenCsv`), each decoded as well as it can be (see `screenableUtf8Path`) into `tmpDir`. A
 * missing or empty file has nothing to screen.
 */
export async function screenRawFiles(
  db: DuckDBConnection,
  dict: Dictionary,
  files: string[],
  {encoding, tmpDir}: {encoding?: string; tmpDir: string},
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [f, file] of files.entries()) {
    const stat = statSync(file, {throwIfNoEntry: false});
    if (!stat?.isFile() || stat.size === 0) continue;
    const path = await screenableUtf8Path(file, encoding, join(tmpDir, `raw-${f}.csv`));
    findings.push(...(await screenCsv(db, dict, path, {key: String(f)})).map((x) => ({...x, file: basename(file)})));
  }
  return findings;
}

/** The lines DuckDB rejected in a checked file, as a CSV file of their text at `path` (see `writeRejectedLines`). */
export interface RejectedLines {
  path: string;
  /** the file's header */
  header: string[];
  /** the line in the checked file of a record starting on line `line` of `path` */
  lineOf: (line: number) => number | undefined;
}

/**
 * Writes the text of the lines DuckDB rejected in file number `f` (its rej_<f> table) to `path`, one
 * record each, for `screenCsv`; null when it rejected none.
 */
export async function writeRejectedLines(db: DuckDBConnection, f: number, header: string[], path: string): Promise<RejectedLines | null> {
  const rows = await queryRows(db, `SELECT line, first(csv_line) AS text FROM ${rejectsTable(f)} GROUP BY line ORDER BY line`);
  if (!rows.length) return null;
  const texts = rows.map((r) => `${r.text ?? ""}\n`);
  writeFileSync(path, texts.join(""));
  // Each text starts on its own line of `path` (after the line breaks of the texts before it).
  const lines = new Map<number, number>();
  let line = 1;
  rows.forEach((r, i) => {
    lines.set(line, Number(r.line));
    line += texts[i].split("\n").length - 1;
  });
  return {path, header, lineOf: (l) => lines.get(l)};
}
