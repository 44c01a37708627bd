// Reading an extract (loaders/ingest/file.ts): the read_csv call as text and against DuckDB (every
// value kept as text, unparseable rows kept aside), and the check that every line of a file is
// accounted for. Real files, real DuckDB.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {csvSourceSql, everyLineAccounted, hashAndBlankLines, rejectedLinesSql} from "../../../loaders/ingest/file.ts";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ingest-file-"));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("csvSourceSql", () => {
  it("as text: an explicit dialect, no sniffing, the buffer only when given, rejects kept per file", () => {
    const sql = csvSourceSql("/x/it's.csv", ["id", "age"], 3);
    expect(sql).toContain("read_csv('/x/it''s.csv', header = true, auto_detect = false");
    expect(sql).toContain(`columns = {'id': 'VARCHAR', 'age': 'VARCHAR'}, delim = ',', quote = '"', escape = '"', null_padding = false`);
    expect(sql).toContain("rejects_table = 'rej_3', rejects_scan = 'scan_3'");
    expect(sql).not.toContain("buffer_size");
    expect(csvSourceSql("x.csv", ["id"], 0, 2097152)).toContain("buffer_size = 2097152, ");
  });

  it("against DuckDB: values stay text as written; a row of the wrong shape is rejected with its line", async () => {
    const path = join(dir, "small.csv");
    writeFileSync(path, 'id,age\n007,5\n\nA,1,extra\nB,"6"\n');
    const {rows, rejected} = await withDuckDB(async (db) => {
      const rows = await queryRows(db, `SELECT * FROM ${csvSourceSql(path, ["id", "age"], 0)}`);
      return {rows, rejected: await queryRows(db, rejectedLinesSql(0))};
    });
    expect(rows).toEqual([
      {id: "007", age: "5"},
      {id: "B", age: "6"},
    ]);
    expect(rejected.map((r) => Number(r.line))).toEqual([4]);
  });
});

describe("everyLineAccounted", () => {
  it("holds when the header, rows, rejected and blank lines make up the file", async () => {
    const path = join(dir, "count.csv");
    writeFileSync(path, "id,age\n007,5\n\nA,1,extra\nB,6");
    const {lines, blankLines} = await hashAndBlankLines(path);
    expect(everyLineAccounted({lines, rows: 2, rejected: 1, blank: blankLines.length})).toBe(true);
  });

  it("fails when a quoted value spans lines (fewer rows than lines)", async () => {
    const path = join(dir, "span.csv");
    writeFileSync(path, 'id,note\nA,"two\nlines"\nB,x\n');
    const {lines, blankLines} = await hashAndBlankLines(path);
    expect(everyLineAccounted({lines, rows: 2, rejected: 0, blank: blankLines.length})).toBe(false);
  });
});
