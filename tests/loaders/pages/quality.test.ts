// qualityData, the Data quality page's data, on a messy generated extract (malformed
// rows, exact duplicates, code variants): the ingest's accounting as the report and
// the run table record it, rejects by month and rule that add up to the report's
// counts, missingness by month that covers every accepted contact (and agrees with the
// Variables page), and no identifier from any row of the extract, accepted or not.
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {readFileSync} from "node:fs";
import {miniProject, SMALL_YEAR, type MiniProject} from "../../fixtures/mini-project.ts";
import {qualityData} from "../../../loaders/pages/quality.ts";
import {variablesData} from "../../../loaders/pages/variables.ts";
import {loadDictionary, type Dictionary} from "../../../loaders/dictionary.ts";
import type {IngestReport} from "../../../loaders/ingest/ingest.ts";

let project: MiniProject;
let dict: Dictionary;
let q: Awaited<ReturnType<typeof qualityData>>;
let report: IngestReport;

beforeAll(async () => {
  project = await miniProject({...SMALL_YEAR, seed: 17, contacts: 4000, messiness: 8});
  dict = loadDictionary(project.dictionary);
  q = await qualityData(dict, project.report, project.warehouse);
  report = JSON.parse(readFileSync(project.report, "utf8"));
}, 120_000);
afterAll(() => project?.remove());

describe("qualityData", () => {
  it("passes on the ingest's accounting: accepted + rejected + duplicates = read, as the run table records it", () => {
    expect(q.report).toEqual(report);
    expect(report.rejected).toBeGreaterThan(0); // the messy extract has something to show
    expect(report.duplicates.total).toBeGreaterThan(0);
    expect(report.accepted + report.rejected + report.duplicates.total).toBe(report.read);
    const lines = readFileSync(project.csv, "utf8").trimEnd().split("\n").length - 1;
    expect(report.read).toBe(lines);
    expect(q.runs).toHaveLength(1);
    expect(q.runs[0]).toMatchObject({
      ingest_id: report.ingestId,
      files: 1,
      read: report.read,
      accepted: report.accepted,
      rejected: report.rejected,
      duplicates: report.duplicates.total,
    });
  });

  it("counts rejected rows by month and rule exactly as the report's counts by rule", () => {
    const byRule: Record<string, number> = {};
    for (const r of q.rejectsByMonth) {
      expect(String(r.month)).toMatch(/^(\d{4}-\d{2}|\(no readable date\))$/);
      byRule[String(r.rule)] = (byRule[String(r.rule)] ?? 0) + Number(r.n);
    }
    expect(byRule).toEqual(report.rejectedByRule);
    // By column a row counts once per broken column: at least as often as by row.
    const byColumn: Record<string, number> = {};
    for (const r of q.rejectsByColumn) byColumn[String(r.rule)] = (byColumn[String(r.rule)] ?? 0) + Number(r.n);
    for (const [rule, n] of Object.entries(report.rejectedByRule)) expect(byColumn[rule], rule).toBeGreaterThanOrEqual(n);
    expect(Object.keys(byColumn).sort()).toEqual(Object.keys(report.rejectedByRule).sort());
  });

  it("passes on the code mappings and unknown spellings of the report", () => {
    expect(q.unknown).toEqual(report.unknownCodes);
    const mapped: Record<string, number> = {};
    for (const m of q.mappings)
      mapped[`${m.variable} ${m.kind} ${m.spelling} ${m.code}`] =
        (mapped[`${m.variable} ${m.kind} ${m.spelling} ${m.code}`] ?? 0) + Number(m.n);
    expect(mapped).toEqual(Object.fromEntries(report.mappedCodes.map((m) => [`${m.variable} ${m.kind} ${m.spelling} ${m.code}`, m.n])));
    expect(q.mappings.length).toBeGreaterThan(0);
  });

  it("gives missingness for every variable but the time, every month, over every accepted contact — as the Variables page counts it", async () => {
    const time = dict.variables.find((v) => v.role === "time")!.name;
    const names = dict.variables.map((v) => v.name).filter((n) => n !== time);
    const months = Array.from({length: 12}, (_, i) => `2016-${String(i + 1).padStart(2, "0")}`);
    const total = new Map<string, {n: number; missing: number}>();
    for (const r of q.missingness) {
      expect(Number(r.missing)).toBeLessThanOrEqual(Number(r.n));
      const t = total.get(String(r.variable)) ?? {n: 0, missing: 0};
      total.set(String(r.variable), {n: t.n + Number(r.n), missing: t.missing + Number(r.missing)});
    }
    expect([...total.keys()].sort()).toEqual([...names].sort());
    for (const name of names)
      expect([...new Set(q.missingness.filter((r) => r.variable === name).map((r) => r.month))], name).toEqual(months);
    for (const [name, t] of total) expect(t.n, name).toBe(report.accepted);
    const variables = await variablesData(dict, project.warehouse);
    for (const v of variables.variables.filter((x) => x.name !== time)) expect(total.get(v.name)!.missing, v.name).toBe(v.missing);
    expect([...total.values()].some((t) => t.missing > 0)).toBe(true);
  });

  it("names no contact, child, household or screener of the extract, rejected rows included", () => {
    const [head, ...rows] = readFileSync(project.csv, "utf8").trimEnd().split("\n");
    const cols = ["contact_id", "child_id", "household_id", "screener_id"].map((c) => head.split(",").indexOf(c));
    const ids = new Set(rows.flatMap((l) => cols.map((c) => l.split(",")[c]?.trim())).filter((v) => v && v.length >= 5));
    expect(ids.size).toBeGreaterThan(report.read);
    const seen = [...JSON.stringify({...q, report: undefined}).matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
    const list = [...ids];
    // Whole strings, and ids inside longer texts (a reject's detail, say).
    expect(seen.filter((s) => ids.has(s) || (s.length > 12 && list.some((id) => s.includes(id))))).toEqual([]);
  });
});
