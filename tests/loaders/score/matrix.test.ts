// The scoring matrix from DuckDB: features.json semantics as SQL, tested as text and
// bit for bit against `encode` on the rows the training table reads, messy extract included.
import {afterAll, beforeAll, expect, it} from "vitest";
import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {generateExtract} from "../../../loaders/synth/write.ts";
import {ingest} from "../../../loaders/ingest/ingest.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {datasetSql, featureVariables, loadDataset} from "../../../loaders/train/dataset.ts";
import {codedMembers, columnSql, columnTypes, forEachMatrixBlock, matrixLayout, scoringSql, valueKind, type MatrixLayout} from "../../../loaders/score/matrix.ts";
import type {DuckDBConnection} from "@duckdb/node-api";

/** Every block of the streamed matrix joined up, read in blocks of 1,000 rows, so DuckDB's chunks (2,048 rows) are split across blocks. */
async function readMatrix(conn: DuckDBConnection, sql: string, layout: MatrixLayout): Promise<{ids: string[]; X: Float32Array; n: number}> {
  const ids: string[] = [];
  const parts: Float32Array[] = [];
  const n = await forEachMatrixBlock(conn, sql, layout, 1000, (blockIds, B, m) => {
    expect(m).toBeLessThanOrEqual(1000);
    ids.push(...blockIds);
    parts.push(B.slice(0, m * layout.p));
  });
  const X = new Float32Array(n * layout.p);
  let at = 0;
  for (const part of parts) {
    X.set(part, at);
    at += part.length;
  }
  return {ids, X, n};
}
import {encode, fitEncoding, type Encoding, type Row} from "../../../src/lib/features.ts";

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "matrix-test-"));
  await generateExtract({seed: 6, start: "2016-01-01", months: 6, contacts: 3000, messiness: 8, pilotStart: "2016-12-01", pilotEnd: "2016-12-31", out: join(dir, "x")});
  await ingest({files: [join(dir, "x", "contacts.csv")], dictionary: "data/dictionary.yaml", db: join(dir, "wh.duckdb"), report: join(dir, "r.json")});
}, 120_000);
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

it("reads types as encodeValue sees them and writes means as exact DOUBLEs (a bare 0.1 would be a DECIMAL)", () => {
  expect(["VARCHAR", "VARCHAR[]", "BOOLEAN", "INTEGER", "BIGINT", "DOUBLE", "TIMESTAMP"].map(valueKind)).toEqual(["text", "text", "boolean", "number", "number", "number", "other"]);
  expect(columnSql({name: "age", variable: "age", kind: "scaled", mean: 0.1, sd: 3}, "number", `"age"`, null)).toContain(`CAST('0.1' AS DOUBLE)`);
  expect(columnSql({name: "s=x", variable: "s", kind: "one-hot", code: "it's"}, "text", `"s"`, null)).toBe(`coalesce("s" = 'it''s', false)`);
  expect(columnSql({name: "s=x", variable: "s", kind: "one-hot", code: "x"}, "number", `"s"`, null)).toBe("false");
  expect(columnSql({name: "a:missing", variable: "a", kind: "missing"}, "number", `"a"`, `"a_code"`)).toBe(`coalesce("a" IS NULL AND nullif("a_code", '') IS NULL, false)`);
});

it("gives bit for bit the matrix `encode` gives from the training table's rows, in the same order, on a messy extract", async () => {
  const dict = loadDictionary();
  await withDuckDB(async (conn) => {
    for (const includeProtected of [false, true]) {
      const data = await loadDataset(conn, dict, "info_sharing", {labelledOnly: false, includeProtected});
      const enc: Encoding = fitEncoding(data.variables, data.rows);
      expect(enc.columns.some((c) => c.kind === "missing")).toBe(true);
      expect(enc.columns.some((c) => c.kind === "special")).toBe(true);
      const expected = Float32Array.from(encode(enc, data.rows));
      const layout = matrixLayout(enc);
      expect(layout.words.length).toBeGreaterThan(1); // more than 32 indicator columns: several words
      const members = await codedMembers(conn);
      expect(Object.keys(members)).toContain("concerns"); // codes stored as ENUMs: read by position
      // From the codes' text (the contacts view) and from their ENUM positions (contacts_coded).
      for (const sql of [scoringSql(enc, dict, await columnTypes(conn)), scoringSql(enc, dict, await columnTypes(conn), members)]) {
        const {ids, X, n} = await readMatrix(conn, sql, layout);
        expect(n).toBe(data.rows.length);
        expect(ids).toEqual(data.rows.map((r) => r.contact_id));
        expect(same(X, expected)).toBe(true);
      }
    }
  }, join(dir, "wh.duckdb"), {readOnly: true});
}, 120_000);

