// Row order and row numbers (loaders/ingest/order.ts): the line of each parsed row, by the search
// tree in SQL and by the join for many skipped lines, against a plain count; and the plan check
// that refuses a validation query that could reorder rows. Real DuckDB.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {
  createKeepingFileOrder,
  MAX_TREE,
  reorderingOperators,
  rowNumbers,
  rowNumberTreeSql,
  skippedLines,
} from "../../../loaders/ingest/order.ts";
import {checkedSelectSql} from "../../../loaders/ingest/tables.ts";

/** The line of each of `rows` rows: the header is line 1, skipped lines hold no row. */
const linesOf = (rows: number, skipped: number[]) => {
  const skip = new Set(skipped);
  const out: number[] = [];
  for (let line = 2; out.length < rows; line++) if (!skip.has(line)) out.push(line);
  return out;
};

/** Row numbers of a table of `rows` rows as checked_0 reads them (the tree or the join, as rowNumbers picks). */
const numbered = (rows: number, skipped: number[]) =>
  withDuckDB(async (db) => {
    await db.run(`CREATE TABLE checked_0 AS SELECT range AS x FROM range(${rows})`);
    const row = await rowNumbers(db, 0, skipped);
    const sql = checkedSelectSql(0, row, ["c.x"]);
    return (await queryRows(db, `SELECT _row FROM (${sql}) ORDER BY _rid`)).map((r) => Number(r._row));
  });

describe("skippedLines", () => {
  it("merges rejected and blank lines, each once, in numeric order", () => {
    expect(skippedLines([10, 3, 100], [9, 3])).toEqual([3, 9, 10, 100]);
    expect(skippedLines([], [])).toEqual([]);
  });
});

describe("row numbers", () => {
  it("as text: no skipped line is rowid + 2; one is a single comparison, no join", () => {
    expect(rowNumberTreeSql([])).toBe("c.rowid + 2 + 0");
    expect(rowNumberTreeSql([3])).toBe("c.rowid + 2 + CASE WHEN c.rowid >= 1 THEN 1 ELSE 0 END");
    expect(rowNumberTreeSql([2, 3, 4, 9, 20]).match(/CASE/g)).toHaveLength(5);
  });

  const cases: [string, number, number[]][] = [
    ["no skipped line", 5, []],
    ["a skipped first row", 5, [2]],
    ["runs of skipped lines", 8, [2, 3, 6, 7, 8, 12]],
    ["skipped lines after the last row", 3, [5, 6, 7]],
    ["every other line", 40, Array.from({length: 40}, (_, i) => 3 + 2 * i)],
  ];
  it.each(cases)("by the search tree: %s", async (_, rows, skipped) => {
    expect(await numbered(rows, skipped)).toEqual(linesOf(rows, skipped));
  });

  it("by the join, beyond MAX_TREE skipped lines: the same numbers", async () => {
    // Runs of one, two and three skipped lines between rows.
    const skipped: number[] = [];
    for (let line = 2, k = 0; skipped.length <= MAX_TREE + 10; k++) {
      line += 1 + (k % 3); // a row
      for (let j = 0; j <= k % 3; j++) skipped.push(line++);
    }
    const rows = 6000;
    const got = await numbered(rows, skipped);
    expect(got).toEqual(linesOf(rows, skipped));
  });

  it("by the join, the rows come out in file order without a sort (several row groups, so DuckDB works in parallel)", async () => {
    const skipped = Array.from({length: MAX_TREE + 1}, (_, i) => 3 + 50 * i);
    const rows = 400_000;
    const order = await withDuckDB(async (db) => {
      await db.run(`CREATE TABLE checked_0 AS SELECT range AS x FROM range(${rows})`);
      const sql = checkedSelectSql(0, await rowNumbers(db, 0, skipped), ["c.x"]);
      // as the warehouse write reads it: a plain scan of the view, no ORDER BY
      await db.run(`CREATE TABLE out AS ${sql}`);
      return (await queryRows(db, `SELECT count(*) FILTER (WHERE _rid <> rowid) AS moved, count(*) AS n FROM out`))[0];
    });
    expect(order).toEqual({moved: 0, n: rows});
  });
});

describe("createKeepingFileOrder", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "ingest-order-"));
  });
  afterAll(() => rmSync(dir, {recursive: true, force: true}));

  it("finds the operators that could reorder rows in a profiled plan", () => {
    const scan = {operator_type: "PROJECTION", children: [{operator_type: "READ_CSV"}]};
    expect(reorderingOperators({children: [scan]})).toEqual([]);
    expect(reorderingOperators({children: [{operator_type: "HASH_JOIN", children: [scan, {operator_type: "ORDER_BY"}]}]})).toEqual([
      "HASH_JOIN",
      "ORDER_BY",
    ]);
    expect(reorderingOperators({children: []})).toBeNull();
  });

  it("keeps a table from a scan and a projection", async () => {
    const n = await withDuckDB(async (db) => {
      await createKeepingFileOrder(db, "t", "SELECT range * 2 AS x FROM range(100)", join(dir, "scan.json"));
      return (await queryRows(db, "SELECT count(*) AS n FROM t"))[0].n;
    });
    expect(n).toBe(100);
  });

  it("drops a table from a join and says why", async () => {
    const left = await withDuckDB(async (db) => {
      await db.run("CREATE TABLE a AS SELECT range AS k FROM range(1000); CREATE TABLE b AS SELECT range AS k FROM range(1000)");
      await expect(createKeepingFileOrder(db, "t", "SELECT a.k FROM a JOIN b ON a.k = b.k", join(dir, "join.json"))).rejects.toThrow(
        /internal error: the validation query would not keep the file's row order \(.*JOIN.*\)/,
      );
      return queryRows(db, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 't'");
    });
    expect(left[0].n).toBe(0);
  });
});
