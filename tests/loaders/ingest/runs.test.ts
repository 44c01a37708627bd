// The ingest history (loaders/ingest/runs.ts): this run's rows, and the runs of the warehouse it
// replaces kept (or a new history when that warehouse has none). Real DuckDB files.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import type {IngestReport} from "../../../loaders/ingest/report.ts";
import {ingestFilesSql, writeRunTables} from "../../../loaders/ingest/runs.ts";

const report = (ingestId: string): IngestReport => ({
  ingestId,
  startedAt: "2020-01-01T10:00:00.000Z",
  finishedAt: "2020-01-01T10:00:05.000Z",
  dictionary: {path: "d.yaml", version: "1.2", sha256: "cd"},
  files: [
    {
      file: "a.csv",
      sha256: "aa",
      encoding: "utf-8",
      bytes: 100,
      bom: null,
      crlf: false,
      read: 3,
      accepted: 2,
      rejected: 1,
      duplicates: 0,
      ignoredColumns: [],
    },
    {
      file: "b's.csv",
      sha256: "bb",
      encoding: "windows-1252",
      bytes: 50,
      bom: "utf-8",
      crlf: true,
      read: 1,
      accepted: 1,
      rejected: 0,
      duplicates: 0,
      ignoredColumns: ["x"],
    },
  ],
  read: 4,
  accepted: 3,
  rejected: 1,
  duplicates: {total: 0, exactCopies: 0, superseded: 0},
  rejectedByRule: {},
  mappedCodes: [],
  unknownCodes: [],
  refusal: null,
});

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ingest-runs-"));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** Writes a warehouse at `path` with the run tables of `id`, keeping `previous`'s history. */
const write = (path: string, id: string, previous: string | null) =>
  withDuckDB(async (db) => {
    await db.run(`ATTACH '${path}' AS wh`);
    await writeRunTables(db, report(id), previous);
    await db.run("DETACH wh");
  });

describe("run tables", () => {
  it("as text: one row per file, a missing byte-order mark as NULL", () => {
    const sql = ingestFilesSql(report("r1"));
    expect(sql).toContain(
      `('r1', 'a.csv', 'aa', 100, 'utf-8', NULL, false, 3, 2, 1, 0), ('r1', 'b''s.csv', 'bb', 50, 'windows-1252', 'utf-8', true, 1, 1, 0, 0)`,
    );
  });

  it("against DuckDB: this run's history, files and meta; a later warehouse keeps the earlier runs", async () => {
    const first = join(dir, "first.duckdb");
    const second = join(dir, "second.duckdb");
    await write(first, "r1", join(dir, "none.duckdb"));
    await write(second, "r2", first);
    const [runs, files, meta] = await withDuckDB(
      async (db) => [
        await queryRows(
          db,
          `SELECT ingest_id, CAST(started_at AS VARCHAR) AS started_at, dictionary_version, files, "read", accepted, rejected, duplicates FROM ingest_runs`,
        ),
        await queryRows(db, `SELECT ingest_id, file, bom, crlf FROM ingest_files ORDER BY file`),
        await queryRows(db, `SELECT * FROM meta`),
      ],
      second,
    );
    expect(runs).toEqual([
      {
        ingest_id: "r1",
        started_at: "2020-01-01 10:00:00",
        dictionary_version: "1.2",
        files: 2,
        read: 4,
        accepted: 3,
        rejected: 1,
        duplicates: 0,
      },
      {
        ingest_id: "r2",
        started_at: "2020-01-01 10:00:00",
        dictionary_version: "1.2",
        files: 2,
        read: 4,
        accepted: 3,
        rejected: 1,
        duplicates: 0,
      },
    ]);
    expect(files).toEqual([
      {ingest_id: "r2", file: "a.csv", bom: null, crlf: false},
      {ingest_id: "r2", file: "b's.csv", bom: "utf-8", crlf: true},
    ]);
    expect(meta).toEqual([{ingest_id: "r2", dictionary_version: "1.2", dictionary_sha256: "cd"}]);
  });

  it("starts a new history when the warehouse replaced has none", async () => {
    const old = join(dir, "old.duckdb");
    await withDuckDB((db) => db.run("CREATE TABLE contacts AS SELECT 1 AS x"), old);
    const next = join(dir, "next.duckdb");
    await write(next, "r3", old);
    const runs = await withDuckDB((db) => queryRows(db, "SELECT ingest_id FROM ingest_runs"), next);
    expect(runs).toEqual([{ingest_id: "r3"}]);
  });
});
