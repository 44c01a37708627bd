// Identifiers are refused first (issue 18, item 6): an extract holding direct identifiers is refused
// for them (IdentifierRefusal, exit 2) even when it would also be refused for its header, a missing
// required column or an undeclared encoding (RefusedFile, exit 1), or would lose the row holding
// them as a row_shape reject. Files without identifiers keep their usual refusals. The refusal names
// the file, the column (position and header text) and the line, never a value. Real files, real DuckDB.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {ingest, IdentifierRefusal, type IngestReport} from "../../../loaders/ingest/ingest.ts";
import {RefusedFile} from "../../../loaders/ingest/encoding.ts";

const DICTIONARY = fileURLToPath(new URL("../../../data/dictionary.yaml", import.meta.url));
const HEADER =
  "contact_id,child_id,household_id,contact_datetime,referral_source,age_years,gender,ethnicity,disability,district,concerns,primary_concern,da_risk_level,prior_contacts_12m,previous_cp_plan,open_case_status,consent,screener_id,team,decision_datetime,rag_rating,mash_decision,outcome_after_sharing";
const ROWS = [
  "CA92954D4,P4D93DB9E,H81363E41,2018-01-01 09:13:00,la_services,5,female,white,no,waveney,domestic_abuse;mental_health,physical_abuse,,0,no,none,given,SCR-C3007,T4,2018-01-02 00:52:00,green,info_sharing,cin_assessment",
  "CD7D5C569,P82D49B86,H35A96F4E,2018-01-01 09:35:00,school,16,male,mixed,,mid_suffolk,mental_health;self_harm,self_harm,,0,no,none,not_sought,SCR-60A32,T4,2018-01-01 21:21:00,,advice_signposting,",
  "C441B7A0E,P0F60B04A,HEE3C1717,2018-01-02 17:55:00,health,2,male,white,no,suffolk_coastal,mental_health,sexual_abuse,,0,no,cin,not_sought,SCR-C3007,T4,2018-01-03 01:12:00,,early_help,",
];
const DATES_OF_BIRTH = ["14/03/2009", "02/11/2011", "2007-06-30"];
const NAMES = ["Amelia Smith", "Oliver Brown", "Isla Williams"];
const NHS_NUMBERS = ["943 476 5919", "4010232137", "9434765870"];
/** Every planted value: none may appear in an error message or a report. */
const SECRETS = [...DATES_OF_BIRTH, ...NAMES, ...NHS_NUMBERS, "Amelia", "@example"];

/** The header and rows with a column added at the end (name, then a value per row). */
const withColumn = (header: string, rows: string[], name: string, values: string[]) => [
  `${header},${name}`,
  ...rows.map((r, i) => `${r},${values[i % values.length]}`),
];
/** The lines with the column named `name` taken out of every line. */
const withoutColumn = (lines: string[], name: string) => {
  const at = lines[0].split(",").indexOf(name);
  return lines.map((l) => l.split(",").toSpliced(at, 1).join(","));
};

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "ingest-identifiers-first-"));
});
afterAll(() => rmSync(work, {recursive: true, force: true}));

interface Outcome {
  report?: IngestReport;
  error?: unknown;
  db: string;
  reportPath: string;
}

/** Writes each file of a case (text or bytes) and ingests them; never throws. */
async function run(name: string, files: Record<string, string | Buffer>, encoding?: string): Promise<Outcome> {
  const dir = join(work, name);
  mkdirSync(dir, {recursive: true});
  const paths = Object.entries(files).map(([file, content]) => {
    writeFileSync(join(dir, file), content);
    return join(dir, file);
  });
  const db = join(dir, "warehouse.duckdb");
  const reportPath = join(dir, "report.json");
  try {
    return {report: await ingest({files: paths, dictionary: DICTIONARY, db, report: reportPath, encoding}), db, reportPath};
  } catch (error) {
    return {error, db, reportPath};
  }
}
const csv = (lines: string[]) => lines.join("\n") + "\n";

/** Checks an identifier refusal: its class, what the message names, no value anywhere, no warehouse; returns the message. */
function refusedForIdentifiers(out: Outcome, ...parts: string[]): string {
  expect(out.error).toBeInstanceOf(IdentifierRefusal);
  const message = (out.error as Error).message;
  for (const part of parts) expect(message).toContain(part);
  const report = readFileSync(out.reportPath, "utf8");
  expect((JSON.parse(report) as IngestReport).refusal?.reason).toBe("direct identifiers");
  for (const text of [message, report]) expect(SECRETS.filter((s) => text.includes(s))).toEqual([]);
  expect(existsSync(out.db)).toBe(false);
  return message;
}

