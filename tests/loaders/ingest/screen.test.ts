// Identifier screening in ingest: the SQL prefilter keeps everything the shared screen
// (src/lib/identifiers.ts, tested in tests/lib/identifiers.test.ts) can flag, a whole-table
// screen, and screening by column name.
import {describe, expect, it} from "vitest";
import {headingSql, plausibleSql, screenByContent, screenByName, screenValues} from "../../../loaders/ingest/screen.ts";
import {identifiersIn, isLoneName} from "../../../src/lib/identifiers.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {literal} from "../../../loaders/sql.ts";
import {loadDictionary, normaliseHeading, type Dictionary} from "../../../loaders/dictionary.ts";
import {COLUMNS} from "../../../loaders/synth/messiness.ts";

describe("plausibleSql against DuckDB", () => {
  // Values the screen flags, and values it must not (ids, codes, numbers).
  const flagged = [
    "Oliver Smith",
    "olivia smith",
    "JACK TAYLOR",
    "Olivia",
    "IP4 2BX",
    "ip42bx",
    "jo.bloggs@example.org",
    "07700 900123",
    "+44 7700 900123",
    "(01473) 261000",
    "17/04/2009",
    "2009-04-17",
    "943 476 5919",
    "9434765919",
    "AB 12 34 56 C",
    "12 High St",
    "family_member_olivia_smith",
  ];

  it("keeps every value the shared screen flags (as given, padded, and in 20,000 seeded random texts) and drops ids", async () => {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@ .+()/-_é";
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const random = Array.from({length: 20_000}, () =>
      Array.from({length: 1 + Math.floor(next() * 20)}, () => alphabet[Math.floor(next() * alphabet.length)]).join(""),
    );
    const values = [...flagged, ...flagged.map((v) => ` ${v}  `), ...random];
    const rows = await withDuckDB(async (db) => {
      await db.run(`CREATE TABLE t AS SELECT unnest(${literal(JSON.stringify(values))}::JSON::VARCHAR[]) AS v`);
      return queryRows(db, `SELECT v, ${plausibleSql("v")} AS plausible FROM t`);
    });
    const plausible = new Map(rows.map((r) => [String(r.v), r.plausible === true]));
    const hits = values.filter((v) => identifiersIn(v).length > 0 || isLoneName(v));
    expect(flagged.every((v) => identifiersIn(v).length > 0 || isLoneName(v))).toBe(true);
    expect(hits.length).toBeGreaterThan(flagged.length * 2); // the random texts hit the screen too
    expect(hits.filter((v) => !plausible.get(v))).toEqual([]);
    expect(values.filter((v) => !plausible.get(v)).length).toBeGreaterThan(1000);
    const ids = await withDuckDB((db) =>
      queryRows(db, `SELECT bool_or(${plausibleSql("v")}) AS any FROM (VALUES ('C9A393C7B'), ('17'), ('SCR-8E2CC'), ('T2')) t(v)`),
    );
    expect(ids[0].any).toBe(false);
  });
});

describe("screenByContent against DuckDB", () => {
  it("screenByContent counts values per column and kind, and skips dates of birth in declared date columns", async () => {
    // contact_datetime is a declared datetime: its dates are expected there, not dates of birth.
    const dict = loadDictionary();
    const findings = await withDuckDB(async (db) => {
      await db.run(`CREATE TABLE raw AS SELECT * FROM (VALUES
        ('C1', '2018-01-01', 'Oliver Smith', 'IP4 2BX', '2009-04-17', 'nothing here'),
        ('C2', '02/01/2018', 'Emily Jones', NULL, '17/04/2009', 'still nothing'),
        ('C3', '2018-01-03', '', 'not a postcode', '', '943 476 5919')
      ) t(contact_id, contact_datetime, who, area, born, remarks)`);
      return screenByContent(db, "raw", ["contact_id", "contact_datetime", "who", "area", "born", "remarks"], dict);
    });
    expect(findings.sort((a, b) => a.column.localeCompare(b.column))).toEqual([
      {column: "area", kind: "postcode", by: "content", count: 1},
      {column: "born", kind: "date_of_birth", by: "content", count: 2},
      {column: "remarks", kind: "nhs_number", by: "content", count: 1},
      {column: "who", kind: "person_name", by: "content", count: 2},
    ]);
  });

  it("finds names in any case in free text, and a column of lone first names or surnames (given, family)", async () => {
    const dict = loadDictionary();
    const given = ["Olivia", "JACK", "harry", "Amelia", "sophie", "Noah"];
    const family = ["smith", "TAYLOR", "Jones", "brown", "Wilson", "evans"];
    const findings = await withDuckDB(async (db) => {
      await db.run(
        `CREATE TABLE raw AS SELECT * FROM (VALUES ${given
          .map(
            (g, i) =>
              `('C${i}', ${literal(g)}, ${literal(family[i])}, ${literal(["olivia smith", "JACK TAYLOR", "Jack Taylor", "nothing", "none", "ok"][i])})`,
          )
          .join(", ")}) t(contact_id, given, family, defendant)`,
      );
      return screenByContent(db, "raw", ["contact_id", "given", "family", "defendant"], dict);
    });
    expect(findings.map((f) => [f.column, f.kind, f.count]).sort()).toEqual([
      ["defendant", "person_name", 3],
      ["family", "person_name", 5], // "brown" is an everyday word too: no evidence alone
      ["given", "person_name", 5], // and "JACK" (a jack is a tool)
    ]);
  });
});

