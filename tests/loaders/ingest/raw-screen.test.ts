// Identifier screening of raw CSV text (raw-screen.ts, screen.ts's screenCells): records found with
// RFC 4180 quoting, the tolerant read_csv call as text and against DuckDB, the exemptions the other
// screens make (codes of a category, dates in a date column), the header row screened as data, the
// lenient decoding of files in an undeclared encoding, and a finding described without its value.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary, type Dictionary, type Variable} from "../../../loaders/dictionary.ts";
import {screenableUtf8Path} from "../../../loaders/ingest/encoding.ts";
import {csvRecords, rawCsvSql, screenCsv} from "../../../loaders/ingest/raw-screen.ts";
import {describeFinding} from "../../../loaders/ingest/report.ts";
import {screenCells} from "../../../loaders/ingest/screen.ts";

const DICT = loadDictionary(fileURLToPath(new URL("../../../data/dictionary.yaml", import.meta.url)));

let dir: string;
let n = 0;
const file = (content: string | Buffer) => {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, content);
  return path;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "raw-screen-"));
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("csvRecords", () => {
  it("counts fields and finds each record's first line, quotes and empty lines respected", () => {
    expect(csvRecords(file('a,b\n\n1,"x\ny,z",3\r\n\r\n4\n'))).toEqual({fields: 3, lines: [1, 3, 6]});
    expect(csvRecords(file('a,"say ""hi"", then",c'))).toEqual({fields: 3, lines: [1]}); // no final line break
    expect(csvRecords(file(""))).toEqual({fields: 0, lines: []});
    expect(csvRecords(file("\n\n"))).toEqual({fields: 0, lines: []});
  });
});

describe("rawCsvSql", () => {
  it("reads every record as text with no header, short rows padded, blank lines skipped, mixed line endings tolerated", async () => {
    const path = file('h1,h1\r\n1,"x\ny"\n\n3\r\n4,5,6\n');
    const {fields} = csvRecords(path);
    const sql = rawCsvSql(path, fields, "t");
    expect(sql).toContain("header = false");
    expect(sql).toContain("null_padding = true");
    const rows = await withDuckDB((db) => queryRows(db, `SELECT * FROM ${sql}`));
    expect(rows).toEqual([
      {c1: "h1", c2: "h1", c3: null},
      {c1: "1", c2: "x\ny", c3: null},
      {c1: "3", c2: null, c3: null},
      {c1: "4", c2: "5", c3: "6"},
    ]);
  });
});

describe("screenCells", () => {
  /** A dictionary whose team codes include a label that looks like a person's name (to see it exempt). */
  const dict: Dictionary = {
    ...DICT,
    variables: DICT.variables.map((v): Variable =>
      v.name === "team" ? {...v, codes: [...(v.codes ?? []), {code: "T9", label: "Harry Jones"}]} : v,
    ),
  };
  const cells = (rows: [number, number, string][]) =>
    `SELECT * FROM (VALUES ${rows.map(([p, r, x]) => `(${p}, ${r}, '${x}')`).join(", ")}) t(p, r, x)`;

  it("exempts a category's codes and labels and a date column's dates, as the other screens do; finds the rest with its first row", async () => {
    const found = await withDuckDB((db) =>
      screenCells(
        db,
        cells([
          [1, 3, "Harry Jones"], // a label of team: a code, not a name
          [1, 4, "Oliver Brown"], // not a code of team
          [1, 5, "Isla Williams"],
          [2, 1, "2009-03-14"], // contact_datetime: dates expected
          [3, 2, "2009-03-14"], // an unknown column: a date of birth
          [4, 1, "concerns"],
        ]),
        ["Team", "contact_datetime", "extra", ""],
        dict,
      ),
    );
    expect(found).toEqual([
      {column: "Team", kind: "person_name", by: "content", count: 2, position: 1, row: 4},
      {column: "extra", kind: "date_of_birth", by: "content", count: 1, position: 3, row: 2},
    ]);
  });

  it("screens each item of a multi-category column, not the codes among them", async () => {
    const found = await withDuckDB((db) => screenCells(db, cells([[1, 2, "self_harm;07700 900123;cse"]]), ["concerns"], DICT));
    expect(found).toEqual([{column: "concerns", kind: "phone", by: "content", count: 1, position: 1, row: 2}]);
  });
});

