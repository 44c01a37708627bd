// The Explore page's first view (exploreFirstView), on a small generated project: its
// defaults come from the dictionary's roles, and its rows are exactly what the page's
// own SQL returns on contacts.parquet, the table DuckDB-wasm loads — so the chart drawn
// before the database is ready is the one the database would draw.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {writeFileSync} from "node:fs";
import {join} from "node:path";
import {miniProject, SMALL_YEAR, type MiniProject} from "../../fixtures/mini-project.ts";

let project: MiniProject;
let first: import("../../../src/lib/explore-view.ts").FirstView;
let dict: import("../../../loaders/dictionary.ts").Dictionary;
let parquet: string;

beforeAll(async () => {
  project = await miniProject({...SMALL_YEAR, seed: 21, contacts: 3000, messiness: 4, enter: true});
  dict = (await import("../../../loaders/dictionary.ts")).loadDictionary();
  const explore = await import("../../../loaders/pages/explore.ts");
  first = await explore.exploreFirstView(dict);
  parquet = join(project.root, "contacts.parquet");
  writeFileSync(parquet, await explore.contactsParquet(dict));
}, 120_000);
afterAll(() => project?.remove());

describe("exploreFirstView", () => {
  it("starts from the dictionary's roles: the baseline breakdown, the default target's code, every source ticked, whole years", () => {
    const d = first.defaults;
    expect(d.by).toBe(dict.roles.baseline_feature);
    expect(d.outcome).toEqual({variable: "mash_decision", code: "info_sharing"});
    expect(d.by2).toBe("gender");
    expect(d.filterColumn).toBe(d.by);
    expect(d.filterValues).toEqual(dict.variables.find((v) => v.name === d.by)!.codes!.map((c) => c.code));
    expect(d.from).toMatch(/^\d{4}-01-01$/);
    expect(d.to).toMatch(/^\d{4}-12-31$/);
  });

  it("holds the rows the page's SQL returns on contacts.parquet, for each of its queries", async () => {
    const {queryRows, withDuckDB} = await import("../../../loaders/db.ts");
    const sqls = Object.keys(first.results);
    expect(sqls).toHaveLength(4); // by group, by month, two-way, and the SQL cell's example
    expect(sqls).toContain(first.example);
    const again = await withDuckDB(async (db) => {
      await db.run(`CREATE TABLE contacts AS SELECT * FROM read_parquet('${parquet}')`);
      return Promise.all(sqls.map((sql) => queryRows(db, sql)));
    });
    sqls.forEach((sql, i) => expect(first.results[sql], sql).toEqual(again[i]));
    expect(first.example).toContain(`FROM contacts GROUP BY ALL`);
    expect(first.results[first.example].length).toBeGreaterThan(3);
    const total = first.results[sqls[0]].reduce((a, r) => a + Number(r.n), 0);
    expect(total).toBeGreaterThan(2000); // every source ticked: (nearly) every contact with an outcome
  });
});
