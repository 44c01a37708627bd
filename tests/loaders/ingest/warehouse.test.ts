// Writing the warehouse (loaders/ingest/warehouse.ts): the accepted rows, the contacts views, the
// rejects and the terminology tables, as text and against DuckDB on tiny working tables.
import {describe, expect, it} from "vitest";
import type {Dictionary, Variable} from "../../../loaders/dictionary.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {
  acceptedRowsSql,
  codeMappingsSql,
  contactsViewSql,
  describedSql,
  itemsViewSql,
  PARSE_DETAIL,
  parseDetailSql,
  rejectsSql,
  markShownSpellings,
  unknownCodesSql,
} from "../../../loaders/ingest/warehouse.ts";

const variable = (name: string, type: Variable["type"], more: Partial<Variable> = {}): Variable =>
  ({name, label: name, group: "g", definition: "", type, role: "feature", sensitivity: "none", ...more}) as Variable;
const id = variable("contact_id", "id", {role: "id"});
const dict: Dictionary = {
  version: "1",
  title: "tiny",
  groups: {},
  roles: {record: "contact_id", event_time: "contact_datetime"},
  targets: {},
  changes: [],
  missing_markers: ["", "N/A"],
  variables: [
    id,
    variable("age", "integer", {special_codes: [{code: "unborn", label: "Unborn"}]}),
    variable("source", "category", {codes: [{code: "police", label: "Police", synonyms: ["Constabulary"]}]}),
    variable("ethnicity", "category", {sensitivity: "quasi-identifier", codes: [{code: "white", label: "White"}]}),
    variable("concerns", "multi-category", {codes: [{code: "neglect", label: "Neglect"}]}),
  ],
};

describe("contacts as text", () => {
  it("writes every variable and special-code column with its source, accepted rows only", () => {
    expect(acceptedRowsSql(dict)).toBe(
      `SELECT c."contact_id", c."age", c."age_code", c."source", c."ethnicity", c."concerns", c._file AS source_file, c._row AS source_row ` +
        "FROM memory.main.checked c WHERE c._violations IS NULL AND c._dup IS NULL",
    );
  });
  it("reads coded variables as text in the contacts view, and names item views in the singular", () => {
    expect(contactsViewSql(dict)).toBe(
      `CREATE VIEW contacts AS SELECT * REPLACE (CAST("source" AS VARCHAR) AS "source", CAST("ethnicity" AS VARCHAR) AS "ethnicity", CAST("concerns" AS VARCHAR[]) AS "concerns") FROM contacts_coded`,
    );
    expect(contactsViewSql({...dict, variables: [id]})).toBe("CREATE VIEW contacts AS SELECT *  FROM contacts_coded");
    expect(itemsViewSql(dict.variables[4], id)).toBe(
      `CREATE VIEW "contact_concerns" AS SELECT "contact_id", CAST(unnest("concerns") AS VARCHAR) AS "concern" FROM contacts_coded`,
    );
  });
});

