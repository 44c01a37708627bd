// Identifier screening: the NHS-number check digit in SQL against DuckDB (valid
// numbers computed here with the modulus-11 algorithm), each content check on
// values that are and are not identifiers, a whole-table screen, and screening
// by column name.
import {describe, expect, it} from "vitest";
import {
  contentChecks,
  headingSql,
  nhsNumberSql,
  plausibleSql,
  screenByContent,
  screenByName,
  screenValues,
} from "../../../loaders/ingest/screen.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {literal} from "../../../loaders/sql.ts";
import {loadDictionary, normaliseHeading, type Dictionary} from "../../../loaders/dictionary.ts";
import {COLUMNS} from "../../../loaders/synth/messiness.ts";

/** The NHS number check digit: 11 − (Σ digit × weight 10…2 mod 11), 11 → 0, 10 → no valid number. */
function checkDigit(nine: string): number | null {
  let sum = 0;
  for (let k = 0; k < 9; k++) sum += Number(nine[k]) * (10 - k);
  const c = 11 - (sum % 11);
  return c === 11 ? 0 : c === 10 ? null : c;
}

/** Deterministic nine-digit stems (a small LCG), first digit 1–9. */
function stems(n: number, seed = 1): string[] {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from(
    {length: n},
    () => String(1 + Math.floor(next() * 9)) + Array.from({length: 8}, () => Math.floor(next() * 10)).join(""),
  );
}

/** Evaluates `sqlOf("v")` on each value in DuckDB, in order. */
async function evaluate(values: (string | null)[], sqlOf: (v: string) => string): Promise<(boolean | null)[]> {
  const rows = await withDuckDB((db) =>
    queryRows(
      db,
      `SELECT ${sqlOf("v")} AS ok FROM (VALUES ${values.map((v, i) => `(${i}, ${v === null ? "NULL" : literal(v)})`).join(", ")}) t(i, v) ORDER BY i`,
    ),
  );
  return rows.map((r) => r.ok as boolean | null);
}

describe("nhsNumberSql against DuckDB", () => {
  const all = stems(400);
  const valid = all.filter((s) => checkDigit(s) !== null).map((s) => s + checkDigit(s));
  const impossible = all.filter((s) => checkDigit(s) === null);

  it("the test's own check digit agrees with published examples", () => {
    expect(checkDigit("943476591")).toBe(9); // 943 476 5919, the NHS Data Dictionary's example
    expect(valid.length).toBeGreaterThan(300);
    expect(impossible.length).toBeGreaterThan(10);
    expect(valid.some((v) => v.endsWith("0") && checkDigit(v.slice(0, 9)) === 0)).toBe(true); // remainder 0 → check digit 0
  });

  it("accepts every number with a valid check digit, plain, spaced 3-3-4 or hyphenated", async () => {
    const spaced = valid.map((v) => `${v.slice(0, 3)} ${v.slice(3, 6)} ${v.slice(6)}`);
    const hyphens = valid.map((v) => `${v.slice(0, 3)}-${v.slice(3, 6)}-${v.slice(6)}`);
    const got = await evaluate([...valid, ...spaced, ...hyphens, "9434765919", "943 476 5919"], nhsNumberSql);
    expect(got.every((x) => x === true)).toBe(true);
  });

  it("rejects every wrong check digit and every stem whose remainder allows none", async () => {
    const wrong = valid.flatMap((v) => [1, 5, 9].map((d) => v.slice(0, 9) + ((Number(v[9]) + d) % 10)));
    const noneValid = impossible.flatMap((s) => ["0", "5", "9"].map((d) => s + d));
    const got = await evaluate([...wrong, ...noneValid], nhsNumberSql);
    expect(got.filter((x) => x !== false)).toEqual([]);
  });

  it("rejects what is not ten digits in the NHS layout, and is not true for NULL", async () => {
    const got = await evaluate(
      ["943476591", "94347659190", "943 4765 919", "94 3476 5919", "943.476.5919", "943476591O", "", "nine four three", null],
      nhsNumberSql,
    );
    expect(got.slice(0, 8)).toEqual(Array(8).fill(false));
    expect(got[8]).not.toBe(true);
  });
});

describe("content checks against DuckDB", () => {
  // Each value, and the kinds it must be found as (none for values that are not identifiers).
  const cases: [string, string[]][] = [
    ["Oliver Smith", ["person_name"]],
    ["Amelia Jane Wright", ["person_name"]],
    ["Police Scotland", []],
    ["oliver smith", []],
    ["Suffolk Constabulary", []],
    ["IP4 2BX", ["postcode"]],
    ["NR32 1PL", ["postcode"]],
    ["ip42bx", ["postcode"]],
    ["SCR-526B5", []],
    ["T2", []],
    ["jo.bloggs@example.org", ["email"]],
    ["not an @ address", []],
    ["01473 261000", ["phone"]],
    ["07700 900123", ["phone"]],
    ["+44 7700 900123", ["phone"]],
    ["(01473) 261000", ["phone"]],
    ["1473261000", []],
    ["17/04/2009", ["date_of_birth"]],
    ["2009-04-17", ["date_of_birth"]],
    ["2009-04-17 10:00:00", []],
    ["943 476 5919", ["nhs_number"]],
    ["943 476 5918", []],
    ["C9A393C7B", []],
    ["domestic_abuse;neglect", []],
    ["17", []],
  ];

  it("finds each value as exactly its kinds", async () => {
    const kinds = Object.keys(contentChecks("v"));
    const rows = await withDuckDB((db) =>
      queryRows(
        db,
        `SELECT i, ${Object.entries(contentChecks("trim(v)"))
          .map(([k, sql]) => `${sql} AS ${k}`)
          .join(", ")}
        FROM (VALUES ${cases.map(([v], i) => `(${i}, ${literal(v)})`).join(", ")}) t(i, v) ORDER BY i`,
      ),
    );
    const found = rows.map((r, i) => [cases[i][0], kinds.filter((k) => r[k] === true)]);
    expect(found).toEqual(cases);
  });

  it("the plausibility filter keeps every value some check matches (cases, padded cases, 20,000 seeded random texts) and drops ids", async () => {
    const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz@ .+()/-é";
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const random = Array.from({length: 20_000}, () =>
      Array.from({length: 1 + Math.floor(next() * 20)}, () => alphabet[Math.floor(next() * alphabet.length)]).join(""),
    );
    const values = [...cases.map(([v]) => v), ...cases.map(([v]) => ` ${v}  `), ...random];
    const checks = Object.values(contentChecks("trim(v)"));
    const [row] = await withDuckDB(async (db) => {
      await db.run(`CREATE TABLE t AS SELECT unnest(${literal(JSON.stringify(values))}::JSON::VARCHAR[]) AS v`);
      return queryRows(
        db,
        `SELECT count(*) FILTER (WHERE (${checks.join(" OR ")}) AND NOT ${plausibleSql("v")}) AS missed,
        count(*) FILTER (WHERE ${checks.join(" OR ")}) AS matched, count(*) FILTER (WHERE NOT ${plausibleSql("v")}) AS dropped,
        bool_or(${plausibleSql("v")}) FILTER (WHERE v IN ('C9A393C7B', 'domestic_abuse;neglect', '17', 'SCR-8E2CC')) AS idPlausible FROM t`,
      );
    });
    expect(row.matched).toBeGreaterThan(cases.length); // the random texts hit some checks too
    expect(row.missed).toBe(0);
    expect(row.dropped).toBeGreaterThan(1000);
    expect(row.idPlausible).toBe(false);
  });

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
