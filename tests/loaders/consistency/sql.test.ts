import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {agreementCountsSql, keyParts, periodSql} from "../../../loaders/consistency/sql.ts";
import {changeEvents} from "../../../loaders/consistency/events.ts";

describe("consistency SQL", () => {
  it("the key takes the dictionary's feature variables except district", () => {
    const parts = keyParts(loadDictionary());
    expect(parts.map((p) => p.variable)).toEqual([
      "referral_source",
      "age_years",
      "concerns",
      "primary_concern",
      "da_risk_level",
      "prior_contacts_12m",
      "previous_cp_plan",
      "open_case_status",
    ]);
  });

  it("periods as text", () => {
    expect(periodSql(["2019-01-01", "2017-10-01"])).toBe(
      `CASE WHEN "contact_datetime" >= TIMESTAMP '2019-01-01' THEN 'from 2019-01-01' WHEN "contact_datetime" >= TIMESTAMP '2017-10-01' THEN 'from 2017-10-01' ELSE 'before 2017-10-01' END`,
    );
    expect(periodSql([])).toBe(`'whole extract'`);
  });

  it("against DuckDB: bands, sorted concern sets, periods, open contacts left out", async () => {
    const sql = agreementCountsSql(keyParts(loadDictionary()), ["2017-10-01"]);
    expect(sql).toContain("-- open contacts have no decision yet");
    const rows = await withDuckDB(async (db) => {
      await db.run(`CREATE TABLE contacts AS SELECT * FROM (VALUES
        (TIMESTAMP '2017-01-02', 'police', 3, NULL, ['neglect', 'domestic_abuse'], 'neglect', 'standard', 0, false, 'none', 'S1', 'info_sharing'),
        (TIMESTAMP '2017-02-02', 'police', 4, NULL, ['domestic_abuse', 'neglect'], 'neglect', 'standard', 0, false, 'none', 'S2', 'nfa'),
        (TIMESTAMP '2017-11-02', 'police', 4, NULL, ['domestic_abuse', 'neglect'], 'neglect', 'standard', 0, false, 'none', 'S2', 'nfa'),
        (TIMESTAMP '2017-03-02', 'school', NULL, 'unborn', ['neglect'], 'neglect', NULL, 5, true, 'cin', 'S1', 'info_sharing'),
        (TIMESTAMP '2017-03-03', 'school', NULL, 'unborn', ['neglect'], 'neglect', NULL, 5, true, 'cin', 'S1', NULL)
      ) t(contact_datetime, referral_source, age_years, age_years_code, concerns, primary_concern, da_risk_level, prior_contacts_12m, previous_cp_plan, open_case_status, screener_id, mash_decision)`);
      return queryRows(db, sql);
    });
    expect(rows.map((r) => [r.period, r.k0, r.k1, r.k2, r.k4, r.k5, r.screener, r.shared, r.not_shared])).toEqual([
      ["before 2017-10-01", "police", "0-4", "domestic_abuse;neglect", "standard", "0", "S1", 1, 0],
      ["before 2017-10-01", "police", "0-4", "domestic_abuse;neglect", "standard", "0", "S2", 0, 1],
      ["before 2017-10-01", "school", "unborn", "neglect", "missing", "4+", "S1", 1, 0],
      ["from 2017-10-01", "police", "0-4", "domestic_abuse;neglect", "standard", "0", "S2", 0, 1],
    ]);
  });

  it("change events: the pilot window comes from the model's split plan, or is left out", () => {
    expect(changeEvents({pilotFrom: "2019-01-01", pilotTo: "2019-03-31"}).map((e) => [e.id, e.start, e.end])).toEqual([
      ["policy_shift", "2017-10-01", undefined],
      ["pilot", "2019-01-01", "2019-03-31"],
    ]);
    expect(changeEvents({}).map((e) => e.id)).toEqual(["policy_shift"]);
  });
});