describe("a file with identifiers and a duplicated header", () => {
  it("is refused for the dates of birth it holds (exit 2), not for its header, naming column, header text and line", async () => {
    const out = await run("duplicated-header-dob", {"contacts.csv": csv(withColumn(HEADER, ROWS, "District", DATES_OF_BIRTH))});
    refusedForIdentifiers(out, "contacts.csv", 'column 24 "District"', "date of birth", "by content, 3 values", "line 2");
  });

  it("is refused for names, even in a column named like a category (only its codes are exempt)", async () => {
    const out = await run("duplicated-header-names", {"contacts.csv": csv(withColumn(HEADER, ROWS, "TEAM", NAMES))});
    refusedForIdentifiers(out, 'column 24 "TEAM"', "person name", "3 values");
  });

  it("is refused for a column named like an identifier, by its name", async () => {
    const lines = [`${HEADER},Team,date_of_birth`, ...ROWS.map((r) => `${r},T4,`)];
    const out = await run("duplicated-header-named", {"contacts.csv": csv(lines)});
    refusedForIdentifiers(out, '"date_of_birth"', "date of birth (by name)");
  });
});

describe("a file with identifiers and a missing required column", () => {
  it("is refused for the dates of birth and the column named dob (exit 2), not for the missing column", async () => {
    const lines = withoutColumn(withColumn(HEADER, ROWS, "dob", DATES_OF_BIRTH), "contact_datetime");
    const out = await run("missing-column-dob", {"contacts.csv": csv(lines)});
    const message = refusedForIdentifiers(out, 'column 23 "dob" — date of birth (by name)', "date of birth (by content, 3 values");
    expect(message).not.toContain("contact_datetime");
  });

  it("is refused for names in a column with an innocent name", async () => {
    const lines = withoutColumn(withColumn(HEADER, ROWS, "notes", NAMES), "team");
    const out = await run("missing-column-names", {"contacts.csv": csv(lines)});
    refusedForIdentifiers(out, 'column 23 "notes" — person name (by content, 3 values, the first on line 2)');
  });
});

describe("identifiers in any file come first", () => {
  it("refuses a file with no header row (its first line is data) for the names in it, naming columns by position only", async () => {
    const out = await run("no-header", {"contacts.csv": csv(withColumn(HEADER, ROWS, "x", NAMES).slice(1))});
    const message = refusedForIdentifiers(out, "column 24 — person name (by content, 3 values, the first on line 1)");
    expect(message).not.toContain("CA92954D4");
  });

  it("refuses undeclared UTF-16 and undeclared windows-1252 files for the identifiers in them", async () => {
    const lines = csv(withColumn(HEADER, ROWS, "ref", NHS_NUMBERS));
    const utf16 = await run("utf16", {"contacts.csv": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines, "utf16le")])});
    refusedForIdentifiers(utf16, '"ref" — nhs number (by content, 3 values');
    const cp1252 = await run("windows-1252", {"contacts.csv": Buffer.from(lines.replace("waveney", "waven\u00e9y"), "latin1")});
    refusedForIdentifiers(cp1252, '"ref" — nhs number (by content, 3 values');
  });

  it("refuses for identifiers in a well-formed file when another file has a duplicated header", async () => {
    const out = await run("two-files", {
      "a.csv": csv([`${HEADER},District`, ...ROWS.map((r) => `${r},x`)]),
      "b.csv": csv(withColumn(HEADER, ROWS, "callback", ["amelia.smith@example.org"])),
    });
    refusedForIdentifiers(out, 'b.csv: column 24 "callback" — email');
  });

  it("refuses a well-formed file for an NHS number in the extra field of a ragged row (a row_shape reject)", async () => {
    const lines = [HEADER, ROWS[0], ROWS[1], `${ROWS[2]},${NHS_NUMBERS[1]}`];
    const out = await run("ragged-row", {"contacts.csv": csv(lines)});
    refusedForIdentifiers(out, "contacts.csv: column 24 — nhs number (by content, 1 value, the first on line 4)");
  });
});

describe("files without identifiers keep their usual refusals", () => {
  it("an empty file: refused as empty (exit 1)", async () => {
    const out = await run("empty", {"contacts.csv": ""});
    expect(out.error).toBeInstanceOf(RefusedFile);
    expect((out.error as Error).message).toMatch(/contacts\.csv: .*empty/);
  });

  it("a file with only a header: ingested, no rows", async () => {
    const out = await run("header-only", {"contacts.csv": HEADER + "\n"});
    if (out.error) throw out.error;
    expect(out.report!.read).toBe(0);
  });

  it("a duplicated header: refused for it, naming both columns", async () => {
    const out = await run("duplicated-header", {"contacts.csv": csv([`${HEADER},District`, ...ROWS.map((r) => `${r},x`)])});
    expect(out.error).toBeInstanceOf(RefusedFile);
    expect((out.error as Error).message).toContain('header names "District" twice (columns 10 and 24)');
  });

  it("a missing required column: refused, naming it", async () => {
    const out = await run("missing-column", {"contacts.csv": csv(withoutColumn([HEADER, ...ROWS], "contact_datetime"))});
    expect(out.error).toBeInstanceOf(RefusedFile);
    expect((out.error as Error).message).toContain("required column missing from the header: contact_datetime");
  });

  it("an undeclared windows-1252 file: refused for its encoding", async () => {
    const out = await run("cp1252-clean", {
      "contacts.csv": Buffer.from(csv([HEADER, ...ROWS]).replace("waveney", "waven\u00e9y"), "latin1"),
    });
    expect(out.error).toBeInstanceOf(RefusedFile);
    expect((out.error as Error).message).toContain("not valid UTF-8");
  });
});
