// The scan of a built public site, on small sites made here: a clean site passes, and each
// planted problem fails it (a warehouse id, a count of 3 in data or in a page's count cell,
// the suppression counts of a table, a record-level table, Parquet, DuckDB-wasm). Findings
// never carry the value of an id.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {withDuckDB} from "../../../loaders/db.ts";
import {publishTable} from "../../../loaders/public/publish.ts";
import {
  countIds,
  embeddedCsv,
  identifierVariables,
  scanPublicSite,
  scanSite,
  smallCountsInHtml,
  smallCountsInJson,
  warehouseIds,
} from "../../../loaders/public/scan.ts";
import {publicTableHtml, recordsTableHtml} from "../../../src/components/public-table.ts";
import {loadDictionary} from "../../../loaders/dictionary.ts";
import {suppressOneWay, suppressTable} from "../../../src/lib/disclosure.ts";

let dir: string;
let db: string;
const ids = {contact: "C00A1B2C3", child: "K00D4E5F6", household: "H0011AA22", screener: "SCR-00XYZ"};

/** A site with aggregates that passed disclosure control, and some code. */
function cleanSite(name: string): string {
  const site = join(dir, name);
  mkdirSync(join(site, "_file", "data"), {recursive: true});
  const table = suppressTable({
    rows: ["male", "female"],
    cols: ["tp", "fn"],
    counts: [
      [3, 40],
      [50, 60],
    ],
  });
  writeFileSync(
    join(site, "_file", "data", "public-results.json"),
    JSON.stringify({
      table: publishTable(table),
      split: publishTable(
        suppressOneWay([
          {key: "train", n: 800},
          {key: "test", n: 200},
        ]),
      ),
      seed: 3,
      threshold: 5,
    }),
  );
  writeFileSync(
    join(site, "index.html"),
    `<!doctype html><p>About the model: counts of 1 to 5 are "c"</p>${publicTableHtml(publishTable(table))}`,
  );
  writeFileSync(join(site, "app.js"), "export const x = 'C00A1B2C'; // not a whole id\n");
  writeFileSync(join(site, "counts.csv"), "group,n\nall,1200\nnone,0\n");
  return site;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "scan-"));
  db = join(dir, "warehouse.duckdb");
  await withDuckDB(async (c) => {
    await c.run(
      `CREATE TABLE contacts AS SELECT * FROM (VALUES ('${ids.contact}', '${ids.child}', '${ids.household}', '${ids.screener}'), ('C99999999', 'K99999999', 'H99999999', 'SCR-99999')) t(contact_id, child_id, household_id, screener_id)`,
    );
  }, db);
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

