/**
 * One extract file into its checked table (checked_<f>): decoded to UTF-8, its header matched to
 * the dictionary and screened by name, read and validated by DuckDB in the file's order, and every
 * row numbered with its line in the file.
 */
import {existsSync} from "node:fs";
import {basename, join} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import type {Dictionary} from "../dictionary.ts";
import {queryRows} from "../db.ts";
import {checkedQuery, commonColumns} from "./checked.ts";
import {RefusedFile, utf8Path} from "./encoding.ts";
import {csvBufferSize, csvSourceSql, everyLineAccounted, hashAndBlankLines, rejectedLinesSql} from "./file.ts";
import {matchHeader, readHeader} from "./header.ts";
import {fastLookups} from "./lookup.ts";
import {createKeepingFileOrder, rowNumbers, skippedLines} from "./order.ts";
import {writeRejectedLines} from "./raw-screen.ts";
import {newFileReport, type FileReport} from "./report.ts";
import {screenByName, type Finding} from "./screen.ts";
import type {Screen} from "./screening.ts";
import {checkedSelectSql, checkedTable, dropReadSql} from "./tables.ts";

export interface CheckedFile {
  /** the file's report, its rows not counted yet */
  report: FileReport;
  /** what to screen in its checked table */
  screen: Screen;
  /** identifiers its column names announce */
  findings: Finding[];
  /** its rows as the `checked` view holds them */
  select: string;
}

export interface CheckFileOptions {
  /** declared encoding (default UTF-8) */
  encoding?: string;
  /** a folder for a transcoded copy and the query profiles */
  tmpDir: string;
  /** whether to compute the file's SHA-256 (not needed for a warehouse that is not kept) */
  hash: boolean;
}

/** Reads file number `f` (path `file`) into checked_<f>; a file that cannot be ingested is refused (RefusedFile). */
export async function checkFile(
  db: DuckDBConnection,
  dict: Dictionary,
  f: number,
  file: string,
  {encoding, tmpDir, hash}: CheckFileOptions,
): Promise<CheckedFile> {
  if (!existsSync(file)) throw new RefusedFile(file, "no such file");
  const src = await utf8Path(file, encoding, join(tmpDir, `${f}.csv`));
  const header = readHeader(src.path, file);
  const {map, ignoredColumns} = matchHeader(header, dict, file);
  const findings = screenByName(header, dict).map((x) => ({...x, file: basename(file)}));
  // Small read buffers for a file of short lines (see csvBufferSize), checked below.
  const small = src.path === file ? csvBufferSize(src.path) : undefined;
  const lookups = await fastLookups(db, dict, src.path, header, map, `_fast_${f}`);
  const checked = (buffer: number | undefined) => checkedQuery(dict, header, map, lookups, csvSourceSql(src.path, header, f, buffer));
  const {sql, screened, screenSources, failedValues} = checked(small);
  const table = checkedTable(f);
  const profile = join(tmpDir, `plan-${f}.json`);
  // The file is hashed while DuckDB validates it (the JS thread is idle then).
  const hashing = hashAndBlankLines(file, {hash});
  hashing.catch(() => {}); // awaited below; no unhandled rejection if validation fails first
  await createKeepingFileOrder(db, table, sql, profile);
  const {sha256, blankLines, lines} = await hashing;
  const rejectedLines = async () => (await queryRows(db, rejectedLinesSql(f))).map((r) => Number(r.line));
  let rejected = await rejectedLines();
  if (small) {
    const [{rows}] = await queryRows(db, `SELECT count(*) AS rows FROM ${table}`);
    if (!everyLineAccounted({lines, rows: Number(rows), rejected: rejected.length, blank: blankLines.length})) {
      // A value spans lines, and DuckDB reads a record much longer than its buffer differently
      // (a 6 MB value came out as thousands of rejects instead of one): read again with its defaults.
      await db.run(dropReadSql(f));
      await createKeepingFileOrder(db, table, checked(undefined).sql, profile);
      rejected = await rejectedLines();
    }
  }
  // Lines DuckDB could not parse never reach the checked table: their text is screened raw.
  const rejectedText = rejected.length ? await writeRejectedLines(db, f, header, join(tmpDir, `rejected-${f}.csv`)) : null;
  const screen: Screen = {f, file, screened, sources: screenSources(table), failed: failedValues(table), rejected: rejectedText};
  const report = newFileReport(file, sha256, src.encoding, src.shape, ignoredColumns);
  const rowNumber = await rowNumbers(db, f, skippedLines(rejected, blankLines));
  return {report, screen, findings, select: checkedSelectSql(f, rowNumber, commonColumns(dict))};
}
