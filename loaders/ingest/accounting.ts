/**
 * Accounting: every row read is accepted, rejected or a duplicate, per file and in total, and the
 * warehouse holds exactly the accepted rows. Counted from the working tables and the warehouse
 * just written; an ingest whose numbers do not add up stops with an error rather than report them.
 */
import {basename} from "node:path";
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryRows} from "../db.ts";
import {ACCEPTED, rejectsTable} from "./tables.ts";
import {ingestIdOf, type DictionaryReport, type FileReport, type IngestReport} from "./report.ts";

/** Per file (_file): rows accepted, rejected by a rule or as duplicate_id, dropped as duplicates, and parsed. */
export const fileCountsSql = (): string => `SELECT c._file, count(*) FILTER (WHERE ${ACCEPTED}) AS accepted,
    count(*) FILTER (WHERE c._violations IS NOT NULL OR fate.fate = 'duplicate_id') AS rejected,
    count(*) FILTER (WHERE fate.fate IN ('exact_copy', 'superseded')) AS duplicates,
    count(*) AS parsed
  FROM checked c LEFT JOIN fate USING (_file, _rid) GROUP BY c._file ORDER BY c._file`;

/** The number (n) of lines of file `f` DuckDB could not parse: each is one rejected row. */
export const unparsedCountSql = (f: number): string => `SELECT count(DISTINCT line) AS n FROM ${rejectsTable(f)}`;

/** Rows rejected per rule (a row breaking two rules counts under each), most first. */
export const rejectsByRuleSql = (): string =>
  `SELECT rule, count(DISTINCT (file, "row")) AS n FROM wh.rejects GROUP BY rule ORDER BY n DESC, rule`;

export const fateCountsSql = (): string => `SELECT fate, count(*) AS n FROM fate GROUP BY fate`;

/** Spellings mapped to codes over all months, most first. */
export const mappedCodesSql = (): string =>
  `SELECT variable, kind, spelling, code, sum(n) AS n FROM wh.code_mappings GROUP BY ALL ORDER BY n DESC, variable, kind, spelling, code`;

/** The error when a file's rows do not add up; null when they do. */
export function accountingError(fr: FileReport): string | null {
  if (fr.accepted + fr.rejected + fr.duplicates === fr.read) return null;
  return `accounting does not add up for ${basename(fr.file)}: ${fr.accepted} accepted + ${fr.rejected} rejected + ${fr.duplicates} duplicates ≠ ${fr.read} read`;
}

/** Fills in each file's counts (in place) and checks they add up. */
export async function countFiles(db: DuckDBConnection, files: FileReport[]): Promise<void> {
  const counts = await queryRows(db, fileCountsSql());
  for (const [f, fr] of files.entries()) {
    const row = counts.find((r) => Number(r._file) === f);
    const [{n}] = await queryRows(db, unparsedCountSql(f));
    fr.accepted = Number(row?.accepted ?? 0);
    fr.rejected = Number(row?.rejected ?? 0) + Number(n);
    fr.duplicates = Number(row?.duplicates ?? 0);
    fr.read = Number(row?.parsed ?? 0) + Number(n);
    const error = accountingError(fr);
    if (error) throw new Error(error);
  }
}

const total = (files: FileReport[], k: "read" | "accepted" | "rejected" | "duplicates") => files.reduce((a, x) => a + x[k], 0);

/**
 * Counts every file's rows, checks the warehouse holds the accepted ones, and returns the report
 * of a finished ingest.
 */
export async function summarise(
  db: DuckDBConnection,
  files: FileReport[],
  dictionary: DictionaryReport,
  startedAt: string,
): Promise<IngestReport> {
  await countFiles(db, files);
  const [{contacts}] = await queryRows(db, `SELECT count(*) AS contacts FROM wh.contacts`);
  if (Number(contacts) !== total(files, "accepted"))
    throw new Error(`the warehouse holds ${contacts} contacts but ${total(files, "accepted")} were accepted`);
  const byRule = await queryRows(db, rejectsByRuleSql());
  const fates = await queryRows(db, fateCountsSql());
  const fateN = (k: string) => Number(fates.find((r) => r.fate === k)?.n ?? 0);
  const mapped = await queryRows(db, mappedCodesSql());
  const unknown = await queryRows(db, `SELECT * FROM wh.unknown_codes`);
  const finishedAt = new Date().toISOString();
  return {
    ingestId: ingestIdOf(files, dictionary, startedAt),
    startedAt,
    finishedAt,
    dictionary,
    files: files.map((x) => ({...x, file: basename(x.file)})),
    read: total(files, "read"),
    accepted: total(files, "accepted"),
    rejected: total(files, "rejected"),
    duplicates: {total: total(files, "duplicates"), exactCopies: fateN("exact_copy"), superseded: fateN("superseded")},
    rejectedByRule: Object.fromEntries(byRule.map((r) => [String(r.rule), Number(r.n)])),
    mappedCodes: mapped as IngestReport["mappedCodes"],
    unknownCodes: unknown as IngestReport["unknownCodes"],
    refusal: null,
  };
}
