// SQL builders, as text and against DuckDB.
import {describe, expect, it} from "vitest";
import {codeCase, ident, literal, normalisedExpr, trimSql} from "../../loaders/sql.ts";
import {normaliseSpelling, spellings, type Variable} from "../../loaders/dictionary.ts";
import {queryRows, withDuckDB} from "../../loaders/db.ts";

const source: Variable = {
  name: "referral_source",
  label: "Source",
  group: "contact",
  definition: "",
  type: "category",
  role: "feature",
  sensitivity: "none",
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
    expect(() =>
      spellings({
        ...source,
        codes: [
          {code: "a", label: "Same"},
          {code: "b", label: "same"},
        ],
      }),
    ).toThrow(/would mean both "a" and "b"/);
  });
});

describe("sql against DuckDB", () => {
  it("normalises like normaliseSpelling and maps spellings to codes, unknown to the fallback, blanks to NULL", async () => {
    const inputs = ["Police", "  POLICE ", "Suffolk   Constabulary", "Schools", "POLCE", "", "  "];
    const rows = await withDuckDB((db) =>
      queryRows(
        db,
        `SELECT v, ${normalisedExpr("v")} AS norm, ${codeCase("v", source, {unmatched: "'?'"})} AS code
        FROM (VALUES ${inputs.map((v, i) => `(${i}, ${literal(v)})`).join(", ")}) t(i, v) ORDER BY i`,
      ),
    );
    expect(rows.map((r) => r.norm)).toEqual(inputs.map(normaliseSpelling));
    expect(rows.map((r) => r.code)).toEqual(["police", "police", "police", "school", "?", null, null]);
  });
});

describe("trimSql", () => {
  it("equals DuckDB's trim on every ASCII character and Unicode spaces at either end, in the middle, alone and around texts", async () => {
    const chars = [...Array.from({length: 127}, (_, i) => String.fromCharCode(i + 1)), "\u00a0", "\u2003", "\u3000", "\u2029", "é", "→"];
    const texts = [
      "",
      "abc",
      "C1E148EA4",
      "2018-01-01 10:00:00",
      ...chars.flatMap((c) => [c, c + "x", "x" + c, c + "x" + c, "a" + c + "b", c + c]),
    ];
    const [row] = await withDuckDB(async (db) => {
      await db.run(`CREATE TABLE t AS SELECT unnest(${literal(JSON.stringify(texts))}::JSON::VARCHAR[]) AS x`);
      return queryRows(
        db,
        `SELECT count(*) AS n, count(*) FILTER (WHERE ${trimSql("x")} IS DISTINCT FROM trim(x)) AS differ,
        count(*) FILTER (WHERE trim(x) <> x) AS trimmed FROM (SELECT x FROM t UNION ALL SELECT NULL)`,
      );
    });
    expect(row.n).toBe(texts.length + 1);
    expect(row.trimmed).toBeGreaterThan(5); // the cases do exercise trimming
    expect(row.differ).toBe(0);
  });
});
