// Identifier screening of values that failed validation in columns not screened
// whole: the items of a multi-category value with an unknown item, and date values
// that did not parse. An identifier there refuses the extract (naming column and
// kind, never the value); an ordinary bad value is only rejected. Real files, real DuckDB.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {fileURLToPath} from "node:url";
import {ingest, IdentifierRefusal} from "../../../loaders/ingest/ingest.ts";

const DICTIONARY = fileURLToPath(new URL("../../../data/dictionary.yaml", import.meta.url));
const HEADER =
  "contact_id,child_id,household_id,contact_datetime,referral_source,age_years,gender,ethnicity,disability,district,concerns,primary_concern,da_risk_level,prior_contacts_12m,previous_cp_plan,open_case_status,consent,screener_id,team,decision_datetime,rag_rating,mash_decision,outcome_after_sharing";
const CLEAN = [
  "CA92954D4,P4D93DB9E,H81363E41,2018-01-01 09:13:00,la_services,5,female,white,no,waveney,domestic_abuse;mental_health,physical_abuse,,0,no,none,given,SCR-C3007,T4,2018-01-02 00:52:00,green,info_sharing,cin_assessment",
  "CD7D5C569,P82D49B86,H35A96F4E,2018-01-01 09:35:00,school,16,male,mixed,,mid_suffolk,mental_health;self_harm,self_harm,,0,no,none,not_sought,SCR-60A32,T4,2018-01-01 21:21:00,,advice_signposting,",
];
/** A clean row with one field replaced. */
const withField = (row: string, column: string, value: string) => {
  const fields = row.split(",");
  fields[HEADER.split(",").indexOf(column)] = value;
  return fields.join(",");
};

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "ingest-failed-values-"));
});
afterAll(() => rmSync(work, {recursive: true, force: true}));

async function run(name: string, rows: string[]) {
  const dir = join(work, name);
  const file = join(dir, "contacts.csv");
  const db = join(dir, "warehouse.duckdb");
  const report = join(dir, "report.json");
  rmSync(dir, {recursive: true, force: true});
  mkdirSync(dir, {recursive: true});
  writeFileSync(file, [HEADER, ...rows].join("\n") + "\n");
  try {
    return {report: await ingest({files: [file], dictionary: DICTIONARY, db, report}), db, reportPath: report};
  } catch (error) {
    return {error, db, reportPath: report};
  }
}

describe("screening values that failed validation", () => {
  const secrets = ["943 476 5919", "07700 900123", "jo.bloggs@example.org", "Oliver Smith"];

  it.each([
    ["an NHS number as an item of concerns", "concerns", "domestic_abuse;943 476 5919", "nhs_number"],
    ["a phone number as the only item of concerns", "concerns", "07700 900123", "phone"],
    ["an e-mail address in a datetime column", "decision_datetime", "jo.bloggs@example.org", "email"],
    ["a person's name in a datetime column", "contact_datetime", "Oliver Smith", "person_name"],
  ])("refuses %s, naming the column and kind, never the value", async (_, column, value, kind) => {
    const out = await run(`${column}-${kind}`, [CLEAN[0], withField(CLEAN[1], column, value)]);
    expect(out.error).toBeInstanceOf(IdentifierRefusal);
    const findings = (out.error as IdentifierRefusal).findings.map(({column, kind, by, count}) => ({column, kind, by, count}));
    expect(findings).toEqual([{column, kind, by: "content", count: 1}]);
    const said = (out.error as Error).message + readFileSync(out.reportPath, "utf8");
    expect(secrets.filter((s) => said.includes(s))).toEqual([]);
    expect(existsSync(out.db)).toBe(false);
  });

  it("only rejects ordinary failures there: an unknown concern, an impossible date, a UK date in a datetime column", async () => {
    const out = await run("ordinary", [
      CLEAN[0],
      withField(CLEAN[1], "concerns", "mental_health;Shcool worries"),
      withField(CLEAN[1].replace("CD7D5C569", "CD7D5C570"), "contact_datetime", "2018-02-30 09:35:00"),
      withField(CLEAN[1].replace("CD7D5C569", "CD7D5C571"), "decision_datetime", "01/02/2018"),
    ]);
    if (out.error) throw out.error;
    expect(out.report!.accepted).toBe(1);
    expect(out.report!.rejectedByRule).toEqual({unknown_code: 1, date_format: 2});
  });
});
