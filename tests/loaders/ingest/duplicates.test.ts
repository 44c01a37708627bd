// Duplicates (loaders/ingest/duplicates.ts) on a tiny `checked` table: exact copies and duplicate
// ids within a file, a contact superseded by a later file, rows breaking a rule left alone; and
// the flags set in each file's checked table. SQL as text and against DuckDB.
import {describe, expect, it} from "vitest";
import type {Variable} from "../../../loaders/dictionary.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {fateSql, findDuplicates, flagDuplicates, flagDuplicatesSql, rankedSql} from "../../../loaders/ingest/duplicates.ts";

const id = {name: "contact_id", label: "Contact", group: "g", definition: "", type: "id", role: "id", sensitivity: "none"} as Variable;

// (file, rowid, line, hash, breaks a rule, id)
const ROWS: [number, number, number, number, boolean, string][] = [
  [0, 0, 2, 1, false, "A"],
  [0, 1, 3, 1, false, "A"], // an exact copy of line 2
  [0, 2, 4, 2, false, "B"],
  [0, 3, 5, 3, false, "B"], // the same id, other content
  [0, 4, 6, 4, true, "C"], // breaks a rule: no duplicate of line 7
  [0, 5, 7, 5, false, "C"],
  [1, 0, 2, 9, false, "A"], // a later file: supersedes file 0's A
];

const withChecked = <T>(work: Parameters<typeof withDuckDB<T>>[0]) =>
  withDuckDB<T>(async (db, instance) => {
    for (const f of [0, 1]) {
      await db.run(
        `CREATE TABLE checked_${f} AS SELECT * FROM (VALUES ${ROWS.filter((r) => r[0] === f)
          .map(([, , row, hash, bad, key]) => `(${row}, ${hash}, ${bad ? "[{'rule': 'range'}]" : "NULL"}, '${key}', CAST(NULL AS BOOLEAN))`)
          .join(", ")}) t(_row, _hash, _violations, contact_id, _dup)`,
      );
    }
    await db.run(`CREATE VIEW checked AS SELECT 0 AS _file, rowid AS _rid, * FROM checked_0 UNION ALL SELECT 1, rowid, * FROM checked_1`);
    return work(db, instance);
  });

describe("duplicates as text", () => {
  it("ranks only valid rows whose id is seen more than once", () => {
    const sql = rankedSql(id, "NULL");
    expect(sql).toContain(`GROUP BY "contact_id" HAVING count(*) > 1`);
    expect(sql).toMatch(/WHERE _violations IS NULL$/);
    expect(fateSql(id)).toContain(`PARTITION BY "contact_id", in_file = 1 ORDER BY _file DESC`);
    expect(flagDuplicatesSql(2)).toBe(
      "UPDATE checked_2 SET _dup = true WHERE rowid IN (SELECT _rid FROM fate WHERE _file = 2 AND fate <> 'accepted')",
    );
  });
});

describe("duplicates against DuckDB", () => {
  it("gives every ranked row its fate", async () => {
    const fates = await withChecked(async (db) => {
      await findDuplicates(db, id, "NULL");
      return queryRows(db, "SELECT _file, _row, fate FROM fate ORDER BY _file, _row");
    });
    expect(fates).toEqual([
      {_file: 0, _row: 2, fate: "superseded"},
      {_file: 0, _row: 3, fate: "exact_copy"},
      {_file: 0, _row: 4, fate: "accepted"},
      {_file: 0, _row: 5, fate: "duplicate_id"},
      {_file: 1, _row: 2, fate: "accepted"},
    ]);
  });

  it("flags every row but the accepted ones in its file's checked table", async () => {
    const flagged = await withChecked(async (db) => {
      await findDuplicates(db, id, "NULL");
      await flagDuplicates(db, 2);
      return queryRows(db, "SELECT _file, _row FROM checked WHERE _dup ORDER BY _file, _row");
    });
    expect(flagged).toEqual([
      {_file: 0, _row: 2},
      {_file: 0, _row: 3},
      {_file: 0, _row: 5},
    ]);
  });
});