describe("screenByName", () => {
  const dict = loadDictionary();

  it("passes every column of a clean extract", () => {
    expect(screenByName([...COLUMNS], dict)).toEqual([]);
  });

  it("flags identifier column names in snake case, spaces, hyphens and any case", () => {
    const cases: [string, string][] = [
      ["first_name", "person_name"],
      ["Surname", "person_name"],
      ["child_full_name", "person_name"],
      ["Forenames", "person_name"],
      ["NHS_No", "nhs_number"],
      ["nhs number", "nhs_number"],
      ["NHSNumber", "nhs_number"],
      ["Post Code", "postcode"],
      ["home_postcode", "postcode"],
      ["E-mail", "email"],
      ["email_address", "email"],
      ["Telephone", "phone"],
      ["mobile", "phone"],
      ["parent_phone", "phone"],
      ["DOB", "date_of_birth"],
      ["Date of Birth", "date_of_birth"],
      ["DateOfBirth", "date_of_birth"],
      ["birth_date", "date_of_birth"],
      ["NI_Number", "ni_number"],
      ["national insurance no", "ni_number"],
    ];
    const found = screenByName(
      cases.map(([c]) => c),
      dict,
    );
    expect(found.map((f) => [f.column, f.kind])).toEqual(cases);
    expect(found.every((f) => f.by === "name" && f.count === 0)).toBe(true);
  });

  it("flags a column the dictionary declares a direct identifier, whatever its name", () => {
    const declared: Dictionary = {
      ...dict,
      variables: [...dict.variables, {...dict.variables[0], name: "case_reference", sensitivity: "direct-identifier"}],
    };
    expect(screenByName(["contact_id", "Case_Reference"], declared)).toEqual([
      {column: "Case_Reference", kind: "declared_identifier", by: "dictionary", count: 0},
    ]);
  });

  it("flags identifier column names written in CamelCase (EmailAddress, PhoneNumber, ChildName, HomePostcode)", () => {
    const cases: [string, string][] = [
      ["EmailAddress", "email"],
      ["PhoneNumber", "phone"],
      ["ChildName", "person_name"],
      ["HomePostcode", "postcode"],
      ["MobileNo", "phone"],
    ];
    expect(
      screenByName(
        cases.map(([c]) => c),
        dict,
      ).map((f) => [f.column, f.kind]),
    ).toEqual(cases);
  });
});

describe("headingSql", () => {
  it("normalises a heading in DuckDB exactly as normaliseHeading does in TypeScript", async () => {
    const texts = ["Date Received", "  date_received ", "Date-Of  Birth", "DOB", "decision_datetime"];
    const rows = await withDuckDB((db) =>
      queryRows(db, `SELECT ${headingSql("t")} AS h FROM (VALUES ${texts.map((t) => `('${t}')`).join(", ")}) v(t)`),
    );
    expect(rows.map((r) => r.h)).toEqual(texts.map(normaliseHeading));
  });

  it("a date column under another heading is not screened for dates of birth, any other column is", async () => {
    const dict = {variables: [{name: "date_received", type: "date"}]} as unknown as Dictionary;
    const findings = await withDuckDB((db) =>
      screenValues(db, `SELECT * FROM (VALUES ('Date Received', '01/02/2015'), ('notes', '01/02/2015')) t("column", v)`, dict),
    );
    expect(findings.map((f) => [f.column, f.kind])).toEqual([["notes", "date_of_birth"]]);
  });
});