it("matches `encode` on hand-made edge cases: empty and NULL lists, empty strings, special codes, NULL booleans", async () => {
  const dict = loadDictionary();
  const vars = featureVariables(dict);
  await withDuckDB(async (conn) => {
    await conn.run(`CREATE TABLE contacts AS SELECT * FROM (VALUES
      ('c1', 'k1', 'h1', TIMESTAMP '2017-01-01 10:00', 'police', 4, NULL, 'ipswich', ['neglect', 'cse'], 'neglect', NULL, 2, true, 'cin'),
      ('c2', 'k1', 'h1', TIMESTAMP '2017-03-01 10:00', '', NULL, 'unborn', NULL, [], NULL, 'high', NULL, NULL, ''),
      ('c3', 'k2', 'h1', TIMESTAMP '2017-03-01 10:00', NULL, NULL, '', 'waveney', NULL, 'cse', 'standard', 0, false, NULL),
      ('c4', 'k1', 'h2', TIMESTAMP '2018-02-01 09:00', 'school', 17, NULL, 'ipswich', ['gangs'], 'gangs', 'medium', 7, true, 'cp')
    ) t(contact_id, child_id, household_id, contact_datetime, referral_source, age_years, age_years_code, district, concerns, primary_concern, da_risk_level, prior_contacts_12m, previous_cp_plan, open_case_status)`);
    const rows = (await queryRows(conn, datasetSql(vars, {_y: "NULL"}))) as Row[];
    const used = new Set(["referral_source", "age_years", "district", "concerns", "primary_concern", "da_risk_level", "prior_contacts_12m", "previous_cp_plan", "open_case_status"]);
    const variables = [...vars.filter((v) => used.has(v.name)).map((v) => ({name: v.name, type: v.type as "category", codes: v.codes, special_codes: v.special_codes})),
      {name: "hist_child_contacts_12m", type: "integer" as const}, {name: "hist_days_since_child_contact", type: "integer" as const}];
    const enc = fitEncoding(variables, rows);
    const {X} = await readMatrix(conn, scoringSql(enc, dict, await columnTypes(conn)), matrixLayout(enc));
    expect(same(X, Float32Array.from(encode(enc, rows)))).toBe(true);
    expect(X.some((x) => x !== 0 && x !== 1)).toBe(true); // scaled columns came through
  });
});

it("reads ENUM codes by position with the same bits as their text: NULLs, empty lists, NULL items, and a code holding \";\"", async () => {
  const dict = loadDictionary();
  const vars = featureVariables(dict);
  const codes = (name: string, extra: string[] = []) => [...(dict.variables.find((v) => v.name === name)!.codes ?? []).map((c) => c.code), ...extra].map((c) => `'${c.replace(/'/g, "''")}'`).join(", ");
  await withDuckDB(async (conn) => {
    await conn.run(`CREATE TYPE e_ref AS ENUM (${codes("referral_source")})`);
    await conn.run(`CREATE TYPE e_dist AS ENUM (${codes("district")})`);
    await conn.run(`CREATE TYPE e_conc AS ENUM (${codes("concerns")})`);
    // A list whose ENUM has a member holding ";": its joined text splits differently, so it is read as text.
    await conn.run(`CREATE TYPE e_open AS ENUM (${codes("open_case_status", ["a;b"])})`);
    await conn.run(`CREATE TABLE contacts_coded AS SELECT contact_id, child_id, household_id, contact_datetime, CAST(referral_source AS e_ref) AS referral_source,
        CAST(district AS e_dist) AS district, CAST(concerns AS e_conc[]) AS concerns, CAST(open_case_status AS e_open[]) AS open_case_status
      FROM (VALUES
        ('c1', 'k1', 'h1', TIMESTAMP '2017-01-01 10:00', 'police', 'ipswich', ['neglect', 'cse'], ['cin']),
        ('c2', 'k1', 'h1', TIMESTAMP '2017-03-01 10:00', NULL, NULL, [], ['a;b', 'cp']),
        ('c3', 'k2', 'h1', TIMESTAMP '2017-03-01 10:00', 'school', 'waveney', NULL, NULL),
        ('c4', 'k1', 'h2', TIMESTAMP '2018-02-01 09:00', 'school', 'ipswich', ['gangs', NULL, 'gangs'], []::VARCHAR[])
      ) t(contact_id, child_id, household_id, contact_datetime, referral_source, district, concerns, open_case_status)`);
    await conn.run(`CREATE VIEW contacts AS SELECT * REPLACE (CAST(referral_source AS VARCHAR) AS referral_source, CAST(district AS VARCHAR) AS district,
      CAST(concerns AS VARCHAR[]) AS concerns, CAST(open_case_status AS VARCHAR[]) AS open_case_status) FROM contacts_coded`);
    const rows = (await queryRows(conn, datasetSql(vars.filter((v) => ["referral_source", "district", "concerns"].includes(v.name)), {_y: "NULL", open_case_status: "array_to_string(open_case_status, ';')"}))) as Row[];
    const variables = [...vars.filter((v) => ["referral_source", "district", "concerns"].includes(v.name)).map((v) => ({name: v.name, type: v.type as "category", codes: v.codes})),
      {name: "open_case_status", type: "multi-category" as const, codes: [{code: "cin"}, {code: "cp"}, {code: "a;b"}, {code: "b"}]}];
    const enc = fitEncoding(variables as Parameters<typeof fitEncoding>[0], rows);
    const members = await codedMembers(conn);
    expect(members.open_case_status).toContain("a;b");
    const byPosition = scoringSql(enc, dict, await columnTypes(conn), members);
    expect(byPosition).toContain(`list_transform("_e_concerns"`);
    expect(byPosition).toContain(`enum_code("_e_district")`);
    expect(byPosition).not.toContain(`"_e_open_case_status"`);
    const expected = Float32Array.from(encode(enc, rows));
    expect(expected.some((x) => x === 1)).toBe(true);
    expect(same((await readMatrix(conn, byPosition, matrixLayout(enc))).X, expected)).toBe(true);
    expect(same((await readMatrix(conn, scoringSql(enc, dict, await columnTypes(conn)), matrixLayout(enc))).X, expected)).toBe(true);
  });
});

it("refuses a model column the warehouse lacks or cannot encode", () => {
  const dict = loadDictionary();
  const enc: Encoding = {version: 1, variables: ["nope"], columns: [{name: "nope", variable: "nope", kind: "flag"}]};
  expect(() => scoringSql(enc, dict, {})).toThrow(/"nope", which the validated extract does not have/);
  expect(() => scoringSql(enc, dict, {nope: "TIMESTAMP"})).toThrow(/stored as TIMESTAMP/);
});
