// The spellings behind the terminology tables (loaders/ingest/screening.ts): raw spellings kept
// beside the checked rows, mapped to codes by validation's own SQL; unmatched ones screened. Real DuckDB.
import {describe, expect, it} from "vitest";
import type {Dictionary, Variable} from "../../../loaders/dictionary.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {rawSpellingsSql, spellingsSql, unmatchedSpellingsSql} from "../../../loaders/ingest/screening.ts";

const variable = (name: string, type: Variable["type"], more: Partial<Variable> = {}): Variable =>
  ({name, label: name, group: "g", definition: "", type, role: "feature", sensitivity: "none", ...more}) as Variable;
const dict: Dictionary = {
  version: "1",
  title: "tiny",
  groups: {},
  roles: {record: "contact_id", event_time: "contact_datetime"},
  targets: {},
  changes: [],
  missing_markers: ["", "N/A"],
  variables: [
    variable("contact_id", "id", {role: "id"}),
    variable("source", "category", {
      codes: [
        {code: "police", label: "Police", synonyms: ["Constabulary"]},
        {code: "school", label: "School"},
      ],
    }),
    variable("consent", "boolean", {
      codes: [
        {code: "yes", label: "Yes"},
        {code: "no", label: "No"},
      ],
    }),
  ],
};

describe("spellings", () => {
  it("keeps only the raw spellings among the texts kept beside a checked row, with the row's month", async () => {
    const rows = await withDuckDB(async (db) => {
      await db.run(`CREATE TABLE checked AS SELECT * FROM (VALUES
          ('2018-01', [{'k': '_raw_source', 'v': 'POLICE'}, {'k': '_scr_0', 'v': 'x'}]),
          ('2018-02', NULL),
          ('2018-03', [{'k': '_raw_consent', 'v': 'Y'}])) t(m, _extra)`);
      await db.run(rawSpellingsSql("c.m"));
      return queryRows(db, `SELECT * FROM raw_spellings ORDER BY month`);
    });
    expect(rows).toEqual([
      {month: "2018-01", key: "_raw_source", v: "POLICE"},
      {month: "2018-03", key: "_raw_consent", v: "Y"},
    ]);
  });

  it("maps each spelling to its variable's code as validation does; none for an unknown spelling", async () => {
    const rows = await withDuckDB(async (db) => {
      await db.run(`CREATE TABLE raw_spellings AS SELECT * FROM (VALUES
          ('2018-01', '_raw_source', ' constabulary '), ('2018-01', '_raw_source', 'Polce'), ('2018-01', '_raw_consent', 'YES'),
          ('2018-01', '_raw_consent', 'Police')) t(month, "key", v)`);
      await db.run(spellingsSql(dict));
      return {
        all: await queryRows(db, `SELECT * FROM spellings ORDER BY variable, raw`),
        unmatched: await queryRows(db, `${unmatchedSpellingsSql()} ORDER BY v`),
      };
    });
    expect(rows.all).toEqual([
      {variable: "consent", month: "2018-01", raw: "Police", spelling: "Police", code: null},
      {variable: "consent", month: "2018-01", raw: "YES", spelling: "YES", code: "yes"},
      {variable: "source", month: "2018-01", raw: " constabulary ", spelling: "constabulary", code: "police"},
      {variable: "source", month: "2018-01", raw: "Polce", spelling: "Polce", code: null},
    ]);
    expect(rows.unmatched).toEqual([
      {column: "source", v: "Polce"},
      {column: "consent", v: "Police"},
    ]);
  });

  it("an empty table of the same columns for a dictionary without categorical variables", async () => {
    const rows = await withDuckDB(async (db) => {
      await db.run(spellingsSql({...dict, variables: [dict.variables[0]]}));
      return queryRows(db, `SELECT column_name, column_type FROM (DESCRIBE spellings)`);
    });
    expect(rows.map((r) => [r.column_name, r.column_type])).toEqual(
      ["variable", "month", "raw", "spelling", "code"].map((c) => [c, "VARCHAR"]),
    );
  });
});
