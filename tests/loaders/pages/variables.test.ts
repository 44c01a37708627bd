// variablesData, the Variables page's data, on a messy generated extract: the
// dictionary as written, and per variable counts that add up to the warehouse —
// every contact either counted in the distribution or missing — with codes only from
// the dictionary and identifiers only as a count of distinct values.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readFileSync} from "node:fs";
import {miniProject, SMALL_YEAR, type MiniProject} from "../../fixtures/mini-project.ts";
import {variablesData} from "../../../loaders/pages/variables.ts";
import {queryRows, withDuckDB} from "../../../loaders/db.ts";
import {loadDictionary, type Dictionary} from "../../../loaders/dictionary.ts";
import type {IngestReport} from "../../../loaders/ingest/ingest.ts";

let project: MiniProject;
let dict: Dictionary;
let data: Awaited<ReturnType<typeof variablesData>>;
let report: IngestReport;
const view = (name: string) => data.variables.find((v) => v.name === name)!;
const total = (d: {n: number}[]) => d.reduce((a, b) => a + Number(b.n), 0);
const onWarehouse = (sql: string) => withDuckDB((db) => queryRows(db, sql), project.warehouse, {readOnly: true});

beforeAll(async () => {
  project = await miniProject({...SMALL_YEAR, seed: 18, contacts: 4000, messiness: 8});
  dict = loadDictionary(project.dictionary);
  data = await variablesData(dict, project.warehouse);
  report = JSON.parse(readFileSync(project.report, "utf8"));
}, 120_000);
afterAll(() => project?.remove());

describe("variablesData", () => {
  it("gives the dictionary as written, each variable in order, with the last ingest", () => {
    expect({title: data.title, version: data.version, groups: data.groups, changes: data.changes}).toEqual({
      title: dict.title,
      version: dict.version,
      groups: dict.groups,
      changes: dict.changes,
    });
    expect(data.variables.map((v) => v.name)).toEqual(dict.variables.map((v) => v.name));
    data.variables.forEach((v, i) => expect(v).toMatchObject(dict.variables[i]));
    expect(data.ingest).toMatchObject({ingest_id: report.ingestId, dictionary_version: dict.version});
  });

  it("counts every accepted contact once per variable: in the distribution or as missing", async () => {
    const [{n}] = await onWarehouse(`SELECT count(*) AS n FROM contacts`);
    expect(n).toBe(report.accepted);
    for (const v of data.variables) {
      expect(v.n, v.name).toBe(n);
      expect(v.missing, v.name).toBeGreaterThanOrEqual(0);
      if (v.type === "id" || v.type === "multi-category") continue;
      expect(total(v.distribution) + v.missing, v.name).toBe(n);
    }
    // A special code ("unborn" for an age) is counted in the distribution, not as missing.
    const special = data.variables.filter((v) => v.special_codes?.length);
    expect(special.length).toBeGreaterThan(0);
    for (const v of special)
      expect(
        v.distribution.filter((d) => v.special_codes!.some((c) => c.code === d.value)).reduce((a, d) => a + Number(d.n), 0),
        v.name,
      ).toBeGreaterThan(0);
  });

  it("lists only dictionary codes (or special codes) for categories, booleans as true/false, and every item of a list", async () => {
    for (const v of data.variables) {
      const values = v.distribution.map((d) => d.value);
      expect(new Set(values).size, v.name).toBe(values.length);
      if (v.type === "category" || v.type === "multi-category") {
        const codes = (v.codes ?? []).map((c) => c.code);
        for (const value of values) expect(codes, `${v.name}: ${value}`).toContain(value);
      }
      if (v.type === "category") v.distribution.forEach((d, k) => k > 0 && expect(d.n).toBeLessThanOrEqual(v.distribution[k - 1].n));
      if (v.type === "boolean") for (const value of values) expect(["true", "false"]).toContain(value);
      if (v.type === "multi-category") {
        const [{items}] = await onWarehouse(`SELECT sum(len("${v.name}")) AS items FROM contacts`);
        expect(total(v.distribution), v.name).toBe(Number(items));
      }
      if (v.type === "integer" || v.type === "number") {
        const special = (v.special_codes ?? []).map((c) => c.code);
        const pooled = values.filter((x) => x.endsWith("+"));
        expect(pooled.length, v.name).toBeLessThanOrEqual(1);
        for (const value of values) expect(special.includes(value) || /^-?\d+(\.\d+)?\+?$/.test(value), `${v.name}: ${value}`).toBe(true);
      }
    }
  });

  it("shows identifiers only as their number of distinct values, never a value", async () => {
    const ids = dict.variables.filter((v) => v.type === "id");
    expect(ids.map((v) => v.name)).toEqual(expect.arrayContaining(["contact_id", "child_id", "household_id"]));
    for (const v of ids) {
      const [{distinct}] = await onWarehouse(`SELECT count(DISTINCT "${v.name}") AS distinct FROM contacts`);
      expect(view(v.name).distribution, v.name).toEqual([{value: "distinct", n: distinct}]);
    }
    expect(view("contact_id").distribution[0].n).toBe(report.accepted);
    const values = await onWarehouse(`SELECT ${ids.map((v) => `"${v.name}"`).join(", ")} FROM contacts`);
    const seen = new Set([...JSON.stringify(data).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]));
    expect(values.flatMap((r) => Object.values(r)).filter((v) => seen.has(String(v)))).toEqual([]);
  });

  // A number's values in numeric order, not as text ("0", "1", "10", …, "2"): the page's
  // CodeBars keeps this order (and the first 20).
  it("orders the values of a number by size", () => {
    const age = view("age_years")
      .distribution.map((d) => d.value)
      .filter((v) => /^\d/.test(v));
    const size = (v: string) => Number(v.replace("+", ""));
    expect(age.length).toBeGreaterThan(10);
    expect(age).toEqual([...age].sort((a, b) => size(a) - size(b)));
  });
});
