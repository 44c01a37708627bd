// The working tables' names and the SQL over them (loaders/ingest/tables.ts), as text and against DuckDB.
import {describe, expect, it} from "vitest";
import type {Variable} from "../../../loaders/dictionary.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {checkedSelectSql, checkedViewSql, dropReadSql, monthSql} from "../../../loaders/ingest/tables.ts";

const time = {name: "contact_datetime", type: "datetime", role: "time"} as Variable;

describe("tables", () => {
  it("as text: a month from the event time, NULL without one; a file's rows in the checked view", () => {
    expect(monthSql(time, "c")).toBe(`strftime(c."contact_datetime", '%Y-%m')`);
    expect(monthSql(undefined, "c")).toBe("NULL");
    expect(checkedSelectSql(1, {expr: "m._row", join: "POSITIONAL JOIN rowmap_1 m"}, ["c._hash"])).toBe(
      "SELECT 1 AS _file, c.rowid AS _rid, CAST(m._row AS BIGINT) AS _row, c._hash FROM checked_1 c POSITIONAL JOIN rowmap_1 m",
    );
    expect(dropReadSql(2)).toBe("DROP TABLE checked_2; DROP TABLE rej_2; DROP TABLE scan_2");
  });

  it("against DuckDB: the checked view holds every file's rows with file, rowid, line and month", async () => {
    const rows = await withDuckDB(async (db) => {
      for (const f of [0, 1])
        await db.run(
          `CREATE TABLE checked_${f} AS SELECT TIMESTAMP '2018-0${f + 1}-15 10:00' + INTERVAL (range) DAY AS contact_datetime FROM range(2)`,
        );
      const row = {expr: "c.rowid + 2", join: ""};
      await db.run(checkedViewSql([checkedSelectSql(0, row, ["c.contact_datetime"]), checkedSelectSql(1, row, ["c.contact_datetime"])]));
      return queryRows(db, `SELECT _file, _rid, _row, ${monthSql(time, "c")} AS month FROM checked c ORDER BY _file, _rid`);
    });
    expect(rows).toEqual([
      {_file: 0, _rid: 0, _row: 2, month: "2018-01"},
      {_file: 0, _rid: 1, _row: 3, month: "2018-01"},
      {_file: 1, _rid: 0, _row: 2, month: "2018-02"},
      {_file: 1, _rid: 1, _row: 3, month: "2018-02"},
    ]);
  });
});