describe("scan of a built public site", () => {
  it("reads every id variable of the dictionary from the warehouse", async () => {
    const found = await warehouseIds(undefined, db);
    expect(found.size).toBe(8);
    expect(Object.values(ids).every((id) => found.has(id))).toBe(true);
  });

  it("passes a site of suppressed aggregates", async () => {
    const scan = await scanPublicSite(cleanSite("clean"), {dbPath: db});
    expect(scan.findings).toEqual([]);
    expect(scan.ids).toBe(8);
  });

  it.each(Object.entries(ids))("fails on a planted %s id, anywhere in any file, without printing it", async (kind, id) => {
    const site = cleanSite(`id-${kind}`);
    writeFileSync(join(site, "_npm.js"), `const a="${id}";`);
    writeFileSync(join(site, "page.html"), `<p>ref${id}x</p>`);
    const scan = await scanPublicSite(site, {dbPath: db});
    expect(scan.findings.map((f) => [f.file, f.rule])).toEqual([
      ["_npm.js", "identifier"],
      ["page.html", "identifier"],
    ]);
    expect(JSON.stringify(scan.findings)).not.toContain(id);
  });

  it("fails on a planted count of 3 in JSON and in CSV, and on 1..threshold when the threshold is 10", async () => {
    const site = cleanSite("small");
    writeFileSync(join(site, "_file", "planted.json"), JSON.stringify({groups: [{group: "x", n: 3}]}));
    writeFileSync(join(site, "planted.csv"), "group,n\nall,1200\nsome,3\n");
    const scan = await scanPublicSite(site, {dbPath: db});
    expect(scan.findings.map((f) => [f.file, f.rule])).toEqual([
      ["_file/planted.json", "small-count"],
      ["planted.csv", "small-count"],
    ]);
    expect(scan.findings[0].detail).toContain("$.groups[0].n");
    expect(smallCountsInJson({n: 8}, 5)).toEqual([]);
    expect(smallCountsInJson({n: 8}, 10)).toEqual(["$.n"]);
    expect(smallCountsInJson({seed: 3, threshold: 5, n: 0}, 5)).toEqual([]);
  });

  it("fails on a count of 1..threshold in a page's count cell, and on a table's suppression counts", async () => {
    const site = cleanSite("small-html");
    const table = suppressTable({
      rows: ["a", "b"],
      cols: ["x", "y"],
      counts: [
        [1, 6],
        [6, 40],
      ],
    });
    // a page showing a count cell unsuppressed, and a data file with the counts of primary and secondary suppressions
    writeFileSync(
      join(site, "page.html"),
      publicTableHtml({
        ...publishTable(table),
        cells: [
          [1, 6],
          ["c", "c"],
        ],
      }),
    );
    writeFileSync(join(site, "_file", "with-counts.json"), JSON.stringify({table}));
    const scan = await scanPublicSite(site, {dbPath: db});
    expect(scan.findings.map((f) => [f.file, f.rule])).toEqual([
      ["_file/with-counts.json", "small-count"],
      ["page.html", "small-count"],
    ]);
    expect(scan.findings[0].detail).toContain("$.table.suppressed.primary");
    expect(scan.findings[1].detail).toMatch(/1 count cell\(s\) showing 1\.\.5, first at count cell 1\b/);
    // cells are found however the attribute is written; prose numbers and separators are not counts
    expect(smallCountsInHtml('<td data-count="">3</td><td data-count>1,200</td><p>1 to 5</p><td>4</td><th data-count>0</th>', 5)).toEqual([
      1,
    ]);
    expect(smallCountsInHtml("<td data-counter>3</td>", 5)).toEqual([]);
  });

  it("fails on record-level files: an id column, timestamps, 1,000 rows, Parquet", async () => {
    const site = cleanSite("records");
    writeFileSync(join(site, "rows.json"), JSON.stringify([{contact_id: "X", score: 0.4}]));
    writeFileSync(join(site, "times.json"), JSON.stringify({rows: [{at: "2018-03-04 10:11:12", y: 0}]}));
    writeFileSync(join(site, "big.csv"), "score,y\n" + Array.from({length: 1000}, (_, i) => `${i / 1000},0`).join("\n"));
    writeFileSync(join(site, "contacts.parquet"), "PAR1");
    const rules = (await scanPublicSite(site, {dbPath: db})).findings.map((f) => [f.file, f.rule]);
    expect(rules).toEqual([
      ["big.csv", "record-level"],
      ["contacts.parquet", "record-level"],
      ["rows.json", "record-level"],
      ["times.json", "record-level"],
    ]);
  });

  it("reads a page's CSV links as data: an id inside one is found, though base64 hides it from the page's text", async () => {
    const site = cleanSite("csv-link");
    const records = recordsTableHtml([{key: "who", label: "Who"}], [{who: `case ${ids.contact}`}], {caption: "Leaked"});
    writeFileSync(join(site, "page.html"), records.replace(/<table[\s\S]*<\/table>/, "<table></table>")); // …so keep the link alone
    expect(readFileSync(join(site, "page.html"), "utf8")).not.toContain(ids.contact);
    expect(embeddedCsv(readFileSync(join(site, "page.html"), "utf8"))).toEqual([`Who\ncase ${ids.contact}\n`]);
    const findings = (await scanPublicSite(site, {dbPath: db})).findings;
    expect(findings.map((f) => [f.file, f.rule, f.detail])).toEqual([
      ["page.html", "identifier", "CSV link 1: 1 distinct id(s) from the warehouse"],
    ]);
  });

  it("fails on DuckDB-wasm in the output", async () => {
    const site = cleanSite("duckdb");
    mkdirSync(join(site, "_npm", "@duckdb", "duckdb-wasm@1.29.0", "dist"), {recursive: true});
    writeFileSync(join(site, "_npm", "@duckdb", "duckdb-wasm@1.29.0", "dist", "duckdb-eh.wasm"), "\0asm");
    const findings = scanSite(site, {ids: new Set()});
    expect(findings.map((f) => f.rule)).toEqual(["duckdb-wasm"]);
  });

  it("finds ids inside longer strings, each once", () => {
    expect(countIds(`xx${ids.contact}yy ${ids.contact} ${ids.child}`, new Set(Object.values(ids)), [9])).toBe(2);
    expect(countIds("C00A1B2C", new Set(Object.values(ids)), [9])).toBe(0);
  });

  it("takes the identifier names from the dictionary: role id, or type id marked as an identifier", () => {
    const dict = loadDictionary();
    expect(identifierVariables(dict).map((v) => v.name)).toEqual(["contact_id", "child_id", "household_id", "screener_id"]);
    // Another field's table: a record id stored as a number (role id), a risk score, no staff.
    const other = {
      ...dict,
      variables: [
        {
          ...dict.variables[0],
          name: "person_number",
          type: "integer" as const,
          role: "id" as const,
          sensitivity: "direct-identifier" as const,
        },
        {...dict.variables[0], name: "assessor_ref", role: "excluded" as const, sensitivity: "quasi-identifier" as const},
        {...dict.variables[0], name: "batch_ref", role: "excluded" as const, sensitivity: "none" as const},
        ...dict.variables.filter((v) => v.type !== "id"),
      ],
    };
    expect(identifierVariables(other).map((v) => v.name)).toEqual(["person_number", "assessor_ref"]);
  });

  it("flags a table by the dictionary's identifier column names, whatever they are called", () => {
    const site = cleanSite("renamed-ids");
    writeFileSync(join(site, "cases.json"), JSON.stringify([{case_ref: "X", score: 0.4}]));
    writeFileSync(join(site, "cases.csv"), "worker,n\nall,1200\n");
    const idNames = new Set(["case_ref", "worker"]);
    expect(scanSite(site, {ids: new Set(), idNames}).map((f) => [f.file, f.rule, f.detail])).toEqual([
      ["cases.csv", "record-level", "a table with the id column worker"],
      ["cases.json", "record-level", "$ is a table with the id column case_ref"],
    ]);
    // By default the names come from data/dictionary.yaml: case_ref is no identifier there.
    expect(scanSite(site, {ids: new Set()})).toEqual([]);
  });
});