describe("rejects", () => {
  it("describes each DuckDB parse error without the row, and any other as a general one", async () => {
    const kinds = [...Object.keys(PARSE_DETAIL), "CAST ERROR"];
    const rows = await withDuckDB((db) =>
      queryRows(db, `SELECT e, ${parseDetailSql("e")} AS d FROM unnest([${kinds.map((k) => `'${k}'`).join(", ")}]) t(e)`),
    );
    expect(rows.map((r) => r.d)).toEqual([...Object.values(PARSE_DETAIL), "the row cannot be parsed as CSV"]);
  });

  it("one row per rule broken, per duplicate id and per unparsed line, named by file, in order", async () => {
    const rows = await withDuckDB(async (db) => {
      await db.run(`ATTACH ':memory:' AS wh`);
      await db.run(`CREATE TABLE checked AS SELECT * FROM (VALUES
          (0, 5, TIMESTAMP '2018-03-04 10:00', [{'column': 'age', 'rule': 'range', 'detail': 'age outside 0–25'}, {'column': 'source', 'rule': 'unknown_code', 'detail': 'not a code'}]),
          (1, 2, TIMESTAMP '2018-04-01 09:00', [{'column': 'age', 'rule': 'type', 'detail': 'age is not a whole number'}]),
          (0, 3, TIMESTAMP '2018-03-01 10:00', NULL)) t(_file, _row, t, _violations)`);
      await db.run(
        `CREATE TABLE fate AS SELECT 0 AS _file, 4 AS _row, '2018-03' AS _month, 'duplicate_id' AS fate UNION ALL SELECT 0, 3, '2018-03', 'accepted'`,
      );
      await db.run(`CREATE TABLE rej_0 AS SELECT 7 AS line, 'TOO MANY COLUMNS' AS error_type UNION ALL SELECT 7, 'UNQUOTED VALUE'`);
      await db.run(`CREATE TABLE rej_1 AS SELECT 9 AS line, 'MISSING COLUMNS' AS error_type`);
      await db.run(rejectsSql(["a.csv", "b's.csv"], id, "strftime(c.t, '%Y-%m')"));
      return queryRows(db, `SELECT * FROM wh.rejects`);
    });
    expect(rows).toEqual([
      {
        file: "a.csv",
        row: 4,
        month: "2018-03",
        column: "contact_id",
        rule: "duplicate_id",
        detail: "the same contact_id appears earlier in this file with different content",
      },
      {file: "a.csv", row: 5, month: "2018-03", column: "age", rule: "range", detail: "age outside 0–25"},
      {file: "a.csv", row: 5, month: "2018-03", column: "source", rule: "unknown_code", detail: "not a code"},
      {file: "a.csv", row: 7, month: null, column: null, rule: "row_shape", detail: PARSE_DETAIL["TOO MANY COLUMNS"]},
      {file: "b's.csv", row: 2, month: "2018-04", column: "age", rule: "type", detail: "age is not a whole number"},
      {file: "b's.csv", row: 9, month: null, column: null, rule: "row_shape", detail: PARSE_DETAIL["MISSING COLUMNS"]},
    ]);
  });
});

describe("terminology", () => {
  it("shows only non-sensitive categorical variables", () => {
    expect(describedSql(dict)).toBe("variable IN ('', 'source')");
  });

  it("counts mapped spellings by month and kind, and unknown spellings but missing markers, cut to 40 characters", async () => {
    const {mapped, unknown} = await withDuckDB(async (db) => {
      await db.run(`ATTACH ':memory:' AS wh`);
      await db.run(`CREATE TABLE spellings AS SELECT * FROM (VALUES
          ('source', '2018-01', 'Constabulary', 'Constabulary', 'police'),
          ('source', '2018-01', 'Constabulary ', 'Constabulary', 'police'),
          ('source', '2018-01', 'POLICE', 'POLICE', 'police'),
          ('source', '2018-02', ' police', 'police', 'police'),
          ('source', '2018-02', 'Polce', 'Polce', NULL),
          ('source', '2018-02', 'n/a', 'n/a', NULL),
          ('source', '2018-02', '${"x".repeat(50)}', '${"x".repeat(50)}', NULL),
          ('source', '2018-02', 'olivia', 'olivia', NULL),
          ('source', '2018-02', ' family member olivia smith', 'family member olivia smith', NULL),
          ('ethnicity', '2018-01', 'Whyte', 'Whyte', NULL),
          ('ethnicity', '2018-01', 'WHITE', 'WHITE', 'white')) t(variable, month, raw, spelling, code)`);
      await db.run(codeMappingsSql(dict));
      await markShownSpellings(db);
      await db.run(unknownCodesSql(dict));
      return {
        mapped: await queryRows(db, "SELECT * FROM wh.code_mappings"),
        unknown: await queryRows(db, "SELECT * FROM wh.unknown_codes"),
      };
    });
    expect(mapped).toEqual([
      {variable: "source", month: "2018-01", spelling: "Constabulary", code: "police", kind: "synonym", n: 2},
      {variable: "source", month: "2018-01", spelling: "POLICE", code: "police", kind: "case", n: 1},
      {variable: "source", month: "2018-02", spelling: "police", code: "police", kind: "whitespace", n: 1},
    ]);
    // Free text (too long, a lone name, a name in a sentence) is counted and masked, never stored.
    expect(unknown).toEqual([
      {variable: "source", spelling: "(free text, 26 characters)", n: 1},
      {variable: "source", spelling: "(free text, 50 characters)", n: 1},
      {variable: "source", spelling: "(free text, 6 characters)", n: 1},
      {variable: "source", spelling: "Polce", n: 1},
    ]);
  });
});
