// Explore's SQL, as text and against DuckDB on a tiny table.
import {expect, it} from "vitest";
import {exampleSql, exploreSql, exploreWhere} from "../../src/lib/explore-sql.ts";
import {queryRows, withDuckDB} from "../../loaders/db.ts";

const q = {
  by: "source",
  outcome: "decision",
  code: "share",
  time: "t",
  from: "2019-01-01",
  to: "2019-01-31",
  filterColumn: "source",
  filterValues: ["police", "school"],
};

it("filters open contacts, the period (inclusive) and the chosen values", () => {
  const w = exploreWhere(q);
  expect(w).toContain(`"decision" IS NOT NULL`);
  expect(w).toContain(`"t" < DATE '2019-01-31' + INTERVAL 1 DAY`);
  expect(w).toContain(`"source" IN ('police', 'school')`);
});

it("writes the same SQL whatever order the values were picked in, and an empty choice keeps nothing", () => {
  expect(exploreSql({...q, filterValues: ["school", "police"]})).toBe(exploreSql(q));
  expect(exploreWhere({...q, filterValues: []})).toContain("AND FALSE");
  expect(exploreWhere({...q, filterValues: undefined})).not.toContain(`"source"`); // no filter asked for
});

it("counts n and k per category, by month and two-way, in DuckDB", async () => {
  const rows = await withDuckDB(async (db) => {
    await db.run(`CREATE TABLE contacts AS SELECT * FROM (VALUES
      ('police', 'share', TIMESTAMP '2019-01-01 09:00', 'f'), ('police', 'nfa', TIMESTAMP '2019-01-31 23:00', 'm'),
      ('police', NULL, TIMESTAMP '2019-01-15 10:00', 'm'), ('school', 'share', TIMESTAMP '2019-01-10 10:00', NULL),
      ('health', 'share', TIMESTAMP '2019-01-10 10:00', 'f'), ('police', 'share', TIMESTAMP '2019-02-01 00:00', 'f')) t(source, decision, t, g)`);
    return {
      by: await queryRows(db, exploreSql(q)),
      monthly: await queryRows(db, exploreSql({...q, monthly: true})),
      twoWay: await queryRows(db, exploreSql({...q, by2: "g"})),
      none: await queryRows(db, exploreSql({...q, filterValues: []})),
    };
  });
  expect(rows.by).toEqual([
    {category: "police", n: 2, k: 1},
    {category: "school", n: 1, k: 1},
  ]);
  expect(rows.monthly).toEqual([
    {category: "police", month: "2019-01", n: 2, k: 1},
    {category: "school", month: "2019-01", n: 1, k: 1},
  ]);
  expect(rows.none).toEqual([]); // every source deselected: nothing, never everything
  expect(rows.twoWay).toEqual([
    {category: "police", category2: "f", n: 1, k: 1},
    {category: "police", category2: "m", n: 1, k: 0},
    {category: "school", category2: "(missing)", n: 1, k: 1},
  ]);
});

it("writes the example query with each code quoted, and it runs in DuckDB", async () => {
  const sql = exampleSql({by: "source", variable: "decision", positive: ["share", "it's"], name: "shared"});
  expect(sql).toBe(
    `SELECT "source", count(*) AS n,\n  avg(CASE WHEN "decision" IN ('share', 'it''s') THEN 1 ELSE 0 END) AS "shared"\nFROM contacts GROUP BY ALL ORDER BY n DESC, 1`,
  );
  const rows = await withDuckDB(async (db) => {
    await db.run(
      `CREATE TABLE contacts AS SELECT * FROM (VALUES ('police', 'share'), ('police', 'it''s'), ('police', 'no'), ('school', 'no')) t(source, decision)`,
    );
    return queryRows(db, sql);
  });
  expect(rows).toEqual([
    {source: "police", n: 3, shared: 2 / 3},
    {source: "school", n: 1, shared: 0},
  ]);
});
