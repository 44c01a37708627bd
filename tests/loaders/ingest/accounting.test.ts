// Accounting (loaders/ingest/accounting.ts) and the report (report.ts) on tiny working tables:
// per-file counts that add up, an error naming the file when they do not, and the finished report.
import {describe, expect, it} from "vitest";
import type {DuckDBConnection} from "@duckdb/node-api";
import {withDuckDB} from "../../../loaders/db.ts";
import {accountingError, countFiles, summarise} from "../../../loaders/ingest/accounting.ts";
import {IdentifierRefusal, ingestIdOf, newFileReport, refusalReport, type FileReport} from "../../../loaders/ingest/report.ts";

const fileReport = (file: string) => newFileReport(`/data/${file}`, "ab".repeat(32), "utf-8", {bytes: 10, bom: null, crlf: false}, []);

/** File 0: accepted, rule broken, exact copy, duplicate id; 2 unparsed lines. File 1: accepted, superseded. */
async function tables(db: DuckDBConnection, {flagAccepted = false} = {}) {
  await db.run(`ATTACH ':memory:' AS wh`);
  await db.run(`CREATE TABLE checked AS SELECT * FROM (VALUES
      (0, 0, NULL, NULL), (0, 1, [{'rule': 'range'}], NULL), (0, 2, NULL, true), (0, 3, NULL, true),
      (1, 0, NULL, ${flagAccepted ? "true" : "NULL"}), (1, 1, NULL, true)) t(_file, _rid, _violations, _dup)`);
  await db.run(
    `CREATE TABLE fate AS SELECT * FROM (VALUES (0, 2, 'exact_copy'), (0, 3, 'duplicate_id'), (1, 0, 'accepted'), (1, 1, 'superseded')) t(_file, _rid, fate)`,
  );
  await db.run(`CREATE TABLE rej_0 AS SELECT * FROM (VALUES (8, 'A'), (8, 'B'), (9, 'A')) t(line, error_type)`);
  await db.run(`CREATE TABLE rej_1 AS SELECT 1 AS line WHERE false`);
}

describe("accounting", () => {
  it("says which file does not add up, and by how much", () => {
    const fr = {...fileReport("a.csv"), read: 5, accepted: 2, rejected: 1, duplicates: 1};
    expect(accountingError(fr)).toBe("accounting does not add up for a.csv: 2 accepted + 1 rejected + 1 duplicates ≠ 5 read");
    expect(accountingError({...fr, read: 4})).toBeNull();
  });

  it("counts each file's rows: unparsed lines are rejected rows, duplicate ids rejected, copies and superseded duplicates", async () => {
    const files = [fileReport("a.csv"), fileReport("b.csv")];
    await withDuckDB(async (db) => {
      await tables(db);
      await countFiles(db, files);
    });
    expect(files.map(({read, accepted, rejected, duplicates}) => ({read, accepted, rejected, duplicates}))).toEqual([
      {read: 6, accepted: 1, rejected: 4, duplicates: 1},
      {read: 2, accepted: 1, rejected: 0, duplicates: 1},
    ]);
  });

  it("stops when a row is neither accepted, rejected nor a duplicate", async () => {
    await withDuckDB(async (db) => {
      await tables(db, {flagAccepted: true});
      await expect(countFiles(db, [fileReport("a.csv"), fileReport("b.csv")])).rejects.toThrow(
        "accounting does not add up for b.csv: 0 accepted + 0 rejected + 1 duplicates ≠ 2 read",
      );
    });
  });

  it("reports the totals, and stops when the warehouse does not hold the accepted rows", async () => {
    const dictionary = {path: "d.yaml", version: "1", sha256: "cd".repeat(32)};
    const report = await withDuckDB(async (db) => {
      await tables(db);
      await db.run(
        `CREATE TABLE wh.rejects AS SELECT * FROM (VALUES ('a.csv', 2, 'range'), ('a.csv', 2, 'type'), ('a.csv', 3, 'range')) t(file, "row", rule)`,
      );
      await db.run(
        `CREATE TABLE wh.code_mappings AS SELECT * FROM (VALUES ('source', '2018-01', 'Police ', 'police', 'whitespace', 2), ('source', '2018-02', 'Police ', 'police', 'whitespace', 1)) t(variable, month, spelling, code, kind, n)`,
      );
      await db.run(`CREATE TABLE wh.unknown_codes AS SELECT 'source' AS variable, 'Polce' AS spelling, 1 AS n`);
      await db.run(`CREATE TABLE wh.contacts AS SELECT 1 AS x`);
      await expect(summarise(db, [fileReport("a.csv"), fileReport("b.csv")], dictionary, "2020-01-01T00:00:00.000Z")).rejects.toThrow(
        "the warehouse holds 1 contacts but 2 were accepted",
      );
      await db.run(`INSERT INTO wh.contacts VALUES (2)`);
      return summarise(db, [fileReport("a.csv"), fileReport("b.csv")], dictionary, "2020-01-01T00:00:00.000Z");
    });
    expect(report).toMatchObject({
      startedAt: "2020-01-01T00:00:00.000Z",
      dictionary,
      read: 8,
      accepted: 2,
      rejected: 4,
      duplicates: {total: 2, exactCopies: 1, superseded: 1},
      rejectedByRule: {range: 2, type: 1},
      mappedCodes: [{variable: "source", kind: "whitespace", spelling: "Police ", code: "police", n: 3}],
      unknownCodes: [{variable: "source", spelling: "Polce", n: 1}],
      refusal: null,
    });
    expect(report.files.map((f) => f.file)).toEqual(["a.csv", "b.csv"]);
    expect(report.ingestId).toBe(ingestIdOf(report.files, dictionary, report.startedAt));
  });
});

describe("report", () => {
  it("keeps a file's fields in the report's order", () => {
    expect(Object.keys(fileReport("a.csv"))).toEqual([
      "file",
      "sha256",
      "encoding",
      "bytes",
      "bom",
      "crlf",
      "read",
      "accepted",
      "rejected",
      "duplicates",
      "ignoredColumns",
    ]);
  });

  it("an ingest id is 12 hex digits, the same for the same files, dictionary and start", () => {
    const files: FileReport[] = [fileReport("a.csv")];
    const dictionary = {path: "d.yaml", version: "1", sha256: "cd".repeat(32)};
    expect(ingestIdOf(files, dictionary, "t0")).toMatch(/^[0-9a-f]{12}$/);
    expect(ingestIdOf(files, dictionary, "t0")).toBe(ingestIdOf(files, dictionary, "t0"));
    expect(ingestIdOf(files, dictionary, "t1")).not.toBe(ingestIdOf(files, dictionary, "t0"));
  });

  it("a refusal names file, column, kind and how it was found, and reports nothing read", () => {
    const findings = [
      {column: "notes", kind: "person_name" as const, by: "content" as const, count: 3, file: "a.csv"},
      {column: "Surname", kind: "person_name" as const, by: "name" as const, count: 0},
    ];
    expect(new IdentifierRefusal(findings).message).toBe(
      'refused: the extract holds direct identifiers, so nothing was ingested. a.csv: column "notes" — person name (by content, 3 values); column "Surname" — person name (by name)',
    );
    const report = refusalReport({path: "d.yaml", version: "1", sha256: "x"}, "t0", findings);
    expect(report).toMatchObject({
      ingestId: "",
      files: [],
      read: 0,
      accepted: 0,
      rejected: 0,
      refusal: {reason: "direct identifiers", findings},
    });
  });
});
