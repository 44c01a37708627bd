import {describe, expect, it} from "vitest";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {agreementCountsSql, bandNames, keyParts, periodSql} from "../../../loaders/consistency/sql.ts";
import {changeEvents} from "../../../loaders/consistency/events.ts";

/** The columns the MASH dictionary's roles and default target name. */
const MASH = {
  time: "contact_datetime",
  staff: "screener_id",
  decision: "mash_decision",
  target: {variable: "mash_decision", positive: ["info_sharing"]},
};

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

  it("periods as text, on the event-time variable", () => {
    expect(periodSql(["2019-01-01", "2017-10-01"], "contact_datetime")).toBe(
      `CASE WHEN "contact_datetime" >= TIMESTAMP '2019-01-01' THEN 'from 2019-01-01' WHEN "contact_datetime" >= TIMESTAMP '2017-10-01' THEN 'from 2017-10-01' ELSE 'before 2017-10-01' END`,
    );
    expect(periodSql([], "contact_datetime")).toBe(`'whole extract'`);
    expect(periodSql(["2017-10-01"], "received_at")).toBe(
      `CASE WHEN "received_at" >= TIMESTAMP '2017-10-01' THEN 'from 2017-10-01' ELSE 'before 2017-10-01' END`,
    );
  });

  it("against DuckDB: bands, sorted concern sets, periods, open contacts left out", async () => {
    const sql = agreementCountsSql(keyParts(loadDictionary()), ["2017-10-01"], MASH);
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
    expect(rows.map((r) => [r.period, r.k0, r.k1, r.k2, r.k4, r.k5, r.staff, r.positive, r.negative])).toEqual([
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

  it("a target on another variable than the decision, among some decisions: positive codes counted, unrated records left out", async () => {
    const sql = agreementCountsSql([{variable: "unit_area", sql: `coalesce(area, 'missing')`, definition: "Area"}], [], {
      time: "received_at",
      staff: "worker",
      decision: "outcome",
      target: {variable: "rating", positive: ["red", "amber"], among: {variable: "outcome", codes: ["shared"]}},
    });
    expect(sql).toContain(`"rating" IN ('red', 'amber')`);
    const rows = await withDuckDB(async (db) => {
      await db.run(`CREATE TABLE contacts AS SELECT * FROM (VALUES
        (TIMESTAMP '2017-01-02', 'north', 'W1', 'shared', 'red'),
        (TIMESTAMP '2017-01-03', 'north', 'W1', 'shared', 'amber'),
        (TIMESTAMP '2017-01-04', 'north', 'W2', 'shared', 'green'),
        (TIMESTAMP '2017-01-05', 'north', 'W2', 'shared', NULL),
        (TIMESTAMP '2017-01-06', 'north', 'W2', 'nfa', NULL),
        (TIMESTAMP '2017-01-07', 'north', 'W2', NULL, 'red')
      ) t(received_at, area, worker, outcome, rating)`);
      return queryRows(db, sql);
    });
    expect(rows.map((r) => [r.period, r.k0, r.staff, r.positive, r.negative])).toEqual([
      ["whole extract", "north", "W1", 2, 0],
      ["whole extract", "north", "W2", 0, 1],
    ]);
  });

  it("change events: a change whose segment the dictionary does not define is left out", () => {
    const dict = loadDictionary();
    expect(changeEvents({}, dict).map((e) => e.id)).toEqual(["policy_shift"]);
    const without = {...dict, variables: dict.variables.filter((v) => v.name !== "da_risk_level")};
    expect(changeEvents({pilotFrom: "2019-01-01", pilotTo: "2019-03-31"}, without).map((e) => e.id)).toEqual(["pilot"]);
  });
});

describe("bandNames", () => {
  it("names bands from the range's start to each bound, the last to the range's end (or open)", () => {
    expect(bandNames([4, 9, 15], [0, 17])).toEqual(["0-4", "5-9", "10-15", "16-17"]);
    expect(bandNames([2], undefined)).toEqual(["≤2", "3+"]);
  });

  it("the sample's age key uses the dictionary's bands, and district is left out by the dictionary", () => {
    const parts = keyParts(loadDictionary());
    expect(parts.find((p) => p.variable === "age_years")?.sql).toContain("WHEN \"age_years\" <= 15 THEN '10-15' ELSE '16-17'");
    expect(parts.map((p) => p.variable)).not.toContain("district");
  });
});
