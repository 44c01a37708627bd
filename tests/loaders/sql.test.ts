// SQL builders, as text and against DuckDB.
import {describe, expect, it} from "vitest";
import {codeCase, ident, literal, normalisedExpr} from "../../loaders/sql.ts";
import {normaliseSpelling, spellings, type Variable} from "../../loaders/dictionary.ts";
import {queryRows, withDuckDB} from "../../loaders/db.ts";

const source: Variable = {
  name: "referral_source", label: "Source", group: "contact", definition: "", type: "category", role: "feature", sensitivity: "none",
  codes: [
    {code: "police", label: "Police", synonyms: ["Suffolk Constabulary"]},
    {code: "school", label: "Schools"},
  ],
};

describe("sql text", () => {
  it("quotes literals and identifiers", () => {
    expect(literal("it's")).toBe("'it''s'");
    expect(ident('a"b')).toBe('"a""b"');
  });
  it("codeCase lists every spelling once, lower-cased", () => {
    const sql = codeCase('"x"', source);
    expect(sql).toContain("WHEN 'suffolk constabulary' THEN 'police'");
    expect(sql).toContain("WHEN 'schools' THEN 'school'");
    expect(sql.match(/THEN 'police'/g)).toHaveLength(2); // code and label coincide after normalising, plus the synonym
  });
  it("refuses a spelling that would mean two codes", () => {
    expect(() => spellings({...source, codes: [{code: "a", label: "Same"}, {code: "b", label: "same"}]})).toThrow(/would mean both "a" and "b"/);
  });
});

describe("sql against DuckDB", () => {
  it("normalises like normaliseSpelling and maps spellings to codes, unknown to the fallback, blanks to NULL", async () => {
    const inputs = ["Police", "  POLICE ", "Suffolk   Constabulary", "Schools", "POLCE", "", "  "];
    const rows = await withDuckDB((db) =>
      queryRows(db, `SELECT v, ${normalisedExpr("v")} AS norm, ${codeCase("v", source, {unmatched: "'?'"})} AS code
        FROM (VALUES ${inputs.map((v, i) => `(${i}, ${literal(v)})`).join(", ")}) t(i, v) ORDER BY i`),
    );
    expect(rows.map((r) => r.norm)).toEqual(inputs.map(normaliseSpelling));
    expect(rows.map((r) => r.code)).toEqual(["police", "police", "police", "school", "?", null, null]);
  });
});