describe("screenCsv", () => {
  it("screens the header row as data: a header text holding an identifier does not name its column", async () => {
    const path = file("contact_id,Amelia Smith,dob\nC1,Oliver Brown,\n\nC2,x,14/03/2009\n");
    const found = await withDuckDB((db) => screenCsv(db, DICT, path, {key: "h"}));
    expect(found).toEqual([
      {column: "dob", kind: "date_of_birth", by: "name", count: 0, position: 3},
      {column: "", kind: "person_name", by: "content", count: 2, position: 2, row: 1},
      {column: "dob", kind: "date_of_birth", by: "content", count: 1, position: 3, row: 4},
    ]);
  });

  it("names no column after a first record that names no dictionary variable (data, or another export's header)", async () => {
    const path = file("C1,Not known,DOB\nC2,Oliver Brown,14/03/2009\n");
    const found = await withDuckDB((db) => screenCsv(db, DICT, path, {key: "d"}));
    expect(found).toEqual([
      {column: "", kind: "date_of_birth", by: "name", count: 0, position: 3},
      {column: "", kind: "person_name", by: "content", count: 1, position: 2, row: 2},
      {column: "", kind: "date_of_birth", by: "content", count: 1, position: 3, row: 2},
    ]);
  });

  it("with the header's names given, screens every record as data and maps its line", async () => {
    const path = file("C1,x\nC2,Oliver Brown,extra\n");
    const found = await withDuckDB((db) => screenCsv(db, DICT, path, {key: "g", names: ["contact_id", "notes"], lineOf: (l) => l * 10}));
    expect(found).toEqual([{column: "notes", kind: "person_name", by: "content", count: 1, position: 2, row: 20}]);
  });
});

describe("screenableUtf8Path", () => {
  it("uses a UTF-8 file as it is, and decodes undeclared UTF-16 and invalid UTF-8 leniently into a copy", async () => {
    const utf8 = file("a,b\n1,é\n");
    expect(await screenableUtf8Path(utf8, undefined, join(dir, "u.csv"))).toBe(utf8);
    const utf16 = file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a,b\n1,x@y.org\n", "utf16le")]));
    expect(readFileSync(await screenableUtf8Path(utf16, undefined, join(dir, "u16.csv")), "utf8")).toBe("a,b\n1,x@y.org\n");
    const latin = file(Buffer.from("a,b\n1,wavené,x@y.org\n", "latin1"));
    expect(readFileSync(await screenableUtf8Path(latin, undefined, join(dir, "l.csv")), "utf8")).toBe("a,b\n1,waven\ufffd,x@y.org\n");
    expect(readFileSync(await screenableUtf8Path(latin, "windows-1252", join(dir, "w.csv")), "utf8")).toBe("a,b\n1,wavené,x@y.org\n");
    expect(readFileSync(await screenableUtf8Path(latin, "no-such-encoding", join(dir, "n.csv")), "utf8")).toBe(
      "a,b\n1,waven\ufffd,x@y.org\n",
    );
  });
});

describe("describeFinding", () => {
  it("names the file, the column by position and header text, the kind, the count and the first line", () => {
    expect(describeFinding({file: "x.csv", column: "dob", position: 4, kind: "date_of_birth", by: "content", count: 3, row: 2})).toBe(
      'x.csv: column 4 "dob" — date of birth (by content, 3 values, the first on line 2)',
    );
    expect(describeFinding({column: "", position: 2, kind: "person_name", by: "content", count: 1, row: 1})).toBe(
      "column 2 — person name (by content, 1 value, the first on line 1)",
    );
    expect(describeFinding({file: "x.csv", column: "child_name", kind: "person_name", by: "name", count: 0})).toBe(
      'x.csv: column "child_name" — person name (by name)',
    );
  });
});
