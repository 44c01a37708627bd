// contactsParquet, the Explore page's table, read back with DuckDB beside the warehouse
// it came from (a small generated project, entered so the loader reads its default
// warehouse): one row per contact, every dictionary variable with the same values,
// lists as semicolon-separated text with a 0/1 column per code, and the special-code
// columns.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {miniProject, SMALL_YEAR, type MiniProject} from "../../fixtures/mini-project.ts";

let project: MiniProject;
let db: typeof import("../../../loaders/db.ts");
let dict: import("../../../loaders/dictionary.ts").Dictionary;
let parquet: string;
let again: Buffer;
let first: Buffer;
/** Runs SQL with the warehouse attached as w and the Parquet file as view x. */
const sql = (query: string) =>
  db.withDuckDB(async (conn) => {
    await conn.run(`ATTACH '${project.warehouse}' AS w (READ_ONLY)`);
    await conn.run(`CREATE VIEW x AS SELECT * FROM read_parquet('${parquet}')`);
    return db.queryRows(conn, query);
  });

beforeAll(async () => {
  project = await miniProject({...SMALL_YEAR, seed: 15, contacts: 3000, messiness: 4, enter: true});
  db = await import("../../../loaders/db.ts");
  dict = (await import("../../../loaders/dictionary.ts")).loadDictionary();
  const {contactsParquet} = await import("../../../loaders/pages/explore.ts");
  first = await contactsParquet(dict);
  again = await contactsParquet(dict);
  parquet = join(project.root, "contacts.parquet");
  writeFileSync(parquet, first);
}, 120_000);
afterAll(() => project?.remove());

describe("contactsParquet", () => {
  it("holds one row per warehouse contact, the same bytes on every build", async () => {
    const [{x, w, ids}] = await sql(
      `SELECT (SELECT count(*) FROM x) AS x, (SELECT count(*) FROM w.contacts) AS w, (SELECT count(DISTINCT contact_id) FROM x) AS ids`,
    );
    expect(x).toBe(w);
    expect(ids).toBe(w);
    expect(x).toBeGreaterThan(2500);
    expect(again.equals(first)).toBe(true);
  });

  it("has a column per dictionary variable, a 0/1 column per multi-category code, and each special-code column", async () => {
    const columns = (await sql(`SELECT column_name FROM (DESCRIBE x)`)).map((r) => String(r.column_name));
    const expected = [
      ...dict.variables.flatMap((v) => [v.name, ...(v.type === "multi-category" ? (v.codes ?? []).map((c) => `${v.name}_${c.code}`) : [])]),
      ...dict.variables.filter((v) => v.special_codes?.length).map((v) => `${v.name}_code`),
    ];
    expect(columns).toEqual(expected);
    expect(dict.variables.some((v) => v.type === "multi-category")).toBe(true);
    expect(dict.variables.some((v) => v.special_codes?.length)).toBe(true);
  });

  it("carries every value of the warehouse unchanged (lists as text joined by semicolons)", async () => {
    const differ = dict.variables.map((v) => {
      const w = v.type === "multi-category" ? `array_to_string(c."${v.name}", ';')` : `CAST(c."${v.name}" AS VARCHAR)`;
      return `count(*) FILTER (WHERE CAST(x."${v.name}" AS VARCHAR) IS DISTINCT FROM ${w}) AS "${v.name}"`;
    });
    const special = dict.variables
      .filter((v) => v.special_codes?.length)
      .map(
        (v) =>
          `count(*) FILTER (WHERE CAST(x."${v.name}_code" AS VARCHAR) IS DISTINCT FROM CAST(c."${v.name}_code" AS VARCHAR)) AS "${v.name}_code"`,
      );
    const [row] = await sql(`SELECT count(*) AS joined, ${[...differ, ...special].join(", ")} FROM x JOIN w.contacts c USING (contact_id)`);
    const {joined, ...mismatches} = row;
    expect(joined).toBeGreaterThan(2500);
    expect(
      Object.values(mismatches).every((n) => n === 0),
      JSON.stringify(mismatches),
    ).toBe(true);
  });

  it("sets each code's 0/1 column exactly when the list holds the code", async () => {
    for (const v of dict.variables.filter((x) => x.type === "multi-category")) {
      const checks = (v.codes ?? []).map(
        (c) =>
          `count(*) FILTER (WHERE x."${v.name}_${c.code}" IS DISTINCT FROM CAST(list_contains(string_split(x."${v.name}", ';'), '${c.code}') AS INTEGER)) AS "${c.code}", sum(x."${v.name}_${c.code}") AS "n_${c.code}"`,
      );
      const [row] = await sql(`SELECT ${checks.join(", ")} FROM x`);
      for (const c of v.codes ?? []) expect(row[c.code], `${v.name}_${c.code}`).toBe(0);
      expect((v.codes ?? []).some((c) => Number(row[`n_${c.code}`]) > 0)).toBe(true);
    }
  });
});

describe("contactsParquet past its size limit", () => {
  it("keeps a fixed sample by record key, about the limit, the same rows on every build; the first view says so", async () => {
    const explore = await import("../../../loaders/pages/explore.ts");
    const limit = 1000;
    const small = await explore.contactsParquet(dict, {maxRows: limit});
    expect((await explore.contactsParquet(dict, {maxRows: limit})).equals(small)).toBe(true);
    const file = join(project.root, "sample.parquet");
    writeFileSync(file, small);
    const table = await explore.exploreTable(dict, {maxRows: limit});
    const [{rows, distinct, missing}] = await db.withDuckDB(async (conn) => {
      await conn.run(`ATTACH '${project.warehouse}' AS w (READ_ONLY)`);
      return db.queryRows(
        conn,
        `SELECT count(*) AS rows, count(DISTINCT contact_id) AS distinct,
           count(*) FILTER (WHERE contact_id NOT IN (SELECT contact_id FROM w.contacts)) AS missing
         FROM read_parquet('${file}')`,
      );
    });
    expect(table.everyNth).toBe(Math.ceil(table.contacts / limit));
    expect(table.everyNth).toBeGreaterThan(1);
    expect(Number(rows)).toBe(table.rows);
    expect(Number(distinct)).toBe(table.rows);
    expect(Number(missing)).toBe(0);
    expect(table.rows).toBeGreaterThan(limit / 2);
    expect(table.rows).toBeLessThan(limit * 1.5);
    const first = await explore.exploreFirstView(dict, undefined, {maxRows: limit});
    expect(first.table).toEqual(table);
    expect((await explore.exploreFirstView(dict)).table).toEqual({contacts: table.contacts, rows: table.contacts, everyNth: 1});
  });
});
