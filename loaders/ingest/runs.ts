/**
 * The ingest history in the warehouse: ingest_runs (every ingest into this warehouse path, kept
 * across ingests), ingest_files (this run's files), meta (this run's id and dictionary) and
 * ingest_report (this run's report, which stays true of the warehouse when a later run is refused
 * and the report file says so).
 */
import {existsSync} from "node:fs";
import type {DuckDBConnection} from "@duckdb/node-api";
import {queryRows} from "../db.ts";
import {literal} from "../sql.ts";
import type {IngestReport} from "./report.ts";

export const INGEST_RUNS_SQL = `CREATE TABLE wh.ingest_runs (ingest_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, dictionary_version VARCHAR,
  dictionary_sha256 VARCHAR, files INTEGER, "read" BIGINT, accepted BIGINT, rejected BIGINT, duplicates BIGINT)`;

/** This run's row of ingest_runs. */
export function runRowSql(rep: IngestReport): string {
  return `INSERT INTO wh.ingest_runs VALUES (${literal(rep.ingestId)}, ${literal(rep.startedAt)}, ${literal(rep.finishedAt)},
    ${literal(rep.dictionary.version)}, ${literal(rep.dictionary.sha256)}, ${rep.files.length}, ${rep.read}, ${rep.accepted}, ${rep.rejected}, ${rep.duplicates.total})`;
}

/** Table ingest_files: one row per file of this run, with its shape and counts. */
export function ingestFilesSql(rep: IngestReport): string {
  const rows = rep.files.map(
    (f) =>
      `(${literal(rep.ingestId)}, ${literal(f.file)}, ${literal(f.sha256)}, ${f.bytes}, ${literal(f.encoding)}, ${f.bom ? literal(f.bom) : "NULL"}, ${f.crlf}, ${f.read}, ${f.accepted}, ${f.rejected}, ${f.duplicates})`,
  );
  return `CREATE TABLE wh.ingest_files AS SELECT * FROM (VALUES ${rows.join(", ")}) t(ingest_id, file, sha256, bytes, encoding, bom, crlf, "read", accepted, rejected, duplicates)`;
}

/** Table meta: the run's id and dictionary, one row. */
export function metaSql(rep: IngestReport): string {
  return `CREATE TABLE wh.meta AS SELECT ${literal(rep.ingestId)} AS ingest_id, ${literal(rep.dictionary.version)} AS dictionary_version, ${literal(rep.dictionary.sha256)} AS dictionary_sha256`;
}

/** Table ingest_report: the run's report as JSON text, one row (its counts, files and spellings are in the other tables too). */
export function reportSql(rep: IngestReport): string {
  return `CREATE TABLE wh.ingest_report AS SELECT ${literal(rep.ingestId)} AS ingest_id, ${literal(JSON.stringify(rep))} AS report`;
}

/**
 * The report of the ingest that built the warehouse open on `db` (as its current database); null for
 * a warehouse written before ingest_report existed.
 */
export async function warehouseReport(db: DuckDBConnection): Promise<IngestReport | null> {
  const [{n}] = await queryRows(
    db,
    `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'ingest_report' AND database_name = current_database()`,
  );
  if (!Number(n)) return null;
  const [row] = await queryRows(db, `SELECT report FROM ingest_report`);
  return row ? (JSON.parse(String(row.report)) as IngestReport) : null;
}

/** Writes the history tables; `previousDb` is the warehouse this one replaces (null: none), whose runs are kept. */
export async function writeRunTables(db: DuckDBConnection, rep: IngestReport, previousDb: string | null): Promise<void> {
  await db.run(INGEST_RUNS_SQL);
  if (previousDb && existsSync(previousDb)) {
    try {
      await db.run(`ATTACH ${literal(previousDb)} AS prev (READ_ONLY)`);
      await db.run(`INSERT INTO wh.ingest_runs SELECT * FROM prev.ingest_runs`);
      await db.run(`DETACH prev`);
    } catch {
      // An older warehouse without history: start a new one.
    }
  }
  await db.run(runRowSql(rep));
  await db.run(ingestFilesSql(rep));
  await db.run(metaSql(rep));
  await db.run(reportSql(rep));
}
